import type { ErrorBody } from './contract';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A failed call, carrying the contract's error fields (section 6) for a readable message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly fields: Array<{ field: string; message: string }> = [],
    readonly upstreamCode?: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What a relayed call answered, whatever its status (the demo shows upstream answers as they are). */
export interface RawReply {
  status: number;
  contentType: string;
  text: string;
}

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

function headersFor(method: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'X-Device-Fingerprint': deviceFingerprint(),
  };
  // The contract's CSRF rule (section 2): every unsafe call carries X-CSRF: 1.
  if (!SAFE_METHODS.has(method)) headers['X-CSRF'] = '1';
  if (hasBody) headers['Content-Type'] = 'application/json';
  return headers;
}

/**
 * Paths are relative ("auth/session"), so the page works under the BASE_PATH the corporate
 * proxy may mount the gateway at. The session cookie travels by itself (same-origin); the page
 * never reads or writes it.
 */
async function send(method: string, path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: headersFor(method, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The gateway could not be reached. Is it running?');
  }
}

async function errorFrom(res: Response): Promise<ApiError> {
  const retryAfter = Number(res.headers.get('Retry-After')) || undefined;
  const text = await res.text();
  let body: Partial<ErrorBody> | undefined;
  try {
    body = JSON.parse(text) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  if (body && typeof body.code === 'string' && typeof body.message === 'string') {
    return new ApiError(
      res.status,
      body.code,
      body.message,
      body.request_id,
      body.errors ?? [],
      body.upstream_code,
      retryAfter,
    );
  }
  return new ApiError(
    res.status,
    `HTTP_${res.status}`,
    `The gateway answered HTTP ${res.status} without an error description.`,
  );
}

/** Calls the gateway and returns its JSON (undefined for 204). @throws ApiError */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await send(method, path, body);
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Calls a relayed API and returns its answer as it came, error or not. @throws ApiError on network failure */
export async function raw(method: string, path: string, body?: string): Promise<RawReply> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        ...headersFor(method, false),
        Accept: 'application/json, text/plain, */*',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body,
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The gateway could not be reached. Is it running?');
  }
  return {
    status: res.status,
    contentType: res.headers.get('Content-Type') ?? '',
    text: await res.text(),
  };
}

/** A contract error inside a raw reply (the gateway's own 401/404/...), if that is what it is. */
export function contractError(reply: RawReply): ApiError | undefined {
  if (!reply.contentType.includes('json')) return undefined;
  try {
    const body = JSON.parse(reply.text) as Partial<ErrorBody>;
    if (typeof body.code === 'string' && typeof body.request_id === 'string') {
      return new ApiError(
        reply.status,
        body.code,
        body.message ?? '',
        body.request_id,
        body.errors ?? [],
        body.upstream_code,
      );
    }
  } catch {
    return undefined;
  }
  return undefined;
}
