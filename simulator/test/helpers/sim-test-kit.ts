import { constants, publicEncrypt, randomBytes } from 'node:crypto';
import { startSimulator } from '../../src/index';
import type { RunningSimulator, SimulatorOptions } from '../../src/index';

/** The dev password of every seed user. */
export const PASSWORD = 'Passw0rd!2024';

/** Device data of the simulated browser; SSO calls must repeat the fingerprint. */
export const DEVICE = {
  os: 'Windows 10',
  fingerprint: 'fp-test-device-0001',
  ip: '10.10.10.1',
  agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) simulator-test',
};

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  // Tests assert on arbitrary JSON shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** An entry of the control endpoint's SMS outbox (`GET /__sim/sms/outbox`). */
export interface SmsMessage {
  mobile: string;
  type: string;
  code: string;
  sent_at: string;
}

/** Starts a simulator for one spec file: port 0, control endpoints on, quiet. */
export async function startTestSimulator(
  options: Partial<SimulatorOptions> = {},
): Promise<SimClient> {
  const sim = await startSimulator({ port: 0, control: true, smsResendIntervalS: 0, ...options });
  return new SimClient(sim);
}

/** Small HTTP helpers over global fetch, speaking the simulator's dialects. */
export class SimClient {
  constructor(readonly sim: RunningSimulator) {}

  get url(): string {
    return this.sim.url;
  }

  close(): Promise<void> {
    return this.sim.close();
  }

  sdkHeaders(extra: Record<string, string> = {}): Record<string, string> {
    return {
      'X-client-id': this.sim.clientId,
      'X-operating-sys-version': DEVICE.os,
      'X-device-fingerprint': DEVICE.fingerprint,
      'X-device-ip': DEVICE.ip,
      'X-agent': DEVICE.agent,
      ...extra,
    };
  }

  async request(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<HttpResult> {
    const res = await fetch(`${this.sim.url}${path}`, {
      method,
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
    });
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, headers: res.headers, text, body };
  }

  sdkGet(path: string, extra: Record<string, string> = {}): Promise<HttpResult> {
    return this.request('GET', path, { headers: this.sdkHeaders(extra) });
  }

  sdkPost(path: string, body: unknown, extra: Record<string, string> = {}): Promise<HttpResult> {
    return this.request('POST', path, {
      headers: { 'Content-Type': 'application/json;charset=utf8', ...this.sdkHeaders(extra) },
      body: JSON.stringify(body),
    });
  }

  postForm(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> {
    return this.request('POST', path, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  tenantPost(path: string, token: string, body: unknown, method = 'POST'): Promise<HttpResult> {
    return this.request(method, path, {
      headers: {
        'Content-Type': 'application/json;charset=utf8',
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
    });
  }

  control(method: string, path: string, body?: unknown): Promise<HttpResult> {
    return this.request(method, `/__sim${path}`, {
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Fetches a captcha, reads its answer from the control endpoint, verifies it for `sender`. */
  async captchaToken(sender: string): Promise<string> {
    const captcha = await this.sdkGet('/api/v2/sdk/captcha');
    const answer = await this.control('GET', `/captcha/${captcha.body.token}`);
    const verified = await this.sdkPost('/api/v2/sdk/captcha/verify', {
      point_json: JSON.stringify({ x: answer.body.x, y: answer.body.y }),
      token: captcha.body.token,
      sender,
    });
    expect(verified.status).toBe(200);
    return verified.body.captcha_token as string;
  }

  /** Sends an SMS code through the real flow and reads it from the outbox. */
  async smsCode(mobile: string, type: string): Promise<string> {
    const captchaToken = await this.captchaToken(mobile);
    const sent = await this.sdkPost('/api/v2/sdk/sms/send', {
      mobile,
      type,
      captcha_token: captchaToken,
    });
    expect(sent.status).toBe(200);
    const outbox = await this.control('GET', `/sms/outbox?mobile=${mobile}`);
    const messages = outbox.body as SmsMessage[];
    const last = [...messages].reverse().find((m) => m.type === type);
    return last!.code;
  }

  login(
    userName: string,
    password = PASSWORD,
    extra: Record<string, string> = {},
  ): Promise<HttpResult> {
    return this.sdkPost('/api/v2/sdk/login', { user_name: userName, password }, extra);
  }

  /** Logs a plain user in and returns the session_token. */
  async sessionToken(userName = 'zhangsan'): Promise<string> {
    const res = await this.login(userName);
    expect(res.body.status).toBe('SUCCESS');
    return res.body.session_token as string;
  }

  async tenantToken(): Promise<string> {
    const res = await this.postForm('/api/v2/tenant/token', {
      grant_type: 'client_credentials',
      client_id: this.sim.clientId,
      client_secret: this.sim.clientSecret,
    });
    expect(res.status).toBe(200);
    return res.body.access_token as string;
  }

  async publicKey(): Promise<string> {
    return (await this.sdkGet('/api/v2/sdk/public-key')).body.public_key as string;
  }
}

/**
 * The test's own X-signature signer (§3.3): RSA-OAEP SHA-256 public encryption of
 * `session_token=…&timestamp=…&nonce=…`, Base64.
 */
export function xSignature(
  publicKeyPem: string,
  sessionToken: string,
  timestamp = Date.now(),
  // Random rather than the documented hex-of-timestamp, so two calls in one millisecond differ.
  nonce = randomBytes(8).toString('hex'),
): string {
  const plain = `session_token=${sessionToken}&timestamp=${timestamp}&nonce=${nonce}`;
  return publicEncrypt(
    { key: publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    Buffer.from(plain, 'utf8'),
  ).toString('base64');
}

/** Polls `check` until it returns true, failing after `timeoutMs` (no fixed sleeps). */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Decodes the payload of a compact JWT without verifying it. */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
