import {
  expectStatus,
  expectText,
  menu,
  openDemo,
  passwordLogin,
  screenshot,
  STEP_MS,
  useBrowserSuite,
} from './browser-harness';

jest.setTimeout(90_000);

/**
 * The demo's live view in Chromium: a WebSocket through the gateway to the development feed
 * (`/api/live/feed`), and what signing out in another tab does to it (docs/api.md section 5).
 */
describe('demo: a live WebSocket, closed when the session ends in another tab', () => {
  const suite = useBrowserSuite();

  it('should show pushed messages, then the 4401 close after sign-out in another tab', async () => {
    const { page, context } = await openDemo(suite.stack);
    await passwordLogin(page, 'zhangsan');
    await menu(page, 'Live updates').click();
    await expectText(page.getByTestId('live-state'), 'Open');
    // The feed pushes every 3 s.
    await expectText(page.getByTestId('live-messages'), /"n":\d+/, STEP_MS);
    await screenshot(page, 'live-socket-open');

    const other = await context.newPage();
    await other.goto(`${suite.stack.origin}/`);
    await expectStatus(other, 'SUCCESS');
    await other.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expectStatus(other, 'ANONYMOUS');

    // The socket's 4401 close: the page says so, and shows that it is signed out.
    await expectText(
      page.getByTestId('notice-info').locator('.notice-title'),
      'Live updates closed by the gateway: session ended (4401)',
      5000,
    );
    await expectText(page.getByTestId('session-status'), 'ANONYMOUS', 2000);
    await screenshot(page, 'live-socket-signed-out');
    await other.close();
  });
});
