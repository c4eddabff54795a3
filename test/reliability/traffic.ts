import { Agent, request } from 'undici';
import { cookieFrom } from '../helpers/session-cookie';

/** What the browser-side of a reliability test sends: JSON, CSRF header, same origin. */
const BASE_HEADERS = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) reliability',
  origin: 'http://localhost:3000',
};

export interface Outcome {
  /** ms since the traffic started */
  at: number;
  status: number;
  session: number;
}

/** Signs `count` sessions of zhangsan in through the real password flow; their cookie pairs. */
export async function signIn(url: string, count: number, agent: Agent): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await request(`${url}/auth/login/password`, {
      method: 'POST',
      dispatcher: agent,
      headers: { ...BASE_HEADERS, 'x-csrf': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ user_name: 'zhangsan', password: 'Passw0rd!2024' }),
    });
    const body = (await res.body.json()) as { status?: string };
    if (res.statusCode !== 200 || body.status !== 'SUCCESS') {
      throw new Error(`login ${i} answered ${res.statusCode} ${JSON.stringify(body)}`);
    }
    cookies.push(cookieFrom(res.headers['set-cookie'], '__Host-bff')!);
  }
  return cookies;
}

/** One relayed call for a session; the status, or 0 when the connection itself failed. */
export async function relayOnce(url: string, cookie: string, agent: Agent): Promise<number> {
  try {
    const res = await request(`${url}/api/echo/ping`, {
      dispatcher: agent,
      headers: { ...BASE_HEADERS, cookie },
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
    });
    await res.body.dump();
    return res.statusCode;
  } catch {
    return 0;
  }
}

/**
 * Steady relayed traffic over every session, `concurrency` calls in flight, until `stop()`.
 * Each outcome is recorded with its time, so a test can find the error window.
 */
export function steadyTraffic(urls: string[], cookies: string[], agent: Agent, concurrency = 8) {
  const outcomes: Outcome[] = [];
  const started = Date.now();
  let running = true;
  let next = 0;
  const worker = async () => {
    while (running) {
      const session = next++ % cookies.length;
      const status = await relayOnce(urls[session % urls.length], cookies[session], agent);
      outcomes.push({ at: Date.now() - started, status, session });
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    outcomes,
    elapsed: () => Date.now() - started,
    async stop(): Promise<Outcome[]> {
      running = false;
      await Promise.all(workers);
      return outcomes;
    },
  };
}

/** The span from the first to the last failed call, in ms (0 when none failed). */
export function errorWindowMs(outcomes: Outcome[]): number {
  const failed = outcomes.filter((o) => o.status !== 200);
  return failed.length === 0 ? 0 : failed.at(-1)!.at - failed[0].at;
}

/** The status of one relayed call per session: all 200 when every session is still signed in. */
export function sessionStatuses(url: string, cookies: string[], agent: Agent): Promise<number[]> {
  return Promise.all(cookies.map((c) => relayOnce(url, c, agent)));
}
