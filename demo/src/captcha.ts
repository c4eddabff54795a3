import { api } from './api';
import type { Captcha } from '@oneaccess-bff/client';
import { h } from './dom';
import { t } from './i18n';

/** AJ-Captcha's blockPuzzle geometry, which OneAccess's images are made for. */
const IMAGE_WIDTH = 310;
const PIECE_WIDTH = 47;

export interface CaptchaWidget {
  el: HTMLElement;
  /** Fetches a new picture and puts the piece back at the left. */
  load(): Promise<void>;
}

/**
 * The slider captcha: the background from `original_image_base64`, the piece from
 * `jigsaw_image_base64`, dragged (mouse, touch or pen, through pointer events; or the arrow
 * keys) until it fills the gap. On release, `onAnswer` gets the captcha token and the
 * `point_json` in the 310-pixel image space; a captcha is good for one attempt only.
 */
export function captchaWidget(
  onAnswer: (token: string, pointJson: string) => Promise<boolean>,
): CaptchaWidget {
  const background = h('img', {
    class: 'captcha-bg',
    alt: t('Captcha picture with a gap'),
    draggable: 'false',
  });
  const piece = h('img', { class: 'captcha-piece', alt: '', draggable: 'false' });
  const stage = h('div', { class: 'captcha-stage' }, background, piece);
  const fill = h('div', { class: 'captcha-fill' });
  const handle = h(
    'div',
    {
      class: 'captcha-handle',
      role: 'slider',
      tabindex: '0',
      'aria-label': t('Captcha slider: drag right until the piece fills the gap'),
      'aria-valuemin': '0',
      'aria-valuemax': String(IMAGE_WIDTH - PIECE_WIDTH),
      'aria-valuenow': '0',
      'data-testid': 'captcha-handle',
    },
    h('span', { 'aria-hidden': 'true' }, '⟶'),
  );
  const trackLabel = h(
    'span',
    { class: 'captcha-track-label' },
    t('Drag the slider to fit the piece'),
  );
  const track = h('div', { class: 'captcha-track' }, fill, trackLabel, handle);
  const status = h('span', { class: 'captcha-status', 'aria-live': 'polite' });
  const reload = h('button', { type: 'button', class: 'link' }, t('New picture'));
  const el = h(
    'div',
    {
      class: 'captcha',
      role: 'group',
      'aria-label': t('Slider captcha'),
      'data-testid': 'captcha',
    },
    stage,
    track,
    h('div', { class: 'captcha-footer' }, status, reload),
  );

  let token: string | null = null;
  let offset = 0;
  let locked = true;
  let drag: { pointerId: number; startX: number } | null = null;

  /** Image pixels per CSS pixel, in case the stage is drawn narrower than 310 px. */
  const scale = () => IMAGE_WIDTH / (stage.clientWidth || IMAGE_WIDTH);
  const maxOffset = () => (IMAGE_WIDTH - PIECE_WIDTH) / scale();

  function place(px: number): void {
    offset = Math.min(Math.max(px, 0), maxOffset());
    piece.style.transform = `translateX(${offset}px)`;
    handle.style.transform = `translateX(${offset}px)`;
    fill.style.width = `${offset + handle.offsetWidth / 2}px`;
    trackLabel.hidden = offset > 0;
    handle.setAttribute('aria-valuenow', String(Math.round(offset * scale())));
  }

  function setState(state: 'loading' | 'ready' | 'checking' | 'passed' | 'failed', text: string) {
    el.dataset.state = state;
    status.textContent = text;
    locked = state !== 'ready';
  }

  async function load(): Promise<void> {
    setState('loading', t('Loading a picture…'));
    place(0);
    try {
      const c = await api<Captcha>('GET', 'auth/captcha');
      token = c.token;
      await Promise.all([
        show(background, c.original_image_base64),
        show(piece, c.jigsaw_image_base64),
      ]);
      setState('ready', '');
    } catch (err) {
      setState('failed', t('No picture: try "New picture".'));
      throw err;
    }
  }

  async function submit(): Promise<void> {
    if (!token || offset === 0) return;
    const answer = JSON.stringify({ x: Math.round(offset * scale()), y: 5 });
    const used = token;
    token = null;
    setState('checking', t('Checking…'));
    const ok = await onAnswer(used, answer).catch(() => false);
    if (ok) {
      setState('passed', t('Verified'));
    } else {
      // A captcha is good for one attempt: fetch the next one.
      await load().catch(() => undefined);
      status.textContent = t('Not quite. Try this new picture.');
    }
  }

  const start = (event: PointerEvent) => {
    if (locked || event.button !== 0) return;
    event.preventDefault();
    drag = { pointerId: event.pointerId, startX: event.clientX - offset };
    handle.setPointerCapture(event.pointerId);
    el.classList.add('dragging');
  };
  const move = (event: PointerEvent) => {
    if (drag?.pointerId === event.pointerId) place(event.clientX - drag.startX);
  };
  const end = (event: PointerEvent) => {
    if (drag?.pointerId !== event.pointerId) return;
    drag = null;
    el.classList.remove('dragging');
    void submit();
  };
  for (const target of [handle, piece]) target.addEventListener('pointerdown', start);
  // The handle captures the pointer wherever the drag started, so it gets every move and the release.
  handle.addEventListener('pointermove', move);
  handle.addEventListener('pointerup', end);
  handle.addEventListener('pointercancel', end);
  handle.addEventListener('keydown', (event) => {
    if (locked) return;
    const step = event.shiftKey ? 10 : 1;
    if (event.key === 'ArrowRight') place(offset + step);
    else if (event.key === 'ArrowLeft') place(offset - step);
    else if (event.key === 'Enter' || event.key === ' ') void submit();
    else return;
    event.preventDefault();
  });
  reload.addEventListener('click', () => void load().catch(() => undefined));

  return { el, load };
}

function show(img: HTMLImageElement, base64: string): Promise<void> {
  return new Promise((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error(t('captcha image could not be decoded')));
    img.src = `data:image/png;base64,${base64}`;
  });
}
