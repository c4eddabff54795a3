import { client, ApiError } from './api';
import type { SessionStatus, SessionView } from '@oneaccess-bff/client';
import { button, busy, h } from './dom';
import { language, switchLanguage, t } from './i18n';
import { Notices } from './notice';
import { takeOAuthStarted } from './oauth-flag';
import { SessionStore } from './session';
import { sessionPanel, statusText } from './session-panel';
import { apiCallView } from './views/api-call';
import { liveFeedView } from './views/live-feed';
import { devicesView } from './views/devices';
import { homeView } from './views/home';
import { mfaView } from './views/mfa';
import { oauthView } from './views/oauth';
import { passwordChangeView } from './views/password-change';
import { passwordLoginView } from './views/password-login';
import { profileView } from './views/profile';
import { registerView } from './views/register';
import { resetPasswordView } from './views/reset-password';
import { smsLoginView } from './views/sms-login';
import { socialAccountsView } from './views/social-accounts';
import { socialBindView } from './views/social-bind';
import { socialLoginView } from './views/social-login';

type Group = 'Sign in' | 'No account yet?' | 'Signed in' | 'Step';

interface Route {
  id: string;
  label: string;
  group: Group;
  render: (app: App) => HTMLElement;
}

const ROUTES: Route[] = [
  { id: 'password', label: 'Password', group: 'Sign in', render: passwordLoginView },
  { id: 'sms', label: 'SMS code', group: 'Sign in', render: smsLoginView },
  { id: 'social', label: 'WeChat / Alipay', group: 'Sign in', render: socialLoginView },
  { id: 'oauth', label: 'OneAccess redirect', group: 'Sign in', render: oauthView },
  { id: 'register', label: 'Register', group: 'No account yet?', render: registerView },
  { id: 'reset', label: 'Reset password', group: 'No account yet?', render: resetPasswordView },
  { id: 'home', label: 'Overview', group: 'Signed in', render: homeView },
  { id: 'profile', label: 'Profile', group: 'Signed in', render: profileView },
  {
    id: 'social-accounts',
    label: 'Social accounts',
    group: 'Signed in',
    render: socialAccountsView,
  },
  { id: 'devices', label: 'Your devices', group: 'Signed in', render: devicesView },
  { id: 'api', label: 'Call an API', group: 'Signed in', render: apiCallView },
  { id: 'live', label: 'Live updates', group: 'Signed in', render: liveFeedView },
  { id: 'mfa', label: 'SMS verification', group: 'Step', render: mfaView },
  { id: 'password-change', label: 'Change password', group: 'Step', render: passwordChangeView },
  { id: 'social-bind', label: 'Link your account', group: 'Step', render: socialBindView },
];

/** Which view a pending OneAccess step needs (section 3 `status`). */
const STEP_ROUTE: Partial<Record<SessionStatus, string>> = {
  MFA_AUTH: 'mfa',
  PASSWORD_WARN: 'password-change',
  PASSWORD_EXPIRED: 'password-change',
  SOCIAL_BIND: 'social-bind',
};

/**
 * The page: header, navigation, the current view with the message area above it, and the live
 * session panel. Routes live in the URL fragment; the session's status decides where a login
 * leads (a pending step's view, or the profile once signed in).
 */
export class App {
  readonly session = new SessionStore();
  readonly notices: Notices;
  /** The embedded simulator's address, when the gateway runs one (development). */
  readonly simulatorUrl: string | null;
  private readonly main = h('section', { class: 'view', 'aria-live': 'polite' });
  private readonly nav = h('nav', { class: 'nav', 'aria-label': t('Flows') });
  private readonly headerStatus = h('span', {
    class: 'header-status',
    'data-testid': 'header-status',
  });
  private readonly logoutButton: HTMLButtonElement;
  private current: Route | null = null;
  private oauthReturning = false;
  private loggingOut = false;

