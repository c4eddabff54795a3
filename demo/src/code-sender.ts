import { api, ApiError } from './api';
import { captchaWidget } from './captcha';
import type { SmsPurpose } from '@oneaccess-bff/client';
import type { App } from './app';
import { button, h, input } from './dom';
import { t } from './i18n';

export interface CodeSender {
  /** "Get code" and, once pressed, the captcha. */
  el: HTMLElement;
  /** Where the person types the code they received. */
  code: HTMLInputElement;
}

/**
 * Captcha, then SMS (section 4: captcha/verify, then sms/send with the same mobile). `mobile`
 * reads the number field; omitted, the gateway uses the pending MFA step's number.
 */
export function codeSender(app: App, purpose: SmsPurpose, mobile?: HTMLInputElement): CodeSender {
  const code = input({
    name: 'verify_code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    maxlength: '10',
    placeholder: t('6 digits'),
  });
  const captchaBox = h('div', { class: 'captcha-box' });
  const sentNote = h('p', { class: 'hint', 'aria-live': 'polite' });
  let countdown: number | undefined;

  const captcha = captchaWidget(async (token, pointJson) => {
    const number = mobile?.value.trim();
    try {
      await api('POST', 'auth/captcha/verify', {
        token,
        point_json: pointJson,
        ...(number ? { mobile: number } : {}),
      });
    } catch (err) {
      // Any verify attempt uses the captcha up: the widget fetches the next picture.
      app.notices.error(err);
      return false;
    }
    captchaBox.replaceChildren();
    try {
      const sent = await api<{ retry_after_s: number }>('POST', 'auth/sms/send', {
        purpose,
        ...(number ? { mobile: number } : {}),
      });
      app.notices.success(
        t('Code sent'),
        h(
          'p',
          {},
          t('A code is on its way to {mobile}.', { mobile: number ?? t('your registered mobile') }),
        ),
      );
      startCountdown(sent.retry_after_s);
      code.focus();
    } catch (err) {
      app.notices.error(err);
    }
    return true;
  });

  const getCode: HTMLButtonElement = button(
    t('Get code'),
    () => {
      if (mobile && !/^\d{5,20}$/.test(mobile.value.trim())) {
        app.notices.error(
          new ApiError(0, 'VALIDATION_FAILED', t('Enter the mobile number (digits only) first.')),
        );
        mobile.focus();
        return;
      }
      app.notices.clear();
      captchaBox.replaceChildren(captcha.el);
      captcha.load().catch((err: unknown) => app.notices.error(err));
    },
    { class: 'secondary', 'data-testid': 'get-code' },
  );

  function startCountdown(seconds: number): void {
    window.clearInterval(countdown);
    let left = seconds;
    const tick = () => {
      if (!getCode.isConnected || left <= 0) {
        window.clearInterval(countdown);
        getCode.disabled = false;
        getCode.textContent = t('Send again');
        sentNote.textContent = '';
        return;
      }
      getCode.disabled = true;
      getCode.textContent = t('Send again in {s} s', { s: left });
      left -= 1;
    };
    sentNote.textContent = t('Code sent. It stays valid for a few minutes.');
    tick();
    countdown = window.setInterval(tick, 1000);
  }

  const el = h(
    'div',
    { class: 'code-sender' },
    h('div', { class: 'row' }, getCode, outboxLink(app, mobile)),
    sentNote,
    captchaBox,
  );
  return { el, code };
}

/**
 * No SMS is sent in development: the embedded simulator keeps an outbox, which a person can open
 * as a page. Shown only when the gateway says it runs the simulator.
 */
function outboxLink(app: App, mobile?: HTMLInputElement): HTMLElement | null {
  if (!app.simulatorUrl) return null;
  const base = `${app.simulatorUrl}/__sim/sms/outbox`;
  const link = h(
    'a',
    {
      href: base,
      target: '_blank',
      rel: 'noopener noreferrer',
      class: 'dev-link',
      'data-testid': 'outbox-link',
    },
    t('Open the SMS outbox (development)'),
  );
  const update = () => {
    const number = mobile?.value.trim();
    link.setAttribute('href', number ? `${base}?mobile=${encodeURIComponent(number)}` : base);
  };
  mobile?.addEventListener('input', update);
  update();
  return link;
}
