import { client } from '../api';
import type { App } from '../app';
import { codeSender } from '../code-sender';
import { busy, field, form, h, input } from '../dom';
import { actions, afterLogin, card, devHint, submitButton } from './common';
import { mobileInput } from './sms-login';
import { t } from '../i18n';

export function registerView(app: App): HTMLElement {
  const mobile = mobileInput();
  const sender = codeSender(app, 'register', mobile);
  const userName = input({ name: 'user_name', autocomplete: 'username' });
  const password = input({ type: 'password', name: 'password', autocomplete: 'new-password' });
  const name = input({ name: 'name', autocomplete: 'name' });
  const email = input({ type: 'email', name: 'email', autocomplete: 'email' });
  const submit = submitButton('Create account');
  const optional = (el: HTMLInputElement) => (el.value.trim() ? el.value.trim() : undefined);
  return card(
    'Create an account',
    ['POST /auth/sms/send (purpose register)', 'POST /auth/register'],
    'Only the mobile number and its code are required; you are signed in straight away.',
    form(
      () =>
        void busy(submit, 'Creating…', () =>
          client.register({
            mobile: mobile.value.trim(),
            verify_code: sender.code.value.trim(),
            user_name: optional(userName),
            password: password.value ? password.value : undefined,
            name: optional(name),
            email: optional(email),
          }),
        ).then(
          (view) => afterLogin(app, view),
          (err: unknown) => app.notices.error(err),
        ),
      field('Mobile number', mobile),
      sender.el,
      field('Code', sender.code),
      h(
        'fieldset',
        { class: 'optional' },
        h('legend', {}, t('Optional')),
        field('User name', userName, 'Defaults to the mobile number.'),
        field(
          'Password',
          password,
          'Without one, sign in by SMS code. OneAccess’s default policy: 8 to 18 characters, with a letter and a digit.',
        ),
        field('Name', name),
        field('Email', email),
      ),
      actions(submit),
    ),
    devHint(app, 'use any 11-digit number the seed users do not have, e.g. 13900000001.'),
  );
}
