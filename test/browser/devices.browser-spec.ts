import {
  expectCount,
  expectStatus,
  expectText,
  menu,
  openDemo,
  passwordLogin,
  screenshot,
  successNotice,
  TestPage,
  useBrowserSuite,
} from './browser-harness';

jest.setTimeout(90_000);

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1';

describe('demo page: "Your devices", in a real browser (adoption issue)', () => {
  const suite = useBrowserSuite();

  /** Another browser profile signed in as the same user, looking like a phone. */
  async function phone(): Promise<TestPage> {
    const tab = await openDemo(suite.stack);
    await tab.context.setExtraHTTPHeaders({ 'User-Agent': IPHONE });
    await passwordLogin(tab.page, 'zhangsan');
    return tab;
  }

  it('should list both browsers of a user, sign the other one out, then all others', async () => {
    const a = await openDemo(suite.stack);
    await passwordLogin(a.page, 'zhangsan');
    const b = await phone();

    await menu(a.page, 'Your devices').click();
    const rows = a.page.getByTestId('device');
    await expectCount(rows, 2);
    // newest first: the phone signed in last; this browser is marked
    await expectText(rows.first(), /^Safari on iOS 17\b/);
    await expectText(rows.nth(1), /This device/);
    await expectCount(a.page.getByTestId('this-device'), 1);
    await screenshot(a.page, 'devices');

    await a.page.getByRole('button', { name: 'Sign out Safari on iOS 17' }).click();
    await expectText(successNotice(a.page).locator('.notice-title'), 'Safari on iOS 17 signed out');
    await expectCount(rows, 1);
    await expectText(rows.first(), /This device/);
    // B's next look at its session finds none
    await b.page.reload();
    await expectStatus(b.page, 'ANONYMOUS');
    await expectStatus(a.page, 'SUCCESS');

    // Two more devices, then "Sign out all other devices"
    const c = await phone();
    const d = await phone();
    await a.page.reload();
    await expectCount(rows, 3);
    await a.page.getByTestId('end-other-devices').click();
    await expectText(successNotice(a.page).locator('.notice-title'), '2 other devices signed out');
    await expectCount(rows, 1);
    expect(await a.page.getByTestId('end-other-devices').isDisabled()).toBe(true);
    for (const other of [c, d]) {
      await other.page.reload();
      await expectStatus(other.page, 'ANONYMOUS');
    }
    await expectStatus(a.page, 'SUCCESS');
  });
});
