import { client } from '../api';
import type { App } from '../app';
import { codeSender } from '../code-sender';
import { busy, field, form } from '../dom';
import { actions, afterLogin, card, devHint, submitButton } from './common';
import { mobileInput } from './sms-login';
import { t } from '../i18n';

const PROVIDER_NAME: Record<string, string> = { wechat: 'WeChat', alipay: 'Alipay' };

export function socialBindView(app: App): HTMLElement {
  const provider = String(app.session.view?.pending?.provider ?? '');
  const name = t(PROVIDER_NAME[provider] ?? provider);
  const mobile = mobileInput();
  const sender = codeSender(app, 'bind', mobile);
  const bind = submitButton('Link to my account', { 'data-action': 'bind' });
  const registerBind = submitButton('Create an account and link', {
    'data-action': 'register-bind',
    class: 'secondary',
  });
  const send = (submitter: HTMLButtonElement) => {
    const proof = { mobile: mobile.value.trim(), verify_code: sender.code.value.trim() };
    void busy(submitter, 'Linking…', () =>
      submitter === registerBind ? client.registerAndBindSocial(proof) : client.bindSocial(proof),
    ).then(
      (view) => afterLogin(app, view),
      (err: unknown) => app.notices.error(err),
    );
  };
  return card(
    t('Link your {name} account', { name }),
    ['POST /auth/social/bind', 'POST /auth/social/register-bind'],
    t(
      'This {name} identity is not linked to an account yet. Prove a mobile number with an SMS code, then link it to the account with that number, or create a new account for it.',
      { name },
    ),
    form(
      send,
      field('Mobile number', mobile),
      sender.el,
      field('Code', sender.code),
      actions(bind, registerBind),
    ),
    devHint(
      app,
      'link to a seed user with its mobile (e.g. 13800000006 for zhouba), or create an account with any unused number.',
    ),
  );
}
