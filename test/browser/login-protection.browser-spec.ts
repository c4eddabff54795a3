import {
  dragCaptcha,
  errorNotice,
  expectStatus,
  expectText,
  nextCaptcha,
  openDemo,
  PASSWORD,
  screenshot,
  useBrowserSuite,
} from './browser-harness';

jest.setTimeout(90_000);

describe('demo page: the slider the gateway asks for after failed passwords', () => {
  // OneAccess's threshold 3: the gateway wants a captcha after one failure for an account.
  const suite = useBrowserSuite({ RATE_LIMITS: '{}', ONEACCESS_LOCKOUT_THRESHOLD: '3' });

  it('should show the slider on CAPTCHA_REQUIRED and sign in once it is solved', async () => {
    const { page } = await openDemo(suite.stack);
    const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
    await page.getByLabel('User name').fill('zhouba');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await signIn.click();
    await expectText(errorNotice(page), /wrong/i);

    // the owner now types the right password: the gateway first wants the slider
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    const captcha = nextCaptcha(page);
    await signIn.click();
    await expectText(errorNotice(page), /captcha/i);
    await page.locator('[data-testid="login-captcha"] [data-state="ready"]').waitFor();
    await screenshot(page, 'login-captcha-required');
    await dragCaptcha(page, suite.stack, 0, captcha, 'login-captcha-drag');
    // verified for the account, the page signs in again by itself
    await expectStatus(page, 'SUCCESS');
  });
});
