import { client } from '../api';
import type { App } from '../app';
import { codeSender } from '../code-sender';
import { busy, field, form, h } from '../dom';
import { actions, afterLogin, card, submitButton } from './common';
import { t } from '../i18n';

export function mfaView(app: App): HTMLElement {
  const masked = h(
    'strong',
    { 'data-testid': 'mfa-mobile' },
    app.session.view?.pending?.mobile ?? '…',
  );
  // The step's own answer (GET /auth/mfa) names the number too; the session view may be older.
  client.mfa().then(
    (res) => (masked.textContent = res.mobile),
    (err: unknown) => app.notices.error(err),
  );
  const sender = codeSender(app, 'mfa');
  const submit = submitButton('Verify and sign in');
  return card(
    'One more step: SMS verification',
    ['GET /auth/mfa', 'POST /auth/captcha/verify', 'POST /auth/sms/send', 'POST /auth/mfa/sms'],
    h(
      'span',
      {},
      t('Your password was right. Your account also asks for a code sent to '),
      masked,
      t('.'),
    ),
    form(
      () =>
        void busy(submit, 'Verifying…', () => client.verifyMfa(sender.code.value.trim())).then(
          (view) => afterLogin(app, view),
          (err: unknown) => app.notices.error(err),
        ),
      sender.el,
      field('Code', sender.code),
      actions(submit),
    ),
  );
}
