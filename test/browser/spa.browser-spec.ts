import type { BrowserContext } from 'playwright-core';
import { SPA_MARKER, SpaFixture } from '../helpers/spa-fixture';
import { BrowserStack, startBrowserStack, STEP_MS } from './browser-harness';

jest.setTimeout(60_000);

/**
 * The team's SPA (SPA_DIR) under /portal in a real Chromium: a deep link and the OAuth error
 * landing load the page, its hashed script runs under the SPA's policy (no violation), and it
 * reaches the gateway's /portal/auth from the page.
 */
describe("the team's SPA in a browser (SPA_DIR under /portal)", () => {
  const spa = new SpaFixture();
  let stack: BrowserStack | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    await spa.create();
    stack = await startBrowserStack({ BASE_PATH: '/portal', SPA_DIR: spa.root });
  });

  afterEach(() => context?.close());

  afterAll(async () => {
    await stack?.close();
    await spa.remove();
  });

  it.each(['/portal/orders/7?tab=open', '/portal/?auth_error=invalid_state'])(
    'should load %s and run the SPA under its policy',
    async (path) => {
      context = await stack!.browser.newContext();
      context.setDefaultTimeout(STEP_MS);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
      });
      page.on('response', (res) => {
        if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
      });
      await page.goto(`${stack!.origin}${path}`);
      const marker = page.locator(`#${SPA_MARKER}`);
      await marker.getByText(`route ${path} session false`).waitFor();
      expect(problems).toEqual([]);
    },
  );
});
