import type { App } from '../app';
import { button, h } from '../dom';
import { markOAuthStarted } from '../oauth-flag';
import { card, devHint, SEED_PASSWORD } from './common';
import { t } from '../i18n';

export function oauthView(app: App): HTMLElement {
  const go = button(
    'Continue to OneAccess',
    () => {
      markOAuthStarted();
      // A top-level navigation: the gateway redirects to OneAccess, which comes back to the
      // gateway's callback, which sets the session cookie and returns here.
      location.assign(`auth/oauth/login?return_to=${encodeURIComponent(location.pathname)}`);
    },
    { 'data-testid': 'oauth-start' },
  );
  return card(
    'Sign in through the OneAccess page',
    ['GET /auth/oauth/login?return_to=…', 'GET /auth/oauth/callback'],
    'The classic redirect login (OAuth 2.0 authorization code). You leave this page, sign in on OneAccess’s own page, and come back signed in. The gateway keeps the state and tokens; the browser only carries the one-time code.',
    h(
      'ol',
      { class: 'steps' },
      h(
        'li',
        {},
        t('This page → '),
        h('code', {}, '/auth/oauth/login'),
        t(' (the gateway binds a one-time state to this browser)'),
      ),
      h('li', {}, t('OneAccess sign-in page')),
      h(
        'li',
        {},
        t('OneAccess → '),
        h('code', {}, '/auth/oauth/callback'),
        t(' (the gateway checks the state, exchanges the code, sets the session cookie)'),
      ),
      h('li', {}, t('Back here, signed in')),
    ),
    h('div', { class: 'actions' }, go),
    devHint(
      app,
      t(
        'the simulator shows its own sign-in page; use a seed user such as zhangsan with {password}.',
        {
          password: SEED_PASSWORD,
        },
      ),
    ),
  );
}
