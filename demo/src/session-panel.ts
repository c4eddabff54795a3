import type { SessionView } from '@oneaccess-bff/client';
import { h, when } from './dom';
import { t } from './i18n';
import type { SessionStore } from './session';

const STATUS_TEXT: Record<string, string> = {
  ANONYMOUS: 'Anonymous',
  SUCCESS: 'Signed in',
  MFA_AUTH: 'Waiting for the SMS code (MFA)',
  PASSWORD_WARN: 'Password about to expire',
  PASSWORD_EXPIRED: 'Password expired',
  SOCIAL_BIND: 'Social account to bind',
};

export function statusText(view: SessionView | null): string {
  return view ? t(STATUS_TEXT[view.status] ?? view.status) : t('Loading…');
}

/** The pending step in words, with what the session view says about it. */
function pendingText(view: SessionView): string {
  const p = view.pending ?? {};
  const detail = p.mobile ?? p.provider ?? (p.can_skip === true ? t('can skip') : undefined);
  return detail ? `${statusText(view)} (${detail})` : statusText(view);
}

/**
 * The live session view: the fields a person cares about, the raw answer of
 * `GET /auth/session?slide=false`, and proof that the page cannot read the session cookie.
 */
export function sessionPanel(store: SessionStore): HTMLElement {
  const fields = h('dl', {});
  const cookieValue = h('code', { 'data-testid': 'document-cookie' });
  const raw = h('pre', { 'data-testid': 'session-json' });
  const updated = h('span', {}, t('Loading…'));
  const footer = h(
    'p',
    { class: 'muted' },
    updated,
    t(' Polled every 3 s with '),
    h('code', {}, '?slide=false'),
    t(', which does not extend the idle timer.'),
  );
  const panel = h(
    'aside',
    { class: 'session-panel', 'aria-label': t('Session'), 'data-testid': 'session-panel' },
    h(
      'h2',
      {},
      t('Session '),
      h('span', { class: 'live', title: t('Polled every 3 seconds') }, t('live')),
    ),
    fields,
    h(
      'p',
      { class: 'cookie-proof' },
      h('code', {}, 'document.cookie'),
      t(' is '),
      cookieValue,
      t(': the session cookie is HttpOnly, so this page never sees it.'),
    ),
    h('details', {}, h('summary', {}, t('Raw answer of GET /auth/session')), raw),
    footer,
  );

  const render = () => {
    const view = store.view;
    const status = view?.status ?? 'LOADING';
    const rows: Array<[string, string | Node]> = [
      [
        t('Status'),
        h('span', { class: `pill pill-${status}`, 'data-testid': 'session-status' }, status),
      ],
    ];
    if (view?.user) {
      rows.push([t('User'), `${view.user.name} (${view.user.user_name})`]);
      rows.push([t('User id'), h('code', {}, view.user.id)]);
      rows.push([t('Mobile'), view.user.mobile || '–']);
      rows.push([t('Email'), view.user.email || '–']);
    }
    if (view?.login_method) rows.push([t('Login method'), view.login_method]);
    if (view?.pending) rows.push([t('Pending'), pendingText(view)]);
    if (view?.authenticated) {
      rows.push([t('Ends'), when(view.expires_at)]);
      rows.push([t('Idle end'), when(view.idle_expires_at)]);
    }
    fields.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    cookieValue.textContent = document.cookie === '' ? '""' : document.cookie;
    raw.textContent = view ? JSON.stringify(view, null, 2) : '';
    updated.textContent = store.error
      ? t('Last poll failed ({code}); showing the previous answer.', { code: store.error.code })
      : store.updatedAt
        ? t('Updated {time}.', { time: store.updatedAt.toLocaleTimeString() })
        : t('Loading…');
  };
  store.subscribe(render);
  render();
  return panel;
}
