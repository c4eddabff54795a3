import type { RequestContext } from './request-context';
import type { Reply } from './reply';

/**
 * Which API family a route belongs to. It decides the error body shape (OAuth routes answer
 * `{error, error_description}`, the others `{error_code, error_msg}`), whether the common SDK
 * headers are enforced, and that control routes exist only when enabled.
 */
export type RouteFamily = 'sdk' | 'tenant' | 'oauth' | 'browser' | 'control';

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: string;
  family: RouteFamily;
  handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; family: RouteFamily }
  | { kind: 'none' };

/** A minimal router: exact segments and `:name` parameters, nothing more. */
export class Router {
  private readonly routes: (Route & { segments: string[] })[] = [];

  add(method: string, pattern: string, family: RouteFamily, handler: Handler): void {
    this.routes.push({ method, pattern, family, handler, segments: pattern.split('/') });
  }

  match(method: string, path: string): RouteMatch {
    const segments = path.split('/');
    let wrongMethod: RouteFamily | undefined;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', route, params };
      wrongMethod ??= route.family;
    }
    return wrongMethod ? { kind: 'wrong-method', family: wrongMethod } : { kind: 'none' };
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) {
      if (!actual[i]) return undefined;
      try {
        params[pattern[i].slice(1)] = decodeURIComponent(actual[i]);
      } catch {
        return undefined;
      }
    } else if (pattern[i] !== actual[i]) {
      return undefined;
    }
  }
  return params;
}
