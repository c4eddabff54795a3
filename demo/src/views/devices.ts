import type { OwnSession } from '@oneaccess-bff/client';
import { client } from '../api';
import type { App } from '../app';
import { busy, button, h, when } from '../dom';
import { actions, card } from './common';
import { t } from '../i18n';

const METHOD_TEXT: Record<string, string> = {
  password: 'password',
  sms: 'SMS code',
  wechat: 'WeChat',
  alipay: 'Alipay',
  register: 'registration',
  oauth: 'OneAccess redirect',
};

/**
 * "Your devices": every browser signed in to this account, this one marked; sign one out, or all
 * the others (e.g. after losing a phone). Uses the client's sessions calls.
 */
export function devicesView(app: App): HTMLElement {
  const body = h('div', { class: 'loading' }, t('Loading…'));
  const endOthers: HTMLButtonElement = button(
    'Sign out all other devices',
    () =>
      void busy(endOthers, 'Signing out…', () => client.endOtherSessions()).then(
        (ended) => {
          app.notices.success(
            ended === 1
              ? t('1 other device signed out')
              : t('{n} other devices signed out', { n: ended }),
            h('p', {}, t('Only this browser is still signed in.')),
          );
          return load();
        },
        (err: unknown) => app.notices.error(err),
      ),
    { class: 'secondary', 'data-testid': 'end-other-devices', disabled: true },
  );

  const load = () =>
    client.sessions().then(
      (sessions) => {
        endOthers.disabled = !sessions.some((s) => !s.current);
        body.replaceChildren(list(sessions));
      },
      (err: unknown) => {
        body.textContent = t('The list could not be loaded.');
        app.notices.error(err);
      },
    );

  const list = (sessions: OwnSession[]) =>
    h('ul', { class: 'devices', 'data-testid': 'devices' }, ...sessions.map(item));

  const item = (s: OwnSession) => {
    const end: HTMLButtonElement | null = s.current
      ? null
      : button(
          'Sign out',
          () =>
            void busy(end!, 'Signing out…', () => client.endSession(s.id)).then(
              () => {
                app.notices.success(
                  t('{device} signed out', { device: s.device }),
                  h('p', {}, t('Its next request will find no session.')),
                );
                return load();
              },
              (err: unknown) => app.notices.error(err),
            ),
          { class: 'secondary small', 'aria-label': t('Sign out {device}', { device: s.device }) },
        );
    return h(
      'li',
      { class: s.current ? 'device current' : 'device', 'data-testid': 'device' },
      h(
        'div',
        { class: 'device-text' },
        h(
          'p',
          { class: 'device-name' },
          s.device,
          s.current
            ? h('span', { class: 'badge', 'data-testid': 'this-device' }, t('This device'))
            : null,
        ),
        h(
          'p',
          { class: 'device-meta' },
          t('Signed in with {method} from {ip}, {when}', {
            method: t(METHOD_TEXT[s.login_method] ?? s.login_method),
            ip: s.ip || t('an unknown address'),
            when: when(s.created_at),
          }),
        ),
        h('p', { class: 'device-meta' }, t('Last active {when}', { when: when(s.last_seen_at) })),
      ),
      end,
    );
  };

  void load();
  return card(
    'Your devices',
    ['GET /auth/sessions', 'DELETE /auth/sessions/:id', 'DELETE /auth/sessions'],
    'Browsers signed in to your account, newest first. Sign out any you do not recognise; it also ends its OneAccess session.',
    body,
    actions(endOthers),
  );
}
