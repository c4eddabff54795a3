import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Browser, BrowserContext, chromium, Locator, Page, Response } from 'playwright-core';
import { locate } from '../../scripts/test-prerequisites';
import {
  ONEACCESS_ENDPOINT,
  OneAccessEndpoint,
} from '../../src/modules/oneaccess/oneaccess-endpoint';
import { createTestApp, TestApp } from '../helpers/create-test-app';
import { simControl } from '../helpers/flows';
import { freePort } from '../helpers/free-port';
import { TestRedisServer } from '../helpers/redis-server';
import { Teardown } from '../helpers/teardown';
import { waitFor } from '../helpers/wait-for';

/**
 * Chromium (or Chrome) as `npm test`'s prerequisite step finds it: CHROMIUM_BIN, PATH, or a
 * well-known path (Debian's /usr/bin/chromium, the macOS applications).
 */
export const CHROMIUM = locate('chromium');
const ROOT = join(__dirname, '..', '..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
/** Every seed user's password (simulator/seed/default-seed.json). */
export const PASSWORD = 'Passw0rd!2024';
/** How long a step in the page may take on a busy two-core machine before a test fails. */
export const STEP_MS = 15_000;

/** The simulator's control endpoints (Node side: the page never calls these), for the specs too. */
export { simControl };

/**
 * The simulator stands in for OneAccess the way `npm start` runs it: embedded in the gateway's
 * process (so the page shows the SMS outbox link), with its control endpoints on.
 */
export interface Simulator {
  url: string;
}

export interface BrowserStack {
  /** `http://localhost:<port>`: a secure context, so Chromium keeps the Secure `__Host-` cookie. */
  origin: string;
  gateway: TestApp;
  simulator: Simulator;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * A tiny upstream API for the relay: it answers what it saw, masked. It never echoes the token
 * into the page, only whether a Bearer credential came and whether the browser's cookie or CSRF
 * header leaked through.
 */
function startEchoUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      const body = JSON.stringify({
        ok: true,
        method: req.method,
        path: req.url,
        has_bearer: /^Bearer \S{16,}$/.test(auth),
        saw_cookie: req.headers.cookie !== undefined,
        body: Buffer.concat(chunks).toString('utf8') || null,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function buildDemo(): void {
  execFileSync(process.execPath, [join(ROOT, 'demo', 'build.mjs')], { stdio: 'pipe' });
}

/**
 * Another build running beside the tests (`nest build` empties dist/) may remove the bundle just
 * as the gateway starts; the gateway then looks for it again at each request, so build it again.
 */
async function ensureDemoServed(origin: string): Promise<void> {
  await waitFor(
    async () => {
      const res = await fetch(`${origin}/`);
      if (res.headers.get('content-type')?.startsWith('text/html')) return true;
      buildDemo();
      return false;
    },
    STEP_MS,
    'the demo page',
  );
}

/**
 * Redis (REDIS_URL or a private redis-server), an echo upstream, the gateway with its embedded
 * simulator on a fixed port so PUBLIC_ORIGIN can be http://localhost:<port>, and one Chromium.
 */
export function startBrowserStack(env: Record<string, string> = {}): Promise<BrowserStack> {
  return Teardown.guard(async (teardown) => {
    // Fail before starting anything when the browser is missing: say what to install.
    if (!CHROMIUM) {
      throw new Error('chromium not found: install it, or set CHROMIUM_BIN to its path');
    }
    // The gateway reads the bundle into memory at start; build it now so that this suite tests
    // the current sources even when run alone (npm run test:browser) or after a `nest build`
    // emptied dist.
    buildDemo();
    let redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      const redis = teardown.add(new TestRedisServer(), (r) => r.stop());
      await redis.start();
      redisUrl = redis.url;
    }
    const echo = teardown.add(await startEchoUpstream(), (e) => new Promise((r) => e.close(r)));
    const echoPort = (echo.address() as AddressInfo).port;
    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const gateway = teardown.add(
      await createTestApp(
        {
          REDIS_URL: redisUrl,
          REDIS_KEY_PREFIX: `b${port}:`,
          PUBLIC_ORIGIN: origin,
          ONEACCESS_BASE_URL: undefined,
          ONEACCESS_CLIENT_ID: undefined,
          ONEACCESS_CLIENT_SECRET: undefined,
          SIMULATOR_PORT: '0',
          API_ROUTES: JSON.stringify({ echo: { target: `http://127.0.0.1:${echoPort}` } }),
          ...env,
        },
        port,
      ),
      (g) => g.close(),
    );
    await ensureDemoServed(origin);
    const endpoint = gateway.app.get<OneAccessEndpoint>(ONEACCESS_ENDPOINT, { strict: false });
    const simulator = { url: endpoint.baseUrl };
    // Codes may be requested back to back in a test; 0 lifts the simulator's resend interval.
    await simControl(simulator, 'PATCH', 'config', { smsResendIntervalS: 0 });
    const browser = teardown.add(
      await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      }),
      (b) => b.close(),
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    return { origin, gateway, simulator, browser, close: () => teardown.run() };
  });
}

/** The newest code the simulator "sent" to `mobile`. */
export async function latestCode(sim: Simulator, mobile: string): Promise<string> {
  const outbox = await simControl<Array<{ code: string }>>(
    sim,
    'GET',
    `sms/outbox?mobile=${mobile}`,
  );
  const last = outbox[outbox.length - 1];
  if (!last) throw new Error(`no SMS was sent to ${mobile}`);
  return last.code;
}

/** Tabs opened by openDemo in the running test; useBrowserSuite closes and checks them. */
const openTabs: TestPage[] = [];

/**
 * The hooks every browser suite needs: one stack per file, and after each test every tab it
 * opened closed, with no uncaught error or CSP violation seen in any of them.
 */
export function useBrowserSuite(env: Record<string, string> = {}): {
  readonly stack: BrowserStack;
} {
  const suite = {} as { stack: BrowserStack };
  beforeAll(async () => {
    suite.stack = await startBrowserStack(env);
  });
  afterAll(() => suite.stack?.close());
  afterEach(async () => {
    const tabs = openTabs.splice(0);
    const problems = tabs.flatMap((t) => t.problems);
    for (const t of tabs) await t.context.close();
    expect(problems).toEqual([]);
  });
  return suite;
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and CSP violations seen in the page. */
  problems: string[];
}

/** A fresh browser profile (no cookies) with the demo open at `path`, in a browser set to `locale`. */
export async function openDemo(
  stack: BrowserStack,
  path = '/',
  locale = 'en-US',
): Promise<TestPage> {
  const context = await stack.browser.newContext({
    viewport: { width: 1280, height: 860 },
    locale,
  });
  context.setDefaultTimeout(STEP_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text()))
      problems.push(`CSP: ${msg.text()}`);
  });
  await page.goto(`${stack.origin}${path}`);
  await sessionStatus(page).waitFor();
  const tab: TestPage = { context, page, problems };
  openTabs.push(tab);
  return tab;
}

