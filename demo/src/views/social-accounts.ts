import { client } from '../api';
import type { App } from '../app';
import type { SocialAccount } from '@oneaccess-bff/client';
import { busy, button, h } from '../dom';
import { card } from './common';
import { language, t } from '../i18n';

const TYPE_NAME: Record<string, string> = { weixin: 'WeChat', wechat: 'WeChat', alipay: 'Alipay' };

export function socialAccountsView(app: App): HTMLElement {
  const body = h('div', { class: 'loading' }, t('Loading…'));

  const load = () =>
    client.socialAccounts().then(
      (accounts) => body.replaceChildren(accounts.length > 0 ? table(accounts) : empty()),
      (err: unknown) => {
        body.textContent = t('The list could not be loaded.');
        app.notices.error(err);
      },
    );

  const empty = () =>
    h(
      'p',
      { class: 'empty', 'data-testid': 'no-social-accounts' },
      t('No WeChat or Alipay account is linked. Sign in with one to link it.'),
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
          h('th', {}, t('Provider')),
          h('th', {}, t('Nickname')),
          h('th', {}, t('Linked')),
          h('th', {}),
        ),
      ),
      h(
        'tbody',
        {},
        ...accounts.map((a) => {
          const provider = t(TYPE_NAME[a.type] ?? a.type);
          const unbind: HTMLButtonElement = button(
            'Unlink',
            () =>
              void busy(unbind, 'Unlinking…', () => client.unbindSocialAccount(a.id)).then(
                () => {
                  app.notices.success(
                    t('{provider} unlinked', { provider }),
                    h(
                      'p',
                      {},
                      t('{who} no longer signs in to this account.', {
                        who: a.nickname || provider,
                      }),
                    ),
                  );
                  return load();
                },
                (err: unknown) => app.notices.error(err),
              ),
            {
              class: 'secondary small',
              'aria-label': t('Unlink {provider} {nickname}', { provider, nickname: a.nickname }),
            },
          );
          return h(
            'tr',
            {},
            h('td', {}, provider),
            h('td', {}, a.nickname || '–'),
            h('td', {}, a.bound_at ? new Date(a.bound_at).toLocaleString(language) : '–'),
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
