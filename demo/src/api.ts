import { BffClient, BffError } from '@oneaccess-bff/client';
import { language } from './i18n';

// The demo talks to the gateway through @oneaccess-bff/client, as any SPA would. `ApiError` is the
// client's BffError under the name the views already use.
export { BffError as ApiError };

/**
 * A stable id for this browser, sent as `X-Device-Fingerprint` (section 4 "Device headers"), so
 * OneAccess sees the same device across sessions. Not a secret.
 */
function deviceFingerprint(): string {
  const key = 'demo-device-fingerprint';
  let id = localStorage.getItem(key);
  if (!id || !/^[A-Za-z0-9_-]{8,128}$/.test(id)) {
    id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('');
    localStorage.setItem(key, id);
  }
  return id;
}

/**
 * The page's own directory is the gateway's mount point, so the demo works under the BASE_PATH
 * the corporate proxy may mount the gateway at (the views' routes live in the URL fragment).
 */
export const client = new BffClient({
  basePath: new URL('.', location.href).pathname,
  // The page's language, which the switch may have changed from the browser's: the gateway's
  // messages (and OneAccess's, through X-L) then come in the language the page shows.
  headers: () => ({
    'X-Device-Fingerprint': deviceFingerprint(),
    'Accept-Language': language === 'zh-CN' ? 'zh-CN,zh;q=0.9' : 'en',
  }),
});

/** What a relayed call answered, whatever its status (the demo shows upstream answers as they are). */
export interface RawReply {
  status: number;
  contentType: string;
  text: string;
}

/** Calls the gateway (`path` relative, e.g. "auth/session") and returns its JSON. @throws ApiError */
export function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return client.request<T>(method, `/${path}`, body);
}

/** Calls a relayed API and returns its answer as it came, error or not. @throws ApiError on network failure */
export async function raw(method: string, path: string, body?: string): Promise<RawReply> {
  const res = await client.send(method, `/${path}`, {
    headers: { Accept: 'application/json, text/plain, */*' },
    body,
  });
  return {
    status: res.status,
    contentType: res.headers.get('Content-Type') ?? '',
    text: await res.text(),
  };
}

/** A contract error inside a raw reply (the gateway's own 401/404/...), if that is what it is. */
export function contractError(reply: RawReply): BffError | undefined {
  if (!reply.contentType.includes('json')) return undefined;
  try {
    const body = JSON.parse(reply.text) as { request_id?: unknown };
    if (typeof body.request_id !== 'string') return undefined;
    return BffError.fromBody(reply.status, body) ?? undefined;
  } catch {
    return undefined;
  }
}
