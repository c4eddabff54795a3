import type { IncomingMessage } from 'node:http';
import type { SimulatorCore } from '../simulator-core';

/** Everything a route handler may look at. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: Record<string, string>;
  readonly body: Buffer;
  /** Language of error messages, from `X-L` (`zh…` → Chinese, anything else English). */
  readonly lang: 'en' | 'zh';
  readonly sim: SimulatorCore;
  /** A request header (case-insensitive), first value when repeated. */
  header(name: string): string | undefined;
}
