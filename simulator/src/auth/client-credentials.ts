import { timingSafeEqual } from 'node:crypto';
import type { RequestContext } from '../http/request-context';

/**
 * Credentials from the form (documented) or, leniently, HTTP Basic (Bamboo's way).
 */
export function clientCredentials(
  ctx: RequestContext,
  form: URLSearchParams,
): { clientId?: string; clientSecret?: string; method?: 'post' | 'basic' } {
  const basic = /^Basic\s+(\S+)\s*$/i.exec(ctx.header('authorization') ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return {
        clientId: safeDecode(decoded.slice(0, colon)),
        clientSecret: safeDecode(decoded.slice(colon + 1)),
        method: 'basic',
      };
    }
  }
  const clientSecret = form.get('client_secret') ?? undefined;
  return {
    clientId: form.get('client_id') ?? undefined,
    clientSecret,
    method: clientSecret === undefined ? undefined : 'post',
  };
}

export function sameClient(ctx: RequestContext, clientId: string, clientSecret: string): boolean {
  const expected = Buffer.from(ctx.sim.config.clientSecret);
  const given = Buffer.from(clientSecret);
  return (
    clientId === ctx.sim.config.clientId &&
    expected.length === given.length &&
    timingSafeEqual(expected, given)
  );
}

/** RFC 6749 §2.3.1 form-encodes Basic credentials; tolerate the unencoded ones too. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