  constructor(root: HTMLElement) {
    this.simulatorUrl =
      document.querySelector<HTMLMetaElement>('meta[name="oneaccess-simulator"]')?.content || null;
    const noticeArea = h('div', { class: 'notices' });
    this.notices = new Notices(noticeArea);
    this.logoutButton = button(t('Sign out'), () => void this.logout(), {
      class: 'secondary',
      'data-testid': 'logout',
    });
    // The switch names the other language in that language, as a reader of it looks for it.
    const other = language === 'zh-CN' ? 'en' : 'zh-CN';
    const languageSwitch = button(
      other === 'en' ? 'English' : '中文',
      () => switchLanguage(other),
      {
        class: 'secondary language-switch',
        lang: other,
        'data-testid': 'language-switch',
      },
    );
    root.replaceChildren(
      h(
        'header',
        { class: 'header' },
        h(
          'div',
          { class: 'brand' },
          h('img', { src: 'favicon.svg', alt: '', width: '28', height: '28' }),
          h(
            'div',
            {},
            h('h1', {}, t('OneAccess BFF demo')),
            h('p', {}, t('Every sign-in flow, through the gateway’s public API')),
          ),
        ),
        h('div', { class: 'header-actions' }, this.headerStatus, languageSwitch, this.logoutButton),
      ),
      h(
        'div',
        { class: 'layout' },
        this.nav,
        h('main', { class: 'content' }, noticeArea, this.main),
        sessionPanel(this.session),
      ),
      h(
        'footer',
        { class: 'footer' },
        t('The page talks to the gateway only through its public contract ('),
        h('code', {}, 'X-CSRF: 1'),
        t(' on every unsafe call). No token ever reaches it.'),
      ),
    );
    this.session.subscribe((view, previous) => this.onSession(view, previous));
    window.addEventListener('hashchange', () => this.show(this.routeFromHash(), false));
  }

  async start(): Promise<void> {
    this.reportOAuthResult();
    await this.session.refresh(true);
    this.session.poll(3000);
  }

  /** Shows a view from code (keeping the current message), recording it in the history. */
  navigate(id: string): void {
    if (location.hash !== `#/${id}`) history.pushState(null, '', `#/${id}`);
    this.show(this.routeFromHash(), true);
  }

  /** Signs out (section 4 POST /auth/logout) and shows where to end the OneAccess session too. */
  async logout(): Promise<void> {
    const wasSignedIn = this.session.view?.authenticated ?? false;
    this.loggingOut = true;
    try {
      const res = await busy(this.logoutButton, t('Signing out…'), () => client.logout());
      this.notices.success(
        wasSignedIn ? t('Signed out') : t('Sign-in cancelled'),
        res.logout_url
          ? h(
              'p',
              {},
              t('To end your OneAccess session as well, '),
              h('a', { href: res.logout_url }, t('sign out of OneAccess')),
              t('.'),
            )
          : h('p', {}, t('The gateway session is gone; its cookie is cleared.')),
      );
    } catch (err) {
      this.notices.error(err);
    }
    await this.session.refresh();
    this.loggingOut = false;
  }

  private onSession(view: SessionView, previous: SessionView | null): void {
    this.headerStatus.textContent = view.user
      ? `${view.user.name} · ${view.user.user_name}`
      : statusText(view);
    this.logoutButton.hidden = view.status === 'ANONYMOUS';
    this.logoutButton.textContent = view.authenticated ? t('Sign out') : t('Cancel sign-in');
    if (this.oauthReturning && view.authenticated) {
      this.oauthReturning = false;
      this.notices.success(
        t('Signed in through the OneAccess redirect'),
        h(
          'p',
          {},
          t('The callback set the SameSite=Strict session cookie and brought you back here.'),
        ),
      );
    }
    if (previous !== null && previous.status === view.status) {
      this.renderNav(view);
      return;
    }

    // The status changed (or the page just loaded): go where it leads.
    const route = this.current ?? this.routeFromHash();
    const step = STEP_ROUTE[view.status];
    if (step) return this.navigate(step);
    if (view.authenticated) {
      return this.navigate(previous === null && route.group === 'Signed in' ? route.id : 'home');
    }
    if (previous && !this.loggingOut) {
      this.notices.info(
        previous.authenticated ? t('Your session has ended') : t('The sign-in step has expired'),
        h('p', {}, t('Sign in again to continue.')),
      );
    }
    if (previous || route.group === 'Signed in' || route.group === 'Step') {
      return this.navigate(
        route.group === 'Signed in' || route.group === 'Step' ? 'password' : route.id,
      );
    }
    this.show(route, true);
  }

