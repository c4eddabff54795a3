import { api, ApiError } from '../api';
import { captchaWidget } from '../captcha';
import type { App } from '../app';
import type { SessionView } from '@oneaccess-bff/client';
import { busy, field, form, h, input } from '../dom';
import { actions, afterLogin, card, devHint, filler, SEED_PASSWORD, submitButton } from './common';
import { t } from '../i18n';

const SEED_USERS: Array<[string, string]> = [
  ['zhangsan', 'signs in'],
  ['lisi', 'MFA by SMS'],
  ['wangwu', 'password about to expire'],
  ['zhaoliu', 'password expired'],
  ['sunqi', 'access denied'],
];

export function passwordLoginView(app: App): HTMLElement {
  const user = input({ name: 'user_name', autocomplete: 'username' });
  const password = input({ type: 'password', name: 'password', autocomplete: 'current-password' });
  const submit = submitButton('Sign in');
  const captchaBox = h('div', { class: 'captcha-box', 'data-testid': 'login-captcha' });
  const signIn = (): void =>
    void busy(submit, 'Signing in…', () =>
      api<SessionView>('POST', 'auth/login/password', {
        user_name: user.value.trim(),
        password: password.value,
      }),
    ).then(
      (view) => {
        captchaBox.replaceChildren();
        return afterLogin(app, view);
      },
      (err: unknown) => {
        app.notices.error(err);
        // After failed attempts the gateway wants a slider solved for this account first.
        if (err instanceof ApiError && err.code === 'CAPTCHA_REQUIRED') showCaptcha();
      },
    );
  // Verified for the user name, the captcha lets one more attempt through: sign in again at once.
  const captcha = captchaWidget(async (token, pointJson) => {
    try {
      await api('POST', 'auth/captcha/verify', {
        token,
        point_json: pointJson,
        user_name: user.value.trim(),
      });
    } catch (err) {
      app.notices.error(err);
      return false;
    }
    captchaBox.replaceChildren();
    signIn();
    return true;
  });
  function showCaptcha(): void {
    captchaBox.replaceChildren(
      h('p', { class: 'hint' }, t('Too many failed attempts: solve the slider to try again.')),
      captcha.el,
    );
    captcha.load().catch((err: unknown) => app.notices.error(err));
  }
  const fill = (name: string) => () => {
    user.value = name;
    password.value = SEED_PASSWORD;
    submit.focus();
  };
  return card(
    'Sign in with a password',
    ['POST /auth/login/password'],
    'OneAccess may answer with a further step (SMS verification, a password change); the page follows it.',
    form(
      signIn,
      field('User name', user),
      field('Password', password),
      captchaBox,
      actions(submit),
    ),
    devHint(
      app,
      t('seed users, all with the password {password}: ', { password: SEED_PASSWORD }),
      h(
        'span',
        { class: 'chips' },
        ...SEED_USERS.map(([name, what]) => filler(`${name} (${t(what)})`, fill(name))),
      ),
    ),
  );
}
