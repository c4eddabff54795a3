import request from 'supertest';

export interface Recorded {
  method: string;
  path: string;
  status: number;
  headers: Record<string, unknown>;
  text: string;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  setCookie: string[];
}

/**
 * A browser as the gateway sees one: a cookie jar, the SPA's `X-CSRF: 1` and same-origin `Origin`
 * on unsafe calls, a User-Agent. Every response is kept in `recorder` so a suite can prove that no
 * token ever reached the browser.
 */
export class BrowserClient {
  readonly cookies = new Map<string, string>();
  headers: Record<string, string> = {
    'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36',
    'Accept-Language': 'en-US,en;q=0.9',
  };

  constructor(
    private readonly baseUrl: string,
    private readonly recorder: Recorded[] = [],
    private readonly origin = 'http://localhost:3000',
  ) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(path: string): Promise<Reply> {
    return this.send('GET', path);
  }
  post(path: string, body?: unknown): Promise<Reply> {
    return this.send('POST', path, body);
  }
  patch(path: string, body?: unknown): Promise<Reply> {
    return this.send('PATCH', path, body);
  }
  delete(path: string): Promise<Reply> {
    return this.send('DELETE', path);
  }

  async send(method: string, path: string, body?: unknown): Promise<Reply> {
    let req = request(this.baseUrl)[method.toLowerCase() as 'get'](path).set(this.headers);
    if (this.cookies.size > 0) req = req.set('Cookie', this.cookieHeader);
    if (method !== 'GET') req = req.set('X-CSRF', '1').set('Origin', this.origin);
    if (body !== undefined)
      req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
    const res = await req;
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    for (const line of setCookie) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = pair.split('=');
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), rest.join('='));
    }
    this.recorder.push({
      method,
      path,
      status: res.status,
      headers: res.headers,
      text: res.text ?? '',
    });
    return { status: res.status, headers: res.headers, body: res.body, setCookie };
  }
}
