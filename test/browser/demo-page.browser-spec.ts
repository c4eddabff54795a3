import { createTestApp } from '../helpers/create-test-app';
import {
  expectStatus,
  expectText,
  menu,
  openDemo,
  screenshot,
  useBrowserSuite,
} from './browser-harness';

jest.setTimeout(60_000);

describe('demo page: serving and the anonymous view (issue 7)', () => {
  const suite = useBrowserSuite();

  it('should serve the page under its own strict policy and keep the JSON routes at none', async () => {
    const page = await fetch(`${suite.stack.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).not.toMatch(/<script>|style=/); // no inline code for the policy to allow
    expect(html).toContain(
      `<meta name="oneaccess-simulator" content="${suite.stack.simulator.url}">`,
    );

    const again = await fetch(`${suite.stack.origin}/app.js`, {
      headers: {
        'if-none-match': (await fetch(`${suite.stack.origin}/app.js`)).headers.get('etag')!,
      },
    });
    expect(again.status).toBe(304);

    const json = await fetch(`${suite.stack.origin}/auth/session`);
    expect(json.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(json.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${suite.stack.origin}/no-such-file.js`)).status).toBe(404);
  });

  it('should not serve the page when DEMO_ENABLED=false', async () => {
    const off = await createTestApp({
      DEMO_ENABLED: 'false',
      ONEACCESS_BASE_URL: undefined,
      SIMULATOR_PORT: '0',
      REDIS_URL: undefined,
    });
    try {
      const res = await fetch(`${off.url}/`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
      expect((await fetch(`${off.url}/app.js`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('should open anonymous, with the live session view and no cookie visible to scripts', async () => {
    const tab = await openDemo(suite.stack);
    const { page } = tab;
    await expectStatus(page, 'ANONYMOUS');
    await expectText(page.locator('.view h2'), 'Sign in with a password');
    expect(await page.evaluate('document.cookie')).toBe('');
    await expectText(page.getByTestId('document-cookie'), '""');
    await expectText(page.locator('.session-panel .muted'), /^Updated /);
    // Pages that need a login are marked in the menu and point to the sign-in when opened.
    expect(await menu(page, 'Profile').getAttribute('aria-disabled')).toBe('true');
    await page.evaluate("location.hash = '#/profile'");
    await expectText(page.locator('.view .card p').first(), /Sign in first/);
    await menu(page, 'Password').click();
    await screenshot(page, 'home-anonymous');
  });
});
