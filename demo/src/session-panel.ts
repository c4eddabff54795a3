import type { SessionView } from '@oneaccess-bff/client';
import { h, when } from './dom';
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
  return view ? (STATUS_TEXT[view.status] ?? view.status) : 'Loading…';
}

/** The pending step in words, with what the session view says about it. */
function pendingText(view: SessionView): string {
  const p = view.pending ?? {};
  const detail = p.mobile ?? p.provider ?? (p.can_skip === true ? 'can skip' : undefined);
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
  const updated = h('span', {}, 'Loading…');
  const footer = h(
    'p',
    { class: 'muted' },
    updated,
    ' Polled every 3 s with ',
    h('code', {}, '?slide=false'),
    ', which does not extend the idle timer.',
  );
  const panel = h(
    'aside',
    { class: 'session-panel', 'aria-label': 'Session', 'data-testid': 'session-panel' },
    h('h2', {}, 'Session ', h('span', { class: 'live', title: 'Polled every 3 seconds' }, 'live')),
    fields,
    h(
      'p',
      { class: 'cookie-proof' },
      h('code', {}, 'document.cookie'),
      ' is ',
      cookieValue,
      ': the session cookie is HttpOnly, so this page never sees it.',
    ),
    h('details', {}, h('summary', {}, 'Raw answer of GET /auth/session'), raw),
    footer,
  );

  const render = () => {
    const view = store.view;
    const status = view?.status ?? 'LOADING';
    const rows: Array<[string, string | Node]> = [
      [
        'Status',
        h('span', { class: `pill pill-${status}`, 'data-testid': 'session-status' }, status),
      ],
    ];
    if (view?.user) {
      rows.push(['User', `${view.user.name} (${view.user.user_name})`]);
      rows.push(['User id', h('code', {}, view.user.id)]);
      rows.push(['Mobile', view.user.mobile || '–']);
      rows.push(['Email', view.user.email || '–']);
    }
    if (view?.login_method) rows.push(['Login method', view.login_method]);
    if (view?.pending) rows.push(['Pending', pendingText(view)]);
    if (view?.authenticated) {
      rows.push(['Ends', when(view.expires_at)]);
      rows.push(['Idle end', when(view.idle_expires_at)]);
    }
    fields.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    cookieValue.textContent = document.cookie === '' ? '""' : document.cookie;
    raw.textContent = view ? JSON.stringify(view, null, 2) : '';
    updated.textContent = store.error
      ? `Last poll failed (${store.error.code}); showing the previous answer.`
      : store.updatedAt
        ? `Updated ${store.updatedAt.toLocaleTimeString()}.`
        : 'Loading…';
  };
  store.subscribe(render);
  render();
  return panel;
}
