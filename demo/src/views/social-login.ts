import { client } from '../api';
import type { App } from '../app';
import { busy, field, form, h, input } from '../dom';
import { actions, afterLogin, card, devHint, filler, submitButton } from './common';
import { t } from '../i18n';

const SIM_CODES: Array<[string, string, string]> = [
  ['wechat', 'wx-code-zhangsan', 'bound to zhangsan'],
  ['alipay', 'ali-code-zhangsan', 'bound to zhangsan'],
  ['wechat', 'wx-code-unbound', 'not bound yet'],
  ['alipay', 'ali-code-unbound', 'not bound yet'],
  ['wechat', 'new-demo-1', 'a fresh identity'],
];

export function socialLoginView(app: App): HTMLElement {
  const radio = (value: string, label: string, checked = false) => {
    const el = h('input', { type: 'radio', name: 'provider', value, checked });
    return { el, label: h('label', { class: 'radio' }, el, ` ${t(label)}`) };
  };
  const wechat = radio('wechat', 'WeChat', true);
  const alipay = radio('alipay', 'Alipay');
  const code = input({ name: 'code', placeholder: t('the code the provider gave back') });
  const submit = submitButton('Sign in');
  const provider = () => (alipay.el.checked ? 'alipay' : 'wechat');
  return card(
    'Sign in with WeChat or Alipay',
    ['POST /auth/login/social/wechat', 'POST /auth/login/social/alipay'],
    'In a real app the provider’s authorization page hands back a one-time code; here you type it. An identity not linked to an account leads to the linking step.',
    form(
      () =>
        void busy(submit, 'Signing in…', () =>
          client.loginWithSocial(provider(), code.value.trim()),
        ).then(
          (view) => afterLogin(app, view),
          (err: unknown) => app.notices.error(err),
        ),
      h(
        'fieldset',
        { class: 'radios' },
        h('legend', {}, t('Provider')),
        wechat.label,
        alipay.label,
      ),
      field('Provider code', code),
      actions(submit),
    ),
    devHint(
      app,
      'the simulator stands in for the provider. Codes: ',
      h(
        'span',
        { class: 'chips' },
        ...SIM_CODES.map(([p, c, what]) =>
          filler(`${c} (${t(what)})`, () => {
            (p === 'alipay' ? alipay : wechat).el.checked = true;
            code.value = c;
            submit.focus();
          }),
        ),
      ),
    ),
  );
}
