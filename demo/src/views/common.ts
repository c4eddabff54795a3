import type { App } from '../app';
import type { SessionView } from '@oneaccess-bff/client';
import { Child, h } from '../dom';
import { t } from '../i18n';

/** A view's frame: a title, the endpoint(s) it uses, and its content; text title and intro are keys of t(). */
export function card(
  title: string,
  endpoints: string[],
  intro: Child,
  ...content: Child[]
): HTMLElement {
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, t(title)),
    h('p', { class: 'endpoints' }, ...endpoints.map((e) => h('code', {}, e))),
    intro ? h('p', { class: 'intro' }, typeof intro === 'string' ? t(intro) : intro) : null,
    ...content,
  );
}

export function actions(...buttons: Child[]): HTMLElement {
  return h('div', { class: 'actions' }, ...buttons);
}

export function submitButton(label: string, props: Record<string, string> = {}): HTMLButtonElement {
  return h('button', { type: 'submit', ...props }, t(label));
}

/** Development help that only makes sense against the simulator (seed users, test codes); texts are keys of t(). */
export function devHint(app: App, ...content: Child[]): HTMLElement | null {
  if (!app.simulatorUrl) return null;
  return h(
    'div',
    { class: 'dev-hint' },
    h('strong', {}, t('Development: ')),
    ...content.map((c) => (typeof c === 'string' ? t(c) : c)),
  );
}

/** A small button that fills inputs with example values. */
export function filler(label: string, fill: () => void): HTMLButtonElement {
  return h('button', { type: 'button', class: 'chip', onclick: fill }, label);
}

const METHOD_TEXT: Record<string, string> = {
  password: 'your password',
  sms: 'an SMS code',
  wechat: 'WeChat',
  alipay: 'Alipay',
  register: 'a new account',
  oauth: 'the OneAccess redirect',
};

/** Stores a login-type answer; the app then shows the pending step or the signed-in pages. */
export function afterLogin(app: App, view: SessionView): void {
  if (view.authenticated) {
    app.notices.success(
      t('Welcome, {name}', { name: view.user?.name ?? view.user?.user_name ?? '' }),
      h(
        'p',
        {},
        t('Signed in with {method}. The gateway issued a new session cookie.', {
          method: t(METHOD_TEXT[view.login_method ?? ''] ?? view.login_method ?? ''),
        }),
      ),
    );
  } else {
    app.notices.clear();
  }
  app.session.set(view);
}

export const SEED_PASSWORD = 'Passw0rd!2024';
