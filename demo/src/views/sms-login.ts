import { client } from '../api';
import type { App } from '../app';
import { codeSender } from '../code-sender';
import { busy, field, form, h, input } from '../dom';
import { actions, afterLogin, card, devHint, submitButton } from './common';
import { t } from '../i18n';

/** Digits only, for the mobile fields of every SMS flow. */
export function mobileInput(): HTMLInputElement {
  return input({
    name: 'mobile',
    inputmode: 'tel',
    autocomplete: 'tel',
    placeholder: '13800000001',
  });
}

export function smsLoginView(app: App): HTMLElement {
  const mobile = mobileInput();
  const sender = codeSender(app, 'login', mobile);
  const submit = submitButton('Sign in');
  return card(
    'Sign in with an SMS code',
    [
      'GET /auth/captcha',
      'POST /auth/captcha/verify',
      'POST /auth/sms/send',
      'POST /auth/login/sms',
    ],
    'Solve the slider captcha to get a code, then sign in with it.',
    form(
      () =>
        void busy(submit, 'Signing in…', () =>
          client.loginWithSms({
            mobile: mobile.value.trim(),
            verify_code: sender.code.value.trim(),
          }),
        ).then(
          (view) => afterLogin(app, view),
          (err: unknown) => app.notices.error(err),
        ),
      field('Mobile number', mobile),
      sender.el,
      field('Code', sender.code),
      actions(submit),
    ),
    devHint(
      app,
      'no SMS is sent: the simulator keeps them in its outbox (link above). Seed mobiles: ',
      h('code', {}, '13800000001'),
      t(' (zhangsan) to '),
      h('code', {}, '13800000007'),
      t('.'),
    ),
  );
}
