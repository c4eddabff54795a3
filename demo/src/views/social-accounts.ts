import { client } from '../api';
import type { App } from '../app';
import type { SocialAccount } from '@oneaccess-bff/client';
import { busy, button, h } from '../dom';
import { card } from './common';

const TYPE_NAME: Record<string, string> = { weixin: 'WeChat', wechat: 'WeChat', alipay: 'Alipay' };

export function socialAccountsView(app: App): HTMLElement {
  const body = h('div', { class: 'loading' }, 'Loading…');

  const load = () =>
    client.socialAccounts().then(
      (accounts) => body.replaceChildren(accounts.length > 0 ? table(accounts) : empty()),
      (err: unknown) => {
        body.textContent = 'The list could not be loaded.';
        app.notices.error(err);
      },
    );

  const empty = () =>
    h(
      'p',
      { class: 'empty', 'data-testid': 'no-social-accounts' },
      'No WeChat or Alipay account is linked. Sign in with one to link it.',
    );

  const table = (accounts: SocialAccount[]) =>
    h(
      'table',
      { class: 'table', 'data-testid': 'social-accounts' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Provider'),
          h('th', {}, 'Nickname'),
          h('th', {}, 'Linked'),
          h('th', {}),
        ),
      ),
      h(
        'tbody',
        {},
        ...accounts.map((a) => {
          const provider = TYPE_NAME[a.type] ?? a.type;
          const unbind: HTMLButtonElement = button(
            'Unlink',
            () =>
              void busy(unbind, 'Unlinking…', () => client.unbindSocialAccount(a.id)).then(
                () => {
                  app.notices.success(
                    `${provider} unlinked`,
                    h('p', {}, `${a.nickname || provider} no longer signs in to this account.`),
                  );
                  return load();
                },
                (err: unknown) => app.notices.error(err),
              ),
            { class: 'secondary small', 'aria-label': `Unlink ${provider} ${a.nickname}` },
          );
          return h(
            'tr',
            {},
            h('td', {}, provider),
            h('td', {}, a.nickname || '–'),
            h('td', {}, a.bound_at ? new Date(a.bound_at).toLocaleString() : '–'),
            h('td', { class: 'right' }, unbind),
          );
        }),
      ),
    );

  void load();
  return card(
    'Linked social accounts',
    ['GET /auth/social/accounts', 'DELETE /auth/social/accounts/:id'],
    'WeChat and Alipay identities that sign in to this account.',
    body,
  );
}
