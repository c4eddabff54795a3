import {
  errorNotice,
  expectCount,
  expectStatus,
  expectText,
  menu,
  openDemo,
  passwordLogin,
  requestAndEnterCode,
  screenshot,
  sessionJson,
  simControl,
  successNotice,
  useBrowserSuite,
} from './browser-harness';

jest.setTimeout(90_000);

describe('demo page: accounts, profile and the API relay, in a real browser (issue 7)', () => {
  const suite = useBrowserSuite();

  it('should register a new account by SMS and land signed in', async () => {
    const tab = await openDemo(suite.stack, '/#/register');
    const { page } = tab;
    const mobile = '13900000101';
    await page.getByLabel('Mobile number').fill(mobile);
    await requestAndEnterCode(page, suite.stack, mobile);
    await page.getByLabel('User name').fill('demo_user_1');
    await page.getByLabel('Password', { exact: true }).fill('Regist3r!2025');
    await page.getByLabel('Name', { exact: true }).fill('Demo User');
    await page.getByLabel('Email').fill('demo.user@example.com');
    await screenshot(page, 'register');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expectStatus(page, 'SUCCESS');
    expect(await sessionJson(page)).toMatchObject({
      login_method: 'register',
      user: { user_name: 'demo_user_1', name: 'Demo User', mobile: '139****0101' },
    });

    // The same number cannot register twice: the refusal is readable.
    await page.getByTestId('logout').click();
    await expectStatus(page, 'ANONYMOUS');
    await menu(page, 'Register').click();
    await page.getByLabel('Mobile number').fill(mobile);
    await requestAndEnterCode(page, suite.stack, mobile);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expectText(errorNotice(page), /Mobile number already exists/);
  });

  it('should reset a password by SMS, then sign in with the new one', async () => {
    const tab = await openDemo(suite.stack, '/#/reset');
    const { page } = tab;
    const mobile = '13800000007'; // wujiu
    await page.getByLabel('Mobile number').fill(mobile);
    await requestAndEnterCode(page, suite.stack, mobile);
    await page.getByLabel('New password', { exact: true }).fill('Reset0rd!2025');
    await page.getByLabel('New password again').fill('Reset0rd!2025');
    await screenshot(page, 'reset-password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expectText(successNotice(page).locator('.notice-title'), 'Password changed');
    await expectText(page.locator('.view h2'), 'Sign in with a password');
    await passwordLogin(page, 'wujiu', 'SUCCESS', 'Reset0rd!2025');
  });

  it('should link an unbound WeChat identity to the account of a proven mobile', async () => {
    const tab = await openDemo(suite.stack, '/#/social');
    const { page } = tab;
    await page.getByLabel('Provider code').fill('wx-code-unbound');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectStatus(page, 'SOCIAL_BIND');
    await expectText(page.locator('.view h2'), 'Link your WeChat account');
    const mobile = '13800000006'; // zhouba
    await page.getByLabel('Mobile number').fill(mobile);
    await requestAndEnterCode(page, suite.stack, mobile);
    await screenshot(page, 'social-bind');
    await page.getByRole('button', { name: 'Link to my account' }).click();
    await expectStatus(page, 'SUCCESS');
    await expectText(page.getByTestId('header-status'), '周八 · zhouba');

    // Linked: the same WeChat identity now signs in directly.
    await page.getByTestId('logout').click();
    await expectStatus(page, 'ANONYMOUS');
    await menu(page, 'WeChat / Alipay').click();
    await page.getByLabel('Provider code').fill('wx-code-unbound');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectStatus(page, 'SUCCESS');
    await expectText(page.getByTestId('header-status'), '周八 · zhouba');
  });

  it('should create an account for a new Alipay identity (register-bind)', async () => {
    const tab = await openDemo(suite.stack, '/#/social');
    const { page } = tab;
    await page.getByLabel('Alipay').check();
    await page.getByLabel('Provider code').fill('new-browser-alipay-1');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectStatus(page, 'SOCIAL_BIND');
    await expectText(page.locator('.view h2'), 'Link your Alipay account');
    const mobile = '13900000202';
    await page.getByLabel('Mobile number').fill(mobile);
    await requestAndEnterCode(page, suite.stack, mobile);
    await page.getByRole('button', { name: 'Create an account and link' }).click();
    await expectStatus(page, 'SUCCESS');
    expect(await sessionJson(page)).toMatchObject({
      login_method: 'alipay',
      user: { user_name: mobile, mobile: '139****0202' },
    });
  });

  it('should show the profile and save an edit', async () => {
    const tab = await openDemo(suite.stack);
    const { page } = tab;
    await passwordLogin(page, 'zhangsan');
    await menu(page, 'Profile').click();
    await expectText(page.locator('.facts'), /zhangsan@example\.com/);
    const nick = page.getByLabel('Nickname');
    await nick.waitFor();
    expect(await nick.inputValue()).toBe('San');
    expect(await page.getByLabel('Birthday').inputValue()).toBe('1990-01-15');
    await nick.fill('Sanny');
    await page.getByLabel('Gender').selectOption('unknow');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(successNotice(page), /Changed: attr_nick_name, attr_gender\./);
    await screenshot(page, 'profile');

    // Saved in OneAccess: a reload reads it back.
    await page.reload();
    await expectStatus(page, 'SUCCESS');
    await page.getByLabel('Nickname').waitFor();
    await expectText(page.locator('.view h2'), 'Your profile');
    expect(await page.getByLabel('Nickname').inputValue()).toBe('Sanny');
    expect(await page.getByLabel('Gender').inputValue()).toBe('unknow');

    await page.getByLabel('Extension attributes (JSON)').fill('{ not json');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(errorNotice(page), /Extension must be a JSON object/);
  });

  it('should list the linked social accounts and unlink one', async () => {
    const tab = await openDemo(suite.stack);
    const { page } = tab;
    await passwordLogin(page, 'zhangsan');
    await menu(page, 'Social accounts').click();
    const rows = page.getByTestId('social-accounts').locator('tbody tr');
    await expectCount(rows, 2);
    await expectText(rows.first(), /WeChat\s+San on WeChat/);
    await expectText(rows.nth(1), /Alipay\s+San on Alipay/);
    await screenshot(page, 'social-accounts');
    await page.getByRole('button', { name: 'Unlink Alipay San on Alipay' }).click();
    await expectText(successNotice(page).locator('.notice-title'), 'Alipay unlinked');
    await expectCount(rows, 1);
    await expectText(rows.first(), /WeChat/);

    // Unlinked for real: that Alipay identity now needs linking again.
    await page.getByTestId('logout').click();
    await expectStatus(page, 'ANONYMOUS');
    await menu(page, 'WeChat / Alipay').click();
    await page.getByLabel('Alipay').check();
    await page.getByLabel('Provider code').fill('ali-code-zhangsan');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectStatus(page, 'SOCIAL_BIND');
  });

  it('should call an API through the relay and show its answer, never the token', async () => {
    const tab = await openDemo(suite.stack);
    const { page } = tab;
    await passwordLogin(page, 'zhangsan');
    await menu(page, 'Call an API').click();
    expect(await page.getByLabel('Path').inputValue()).toBe('/api/echo/hello?from=demo');
    await page.getByRole('button', { name: 'Send' }).click();
    const result = page.getByTestId('api-result');
    await expectText(result.locator('.result-status'), /^HTTP 200 application\/json/);
    const answer = JSON.parse(await result.locator('pre').innerText()) as Record<string, unknown>;
    expect(answer).toMatchObject({
      ok: true,
      method: 'GET',
      path: '/hello?from=demo',
      has_bearer: true,
      saw_cookie: false,
    });
    await screenshot(page, 'api-call');

    await page.getByLabel('Method').selectOption('POST');
    await page.getByLabel('JSON body').fill('{"hello":"relay"}');
    await page.getByRole('button', { name: 'Send' }).click();
    await expectText(
      result.locator('pre'),
      /"method": "POST"[\s\S]*"body": "\{\\"hello\\":\\"relay\\"\}"/,
    );

    // No token the simulator issued ever reached the page.
    const { tokens } = await simControl<{ tokens: Array<{ kind: string; value: string }> }>(
      suite.stack.simulator,
      'GET',
      'issued-tokens',
    );
    const html = await page.content();
    const leaked = tokens.filter((t) => t.kind !== 'captcha' && html.includes(t.value));
    expect(leaked).toEqual([]);

    await page.getByLabel('Method').selectOption('GET');
    await page.getByLabel('Path').fill('/api/no-such-api/x');
    await page.getByRole('button', { name: 'Send' }).click();
    await expectText(
      errorNotice(page).locator('.notice-meta'),
      /^HTTP 404 · NOT_FOUND · request id /,
    );
    await expectText(result.locator('.result-status'), /answered by the gateway/);
  });
});