/** Saves `test-results/screenshots/<name>.png` of the whole page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  // Let the session panel's clock and fonts settle on the current state.
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The session view the page last showed (its "Raw answer" panel). */
export async function sessionJson(page: Page): Promise<unknown> {
  return JSON.parse((await page.getByTestId('session-json').textContent()) ?? 'null');
}

export function sessionStatus(page: Page): Locator {
  return page.getByTestId('session-status');
}

/** Polls (bounded) until the locator's text matches. */
export async function expectText(
  locator: Locator,
  expected: string | RegExp,
  timeoutMs = STEP_MS,
): Promise<string> {
  let last = '';
  try {
    await waitFor(
      async () => {
        last = (await locator.innerText({ timeout: 1000 })).trim();
        return typeof expected === 'string' ? last === expected : expected.test(last);
      },
      timeoutMs,
      `text ${String(expected)}`,
    );
    return last;
  } catch (err) {
    throw new Error(`${(err as Error).message}; last text: ${JSON.stringify(last)}`);
  }
}

/** Polls (bounded) until the locator matches `count` elements. */
export async function expectCount(locator: Locator, count: number): Promise<void> {
  await waitFor(async () => (await locator.count()) === count, STEP_MS, `${count} elements`);
}

/** The page's status pill shows `status` (the live session view). */
export function expectStatus(page: Page, status: string): Promise<string> {
  return expectText(sessionStatus(page), status);
}

/** A link of the flows menu. */
export function menu(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Flows' }).getByRole('link', { name, exact: true });
}

export function errorNotice(page: Page): Locator {
  return page.getByTestId('notice-error');
}

export function successNotice(page: Page): Locator {
  return page.getByTestId('notice-success');
}

/** The page's next `GET /auth/captcha` answer (call before the action that fetches it). */
export function nextCaptcha(page: Page): Promise<Response> {
  return page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/auth/captcha' && r.request().method() === 'GET',
  );
}

/**
 * Drags the slider with the mouse as a person would, to the answer the simulator holds for the
 * captcha the page fetched (`dx` misses it on purpose). Without `captcha`, presses "Get code"
 * first. Returns the page's following captcha fetch (the page fetches a new picture after a miss).
 */
export async function dragCaptcha(
  page: Page,
  stack: BrowserStack,
  dx = 0,
  captcha?: Promise<Response>,
  /** Screenshot name for the moment before the release (the piece over the gap). */
  shot?: string,
): Promise<{ next: Promise<Response> }> {
  if (!captcha) {
    captcha = nextCaptcha(page);
    await page.getByTestId('get-code').click();
  }
  const { token } = (await (await captcha).json()) as { token: string };
  const answer = await simControl<{ x: number }>(stack.simulator, 'GET', `captcha/${token}`);
  await page.locator('[data-testid="captcha"][data-state="ready"]').waitFor();
  const box = (await page.getByTestId('captcha-handle').boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + answer.x + dx, y + 2, { steps: 15 });
  if (shot) await screenshot(page, shot);
  const next = nextCaptcha(page);
  next.catch(() => undefined); // not every drag is followed by another captcha
  await page.mouse.up();
  return { next };
}

/** Captcha, SMS to `mobile`, and the code typed into the form. */
export async function requestAndEnterCode(
  page: Page,
  stack: BrowserStack,
  mobile: string,
): Promise<string> {
  const before = await outboxSize(stack, mobile);
  await dragCaptcha(page, stack);
  await expectText(successNotice(page).locator('.notice-title'), 'Code sent');
  await waitFor(async () => (await outboxSize(stack, mobile)) > before, STEP_MS, 'the SMS');
  const code = await latestCode(stack.simulator, mobile);
  await page.getByLabel('Code', { exact: true }).fill(code);
  return code;
}

async function outboxSize(stack: BrowserStack, mobile: string): Promise<number> {
  return (await simControl<unknown[]>(stack.simulator, 'GET', `sms/outbox?mobile=${mobile}`))
    .length;
}

/** Signs in with a password through the form and waits for `status`. */
export async function passwordLogin(
  page: Page,
  user: string,
  status = 'SUCCESS',
  password = PASSWORD,
): Promise<void> {
  await menu(page, 'Password').click();
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expectStatus(page, status);
}
