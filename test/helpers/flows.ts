import type { RunningSimulator } from 'oneaccess-simulator';
import { BrowserClient, Reply } from './browser-client';

/** Calls a simulator control endpoint (development only) and returns its JSON. */
export async function simControl<T = unknown>(
  sim: Pick<RunningSimulator, 'url'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${sim.url}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(`simulator control ${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Fetches a captcha and the answer a person would find: its token and point_json. */
async function answerCaptcha(
  browser: BrowserClient,
  sim: RunningSimulator,
  dx: number,
): Promise<{ token: string; point_json: string }> {
  const captcha = await browser.get('/auth/captcha');
  if (captcha.status !== 200)
    throw new Error(`captcha: ${captcha.status} ${JSON.stringify(captcha.body)}`);
  const token = captcha.body.token as string;
  const answer = await simControl<{ x: number; y: number }>(sim, 'GET', `captcha/${token}`);
  return { token, point_json: JSON.stringify({ x: answer.x + dx, y: 5.0 }) };
}

/**
 * Solves a slider captcha as a person would, reading the answer from the simulator; `dx` moves
 * the drop point off the answer. Omitting `mobile` relies on the pending MFA step's number.
 */
export async function solveCaptcha(
  browser: BrowserClient,
  sim: RunningSimulator,
  mobile?: string,
  dx = 0,
): Promise<Reply> {
  const answer = await answerCaptcha(browser, sim, dx);
  return browser.post(
    '/auth/captcha/verify',
    mobile === undefined ? answer : { ...answer, mobile },
  );
}

/** Solves a slider captcha for the next password attempt on `userName` (login protection). */
export async function solveLoginCaptcha(
  browser: BrowserClient,
  sim: RunningSimulator,
  userName: string,
): Promise<Reply> {
  const answer = await answerCaptcha(browser, sim, 0);
  return browser.post('/auth/captcha/verify', { ...answer, user_name: userName });
}

interface OutboxEntry {
  mobile: string;
  type: string;
  code: string;
}

/** The newest code the simulator "sent" to a mobile. */
export async function latestCode(sim: RunningSimulator, mobile: string): Promise<string> {
  const outbox = await simControl<OutboxEntry[]>(sim, 'GET', `sms/outbox?mobile=${mobile}`);
  const last = outbox[outbox.length - 1];
  if (!last) throw new Error(`no SMS was sent to ${mobile}`);
  return last.code;
}

/**
 * Captcha, then SMS for `purpose` to `mobile`; returns the code from the simulator's outbox.
 * With `fromStep`, the browser sends no number and the gateway uses the pending MFA step's.
 */
export async function sendCode(
  browser: BrowserClient,
  sim: RunningSimulator,
  mobile: string,
  purpose: string,
  fromStep = false,
): Promise<string> {
  const verified = await solveCaptcha(browser, sim, fromStep ? undefined : mobile);
  if (verified.status !== 200)
    throw new Error(`captcha verify: ${verified.status} ${JSON.stringify(verified.body)}`);
  const sent = await browser.post('/auth/sms/send', fromStep ? { purpose } : { mobile, purpose });
  if (sent.status !== 200) throw new Error(`sms send: ${sent.status} ${JSON.stringify(sent.body)}`);
  return latestCode(sim, mobile);
}
