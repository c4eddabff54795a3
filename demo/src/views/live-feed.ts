import { ApiSocket } from '@oneaccess-bff/client';
import type { App } from '../app';
import { h } from '../dom';
import { card } from './common';
import { t } from '../i18n';

/** Messages kept on screen. */
const KEEP = 8;

/**
 * A live WebSocket through the gateway (`/api/live/feed`, pushed every few seconds by the
 * development feed): what an SPA's notifications look like, and what sign-out does to them.
 */
export function liveFeedView(app: App): HTMLElement {
  const state = h('span', { class: 'pill', 'data-testid': 'live-state' }, t('Connecting…'));
  const list = h('ol', { class: 'live-feed', 'data-testid': 'live-messages' });
  const setState = (text: string, pill: string) => {
    state.textContent = text;
    state.className = `pill ${pill}`;
  };
  const socket = new ApiSocket('/api/live/feed', {
    basePath: new URL('.', location.href).pathname,
    onOpen: () => setState(t('Open'), 'pill-SUCCESS'),
    onMessage: (data) => {
      const item = h('li', {}, h('code', {}, String(data)));
      list.prepend(item);
      while (list.children.length > KEEP) list.lastElementChild?.remove();
    },
    onClose: (event, again) => {
      if (again !== null) setState(t('Reconnecting ({code})…', { code: event.code }), 'pill-error');
    },
    onSignedOut: () => {
      setState(t('Closed by the gateway: session ended (4401)'), 'pill-ANONYMOUS');
      // Signed out elsewhere: show it now rather than at the next poll, then say why the feed
      // stopped (after the page's own "session ended" notice, which it would otherwise replace).
      void app.session
        .refresh()
        .finally(() =>
          app.notices.info('Live updates closed by the gateway: session ended (4401)'),
        );
    },
  });
  // Leaving the view (the hash changes) closes the socket for good.
  window.addEventListener('hashchange', () => socket.close(), { once: true });
  return card(
    'Live updates over a WebSocket',
    ['GET /api/<name>/<path> (Upgrade: websocket)'],
    'A route with "websocket": true relays WebSockets. The gateway checks the session and the Origin at the upgrade and closes every socket of a session with 4401 the moment it ends, in this tab or any other.',
    h('p', {}, t('Socket: '), state),
    list,
  );
}
