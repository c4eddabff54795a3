import { api } from '../api';
import type { App } from '../app';
import type { SessionView } from '@oneaccess-bff/client';
import { busy, field, form, h, input } from '../dom';
import { actions, afterLogin, card, devHint, filler, SEED_PASSWORD, submitButton } from './common';

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
      () =>
        void busy(submit, 'Signing in…', () =>
          api<SessionView>('POST', 'auth/login/password', {
            user_name: user.value.trim(),
            password: password.value,
          }),
        ).then(
          (view) => afterLogin(app, view),
          (err: unknown) => app.notices.error(err),
        ),
      field('User name', user),
      field('Password', password),
      actions(submit),
    ),
    devHint(
      app,
      `seed users, all with the password ${SEED_PASSWORD}: `,
      h(
        'span',
        { class: 'chips' },
        ...SEED_USERS.map(([name, what]) => filler(`${name} (${what})`, fill(name))),
      ),
    ),
  );
}
