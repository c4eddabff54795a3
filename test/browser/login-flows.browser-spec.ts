import {
  dragCaptcha,
  errorNotice,
  expectStatus,
  expectText,
  latestCode,
  menu,
  openDemo,
  PASSWORD,
  passwordLogin,
  requestAndEnterCode,
  screenshot,
  sessionJson,
  STEP_MS,
  successNotice,
  useBrowserSuite,
} from './browser-harness';

jest.setTimeout(90_000);

/** Seed users of simulator/seed/default-seed.json. */
const U = {
  plain: { user_name: 'zhangsan', mobile: '13800000001' },
  mfa: { user_name: 'lisi', mobile: '13800000002' },
  warn: { user_name: 'wangwu', mobile: '13800000003' },
  expired: { user_name: 'zhaoliu', mobile: '13800000004' },
  denied: { user_name: 'sunqi', mobile: '13800000005' },
};

describe('demo page: signing in, in a real browser (issue 7)', () => {
  const suite = useBrowserSuite();

  it('should sign in with a password under an HttpOnly, Secure, SameSite=Strict __Host- cookie', async () => {
    const tab = await openDemo(suite.stack);
    const { page, context } = tab;
    await page.getByLabel('User name').fill(U.plain.user_name);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await screenshot(page, 'password-login');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectStatus(page, 'SUCCESS');
    await expectText(successNotice(page).locator('.notice-title'), 'Welcome, 张三');
    await expectText(page.locator('.view h2'), 'Signed in as 张三');
    await expectText(page.getByTestId('header-status'), '张三 · zhangsan');

    const cookies = await context.cookies(suite.stack.origin);
    const session = cookies.find((c) => c.name === '__Host-bff');
    expect(session).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/',
      domain: 'localhost', // host-only: a Domain attribute would show as ".localhost"
      expires: -1, // a session cookie: no Expires / Max-Age
    });
    // HttpOnly, seen from inside the page: scripts get nothing.
    expect(await page.evaluate('document.cookie')).toBe('');
    await expectText(page.getByTestId('document-cookie'), '""');
    const view = (await sessionJson(page)) as {
      user: { mobile: string };
    };
    expect(view.user.mobile).toBe('138****0001');
    await page.getByText('Raw answer of GET /auth/session').click();
    await page.getByTestId('session-json').waitFor();
    await screenshot(page, 'signed-in');
  });

  it('should follow the session live and sign out from another tab', async () => {
    const tab = await openDemo(suite.stack);
    const { page, context } = tab;
    await passwordLogin(page, U.plain.user_name);
    const other = await context.newPage();
    await other.goto(suite.stack.origin);
    await expectStatus(other, 'SUCCESS');
    await other.getByTestId('logout').click();
    await expectStatus(other, 'ANONYMOUS');
    await expectText(other.getByTestId('notice-success').locator('.notice-title'), 'Signed out');
    // The first tab learns it by polling GET /auth/session?slide=false.
    await expectStatus(page, 'ANONYMOUS');
    await expectText(
      page.getByTestId('notice-info').locator('.notice-title'),
      'Your session has ended',
    );
    await expectText(page.locator('.view h2'), 'Sign in with a password');
    expect((await context.cookies(suite.stack.origin)).map((c) => c.name)).not.toContain(
      '__Host-bff',
    );
    await screenshot(other, 'signed-out');
  });

  it('should show contract errors as readable messages with the request id', async () => {
    const tab = await openDemo(suite.stack);
    const { page } = tab;
    await passwordLogin(page, 'zhouba', 'ANONYMOUS', 'wrong-password-1');
    const error = errorNotice(page);
    await expectText(error.locator('.notice-title'), 'Wrong credentials or code');
    await expectText(error, /Invalid account name or password\. Remaining attempts: \d+/);
    await expectText(
      error.locator('.notice-meta'),
      /^HTTP 401 · INVALID_CREDENTIALS · OneAccess LOGIN\.0002 · request id \S+$/,
    );
    await screenshot(page, 'error-wrong-password');

    await page.getByLabel('User name').fill(U.denied.user_name);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectText(error.locator('.notice-title'), 'Access denied');
    await expectText(error.locator('.notice-meta'), /^HTTP 403 · ACCESS_DENIED/);

    // Field errors come back from validation (an empty user name).
    await page.getByLabel('User name').fill('');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectText(error.locator('.notice-title'), 'Please check the form');
    await expectText(error.locator('li').first(), /^user_name /);
    await expectStatus(page, 'ANONYMOUS');
  });

  it('should sign in by SMS after the captcha piece is dragged into the gap', async () => {
    const tab = await openDemo(suite.stack, '/#/sms');
    const { page, context } = tab;
    await page.getByLabel('Mobile number').fill(U.plain.mobile);

    // A miss is refused and a new picture comes; the right drag then sends the code.
    const { next } = await dragCaptcha(page, suite.stack, 60);
    await expectText(errorNotice(page).locator('.notice-meta'), /OneAccess CAPTCHA\.0002/);
    await expectText(page.locator('.captcha-status'), 'Not quite. Try this new picture.');
    await screenshot(page, 'sms-captcha-missed');
    await dragCaptcha(page, suite.stack, 0, next, 'sms-captcha-dragged');
    await expectText(successNotice(page).locator('.notice-title'), 'Code sent');
    await expectText(page.getByTestId('get-code'), /^Send again in \d+ s$/);

    // In development the page links to the simulator's outbox, where a person reads the code.
    const link = page.getByTestId('outbox-link');
    expect(await link.getAttribute('href')).toBe(
      `${suite.stack.simulator.url}/__sim/sms/outbox?mobile=${U.plain.mobile}`,
    );
    const [outbox] = await Promise.all([context.waitForEvent('page'), link.click()]);
    const code = await latestCode(suite.stack.simulator, U.plain.mobile);
    await expectText(outbox.locator('body'), new RegExp(`"code":\\s*"${code}"`));
    await outbox.close();

    await page.getByLabel('Code', { exact: true }).fill(code);
    await screenshot(page, 'sms-code-sent');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectStatus(page, 'SUCCESS');
    expect(await sessionJson(page)).toMatchObject({
      login_method: 'sms',
      user: { user_name: U.plain.user_name },
    });
  });

  it('should sign in with a WeChat code and with an Alipay code', async () => {
    const tab = await openDemo(suite.stack, '/#/social');
    const { page } = tab;
    await page.getByLabel('Provider code').fill('wx-code-zhangsan');
    await screenshot(page, 'social-login');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectStatus(page, 'SUCCESS');
    await expectText(successNotice(page), /Signed in with WeChat/);
    await page.getByTestId('logout').click();
    await expectStatus(page, 'ANONYMOUS');

    await menu(page, 'WeChat / Alipay').click();
    await page.getByLabel('Alipay').check();
    await page.getByLabel('Provider code').fill('ali-code-zhangsan');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectStatus(page, 'SUCCESS');
    await expectText(successNotice(page), /Signed in with Alipay/);

    await page.getByTestId('logout').click();
    await expectStatus(page, 'ANONYMOUS');
    await menu(page, 'WeChat / Alipay').click();
    await page.getByLabel('Provider code').fill('not-a-code');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectText(errorNotice(page), /Parameter code is invalid/);
  });

  it('should finish the MFA step with an SMS code sent to the masked number', async () => {
    const tab = await openDemo(suite.stack);
    const { page } = tab;
    await passwordLogin(page, U.mfa.user_name, 'MFA_AUTH');
    await expectText(page.locator('.view h2'), 'One more step: SMS verification');
    await expectText(page.getByTestId('mfa-mobile'), '138****0002');
    await requestAndEnterCode(page, suite.stack, U.mfa.mobile);
    await screenshot(page, 'mfa-step');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await expectStatus(page, 'SUCCESS');
    await expectText(page.getByTestId('header-status'), '李四 · lisi');
  });

  it('should skip, and later change, a password about to expire', async () => {
    const tab = await openDemo(suite.stack);
    const { page } = tab;
    await passwordLogin(page, U.warn.user_name, 'PASSWORD_WARN');
    await expectText(page.locator('.view h2'), 'Your password is about to expire');
    await expectText(page.locator('.policy li').first(), '8 to 18 characters');
    await screenshot(page, 'password-warn');
    await page.getByRole('button', { name: 'Not now' }).click();
    await expectStatus(page, 'SUCCESS');
    await page.getByTestId('logout').click();
    await expectStatus(page, 'ANONYMOUS');

    await passwordLogin(page, U.warn.user_name, 'PASSWORD_WARN');
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('Changed0rd!2025');
    await page.getByLabel('New password again').fill('Changed0rd!2025');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectStatus(page, 'SUCCESS');
    await page.getByTestId('logout').click();
    await expectStatus(page, 'ANONYMOUS');
    // Changed for real: the new password signs in straight away, with no warning.
    await passwordLogin(page, U.warn.user_name, 'SUCCESS', 'Changed0rd!2025');
  });

  it('should make a person change an expired password, without a way to skip', async () => {
    const tab = await openDemo(suite.stack);
    const { page } = tab;
    await passwordLogin(page, U.expired.user_name, 'PASSWORD_EXPIRED');
    await expectText(page.locator('.view h2'), 'Your password has expired');
    expect(await page.getByRole('button', { name: 'Not now' }).count()).toBe(0);
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(errorNotice(page), /password policy/);
    await screenshot(page, 'password-expired');
    await page.getByLabel('New password', { exact: true }).fill('Renewed0rd!2025');
    await page.getByLabel('New password again').fill('Renewed0rd!2025');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectStatus(page, 'SUCCESS');
  });

  it('should sign in through the OneAccess redirect and land signed in under the Strict cookie', async () => {
    const tab = await openDemo(suite.stack, '/#/oauth');
    const { page, context } = tab;
    await screenshot(page, 'oauth-start');
    await page.getByTestId('oauth-start').click();
    // browser -> gateway /auth/oauth/login -> simulator's login page (another site)
    await page.waitForURL((url) => url.href.startsWith(`${suite.stack.simulator.url}/login`), {
      timeout: STEP_MS,
    });
    await page.getByLabel('User name').fill(U.plain.user_name);
    await page.getByLabel('Password').fill(PASSWORD);
    await screenshot(page, 'oauth-simulator-login');
    const callback = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/auth/oauth/callback',
    );
    await page.getByRole('button', { name: 'Sign in' }).click();
    // -> authorize -> the gateway's callback (a cross-site navigation) -> back to the SPA
    const landed = await callback;
    expect(landed.status()).toBe(302);
    expect(new URL(landed.headers().location, suite.stack.origin).href).toBe(
      `${suite.stack.origin}/`,
    );
    await page.waitForURL(`${suite.stack.origin}/#/home`, { timeout: STEP_MS });
    await expectStatus(page, 'SUCCESS');
    await expectText(
      successNotice(page).locator('.notice-title'),
      'Signed in through the OneAccess redirect',
    );
    expect(await sessionJson(page)).toMatchObject({
      login_method: 'oauth',
      user: { user_name: U.plain.user_name },
    });
    const cookies = await context.cookies(suite.stack.origin);
    expect(cookies.find((c) => c.name === '__Host-bff')).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/',
      domain: 'localhost',
    });
    // The transaction cookie is single use: the callback deleted it.
    expect(cookies.map((c) => c.name)).not.toContain('__Host-bff-oauth');
    expect(await page.evaluate('document.cookie')).toBe('');
    await expectText(page.locator('.view .intro'), /the OneAccess redirect/);
    await screenshot(page, 'oauth-landed');
  });

  it('should explain a failed redirect login', async () => {
    const tab = await openDemo(suite.stack);
    const { page } = tab;
    // A callback with a state this browser never started is refused and sent back to the SPA.
    await page.goto(`${suite.stack.origin}/auth/oauth/callback?code=forged&state=forged-state`);
    await page.waitForURL((url) => url.pathname === '/' && !url.search, { timeout: STEP_MS });
    await expectText(
      errorNotice(page).locator('.notice-title'),
      'OneAccess sign-in did not complete',
    );
    await expectText(errorNotice(page).locator('.notice-meta'), /^\S+$/); // the gateway's code
    await expectStatus(page, 'ANONYMOUS');
    await screenshot(page, 'oauth-error');
  });
});