  private routeFromHash(): Route {
    const id = location.hash.replace(/^#\/?/, '');
    const found = ROUTES.find((r) => r.id === id);
    if (found) return found;
    return ROUTES.find((r) => r.id === (this.session.view?.authenticated ? 'home' : 'password'))!;
  }

  private show(route: Route, keepNotice: boolean): void {
    if (!keepNotice) this.notices.clear();
    this.current = route;
    this.main.replaceChildren(this.viewFor(route));
    this.renderNav(this.session.view);
    document.title = `${t(route.label)} · ${t('OneAccess BFF demo')}`;
  }

  /** The route's view, or a pointer elsewhere when the session is not in the state it needs. */
  private viewFor(route: Route): HTMLElement {
    const view = this.session.view;
    if (route.group === 'Signed in' && !view?.authenticated) {
      return placeholder(
        t(route.label),
        t('Sign in first: this page shows your own account.'),
        'password',
        t('Go to sign-in'),
      );
    }
    if (route.group === 'Step' && (!view || STEP_ROUTE[view.status] !== route.id)) {
      return placeholder(
        t(route.label),
        t('There is no sign-in step waiting for this.'),
        'password',
        t('Go to sign-in'),
      );
    }
    return route.render(this);
  }

  private renderNav(view: SessionView | null): void {
    const groups: Group[] = ['Sign in', 'No account yet?', 'Signed in'];
    const step = view ? STEP_ROUTE[view.status] : undefined;
    this.nav.replaceChildren(
      ...(step
        ? [
            this.navGroup(
              'Step',
              ROUTES.filter((r) => r.id === step),
              view,
            ),
          ]
        : []),
      ...groups.map((g) =>
        this.navGroup(
          g,
          ROUTES.filter((r) => r.group === g),
          view,
        ),
      ),
    );
  }

  private navGroup(group: Group, routes: Route[], view: SessionView | null): HTMLElement {
    const locked = group === 'Signed in' && !view?.authenticated;
    return h(
      'div',
      { class: 'nav-group' },
      h('h2', {}, t(group === 'Step' ? 'To continue' : group)),
      h(
        'ul',
        {},
        ...routes.map((r) =>
          h(
            'li',
            {},
            h(
              'a',
              {
                href: `#/${r.id}`,
                class: r === this.current ? 'active' : undefined,
                'aria-current': r === this.current ? 'page' : undefined,
                'aria-disabled': locked ? 'true' : undefined,
                title: locked ? t('Sign in first') : undefined,
              },
              t(r.label),
            ),
          ),
        ),
      ),
    );
  }

  /** The OAuth callback lands here with `?auth_error=<code>` on failure; say so and tidy the URL. */
  private reportOAuthResult(): void {
    const error = new URLSearchParams(location.search).get('auth_error');
    this.oauthReturning = takeOAuthStarted();
    if (!error) return;
    this.oauthReturning = false;
    this.notices.error(
      new ApiError(0, error, t(OAUTH_ERRORS[error] ?? 'Please try again.')),
      t('OneAccess sign-in did not complete'),
    );
    history.replaceState(null, '', location.pathname + location.hash);
  }
}

/** What the gateway's callback means by `?auth_error=<code>` (in English: the keys of t()). */
const OAUTH_ERRORS: Record<string, string> = {
  invalid_state:
    'The sign-in was not started from this browser, was already used, or took longer than 10 minutes. Please start again.',
  access_denied: 'OneAccess did not grant the sign-in.',
  login_refused: 'OneAccess refused the sign-in.',
  invalid_id_token: 'The identity OneAccess sent back could not be verified. Please start again.',
  upstream_unavailable: 'OneAccess could not be reached. Please try again shortly.',
  session_unavailable: 'The session service is unavailable. Please try again shortly.',
};

function placeholder(title: string, text: string, target: string, label: string): HTMLElement {
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, title),
    h('p', {}, text),
    h('p', {}, h('a', { href: `#/${target}`, class: 'button-link' }, label)),
  );
}
