import type { App } from '../app';
import { h, when } from '../dom';
import { card } from './common';
import { t } from '../i18n';

const METHOD_TEXT: Record<string, string> = {
  password: 'a password',
  sms: 'an SMS code',
  wechat: 'WeChat',
  alipay: 'Alipay',
  register: 'a new account',
  oauth: 'the OneAccess redirect (OAuth 2.0)',
};

/** Where every login lands: who you are, how you signed in, and what you can try next. */
export function homeView(app: App): HTMLElement {
  const view = app.session.view;
  const user = view?.user;
  const oauth = view?.login_method === 'oauth';
  const item = (route: string, title: string, text: string, note?: string) =>
    h(
      'li',
      {},
      h('a', { href: `#/${route}` }, t(title)),
      h('span', {}, ` ${t(text)}`),
      note ? h('p', { class: 'hint' }, t(note)) : null,
    );
  const sdkOnly = oauth
    ? 'Not after the redirect login: OneAccess serves the profile and linked accounts to embedded (SDK) sign-ins only.'
    : undefined;
  return card(
    user ? t('Signed in as {name}', { name: user.name }) : 'Signed in',
    ['GET /auth/session'],
    h(
      'span',
      {},
      t('You signed in with {method}. The session ends ', {
        method: t(METHOD_TEXT[view?.login_method ?? ''] ?? view?.login_method ?? '?'),
      }),
      when(view?.expires_at ?? null),
      t(', or after 30 minutes without activity by default.'),
    ),
    h(
      'ul',
      { class: 'next-steps' },
      item('profile', 'Profile', 'view and edit your OneAccess profile.', sdkOnly),
      item('social-accounts', 'Social accounts', 'list and unlink WeChat or Alipay.', sdkOnly),
      item('devices', 'Your devices', 'see where you are signed in, and sign other devices out.'),
      item('api', 'Call an API', 'through the gateway, which attaches your token.'),
    ),
  );
}
