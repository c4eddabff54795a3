import { ApiError } from './api';
import { Child, h } from './dom';
import { t } from './i18n';

/**
 * Headlines for the contract's error codes (section 6), in English (the keys of t()); the
 * gateway's `message` follows them, in the page's language too (api.ts sends it as Accept-Language).
 */
const TITLES: Record<string, string> = {
  VALIDATION_FAILED: 'Please check the form',
  UPSTREAM_REJECTED: 'OneAccess refused the request',
  INVALID_CREDENTIALS: 'Wrong credentials or code',
  UNAUTHENTICATED: 'You are not signed in',
  SESSION_EXPIRED: 'Your session has ended',
  CSRF_REJECTED: 'Request refused by the CSRF check',
  ACCESS_DENIED: 'Access denied',
  ACCOUNT_LOCKED: 'Account locked',
  NOT_FOUND: 'Not found',
  NO_PENDING_STEP: 'This step is not pending any more',
  CAPTCHA_REQUIRED: 'Solve the captcha first',
  PAYLOAD_TOO_LARGE: 'Too much data',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported request',
  RATE_LIMITED: 'Too many attempts',
  UPSTREAM_BAD_RESPONSE: 'OneAccess answered unexpectedly',
  UPSTREAM_UNAVAILABLE: 'OneAccess is unavailable',
  SESSION_STORE_UNAVAILABLE: 'Sessions are unavailable',
  UPSTREAM_TIMEOUT: 'OneAccess did not answer in time',
  INTERNAL: 'Something went wrong',
  NETWORK_ERROR: 'No connection to the gateway',
};

/**
 * The one message area above the current view: an error (role=alert) or a confirmation
 * (role=status). Every contract error is shown with its code and request id, which is what a
 * person quotes to support.
 */
export class Notices {
  constructor(private readonly area: HTMLElement) {}

  /** `title` is a key of t() (or a text already in the page's language). */
  success(title: string, ...details: Child[]): void {
    this.show('success', 'status', t(title), h('div', {}, ...details));
  }

  info(title: string, ...details: Child[]): void {
    this.show('info', 'status', t(title), h('div', {}, ...details));
  }

  error(err: unknown, title?: string): void {
    if (!(err instanceof ApiError)) {
      this.show('error', 'alert', t('Something went wrong in this page'), h('p', {}, String(err)));
      return;
    }
    const meta = [
      err.status ? `HTTP ${err.status}` : null,
      err.code,
      err.upstream_code ? t('OneAccess {code}', { code: err.upstream_code }) : null,
      err.request_id ? t('request id {id}', { id: err.request_id }) : null,
    ].filter(Boolean);
    this.show(
      'error',
      'alert',
      t(title ?? TITLES[err.code] ?? 'The request failed'),
      h('p', {}, err.message),
      err.errors.length > 0
        ? h(
            'ul',
            {},
            ...err.errors.map((f) => h('li', {}, h('code', {}, f.field), ` ${f.message}`)),
          )
        : null,
      err.retry_after_s ? h('p', {}, t('Try again in {s} s.', { s: err.retry_after_s })) : null,
      h('p', { class: 'notice-meta' }, meta.join(' · ')),
    );
  }

  clear(): void {
    this.area.replaceChildren();
  }

  private show(kind: string, role: string, title: string, ...body: Child[]): void {
    const close = h(
      'button',
      { type: 'button', class: 'notice-close', 'aria-label': t('Dismiss') },
      '×',
    );
    const notice = h(
      'div',
      { class: `notice notice-${kind}`, role, 'data-testid': `notice-${kind}` },
      h('strong', { class: 'notice-title' }, title),
      ...body,
      close,
    );
    close.addEventListener('click', () => notice.remove());
    this.area.replaceChildren(notice);
  }
}
