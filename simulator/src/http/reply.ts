/** What a route handler answers; the server writes it. */
export interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function json(
  body: unknown,
  status = 200,
  headers: Record<string, string | string[]> = {},
): Reply {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/**
 * A 200 without a body, for the endpoints documented as answering a bare (empty) string or
 * nothing: sms/send, logout, unbind, update-by-mobile, profile/update. No content type, so a
 * client does not try to parse JSON out of nothing.
 */
export function empty(status = 200, headers: Record<string, string | string[]> = {}): Reply {
  return { status, headers };
}

export function redirect(location: string, headers: Record<string, string | string[]> = {}): Reply {
  return { status: 302, headers: { location, ...headers } };
}

export function html(
  markup: string,
  status = 200,
  headers: Record<string, string | string[]> = {},
): Reply {
  return {
    status,
    headers: { 'content-type': 'text/html;charset=UTF-8', ...headers },
    body: markup,
  };
}
