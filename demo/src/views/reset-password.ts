import { client, ApiError } from '../api';
import type { App } from '../app';
import { codeSender } from '../code-sender';
import { busy, field, form, h, input } from '../dom';
import { actions, card, devHint, submitButton } from './common';
import { mobileInput } from './sms-login';
import { t } from '../i18n';

export function resetPasswordView(app: App): HTMLElement {
  const mobile = mobileInput();
  const sender = codeSender(app, 'reset_password', mobile);
  const password = input({ type: 'password', name: 'password', autocomplete: 'new-password' });
  const repeat = input({ type: 'password', name: 'repeat_password', autocomplete: 'new-password' });
  const submit = submitButton('Set new password');
  return card(
    'Forgot your password?',
    ['POST /auth/sms/send (purpose reset_password)', 'POST /auth/password/reset'],
    'Prove your mobile number with an SMS code and choose a new password. This also lifts a lock after too many wrong passwords.',
    form(
      () => {
        if (password.value !== repeat.value) {
          app.notices.error(
            new ApiError(0, 'VALIDATION_FAILED', t('The two new passwords differ.')),
          );
          return;
        }
        void busy(submit, 'Saving…', () =>
          client.resetPassword({
            mobile: mobile.value.trim(),
            verify_code: sender.code.value.trim(),
            password: password.value,
          }),
        ).then(
          () => {
            app.notices.success(
              'Password changed',
              h('p', {}, t('Sign in with your new password.')),
            );
            app.navigate('password');
          },
          (err: unknown) => app.notices.error(err),
        );
      },
      field('Mobile number', mobile),
      sender.el,
      field('Code', sender.code),
      field(
        'New password',
        password,
        'OneAccess’s default policy: 8 to 18 characters, with a letter and a digit.',
      ),
      field('New password again', repeat),
      actions(submit),
    ),
    devHint(app, 'e.g. 13800000007 (wujiu).'),
  );
}
