// A few DOM helpers so that views read like the markup they build. No innerHTML anywhere:
// every text the gateway or a person supplies goes in as a text node.

import { language, t } from './i18n';

export type Child = Node | string | number | null | undefined | false;
type Handler = (event: Event) => void;
export type Props = Record<string, string | number | boolean | Handler | undefined>;

/** Creates an element: `on<event>` props become listeners, `true` a bare attribute, `false`/undefined nothing. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function clear(el: Element): void {
  el.replaceChildren();
}

let nextId = 0;

/**
 * A labelled form field; the label is tied to the control so screen readers (and tests) find it.
 * `label` and a text `hint` are English keys of t(), shown in the page's language.
 */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: Child,
): HTMLElement {
  if (!control.id) control.id = `f${++nextId}`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, t(label)),
    control,
    hint ? h('p', { class: 'hint' }, typeof hint === 'string' ? t(hint) : hint) : null,
  );
}

export function input(props: Props = {}): HTMLInputElement {
  return h('input', { type: 'text', autocomplete: 'off', ...props });
}

/** A button; `label` is an English key of t(). */
export function button(label: string, onClick: Handler, props: Props = {}): HTMLButtonElement {
  return h('button', { type: 'button', onclick: onClick, ...props }, t(label));
}

/** Runs `work` with the button disabled and showing `busyLabel` (a key of t()), whatever the outcome. */
export async function busy<T>(
  btn: HTMLButtonElement,
  busyLabel: string,
  work: () => Promise<T>,
): Promise<T> {
  const label = btn.textContent;
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  btn.textContent = t(busyLabel);
  try {
    return await work();
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
    btn.textContent = label;
  }
}

/** A form whose submit (Enter or the button) runs `onSubmit` instead of navigating. */
export function form(
  onSubmit: (submitter: HTMLButtonElement) => void,
  ...children: Child[]
): HTMLFormElement {
  const el = h('form', { novalidate: true }, ...children);
  el.addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter =
      (event.submitter as HTMLButtonElement | null) ??
      el.querySelector<HTMLButtonElement>('button[type=submit]')!;
    onSubmit(submitter);
  });
  return el;
}

/** Local date and time, plus how far away it is ("in 29 min", kept on one line). */
export function when(iso: string | null): string {
  if (!iso) return '–';
  const at = new Date(iso);
  const local = at.toLocaleString(language);
  const s = Math.round((at.getTime() - Date.now()) / 1000);
  const abs = Math.abs(s);
  // Clocks of browser and gateway differ by a second or so: "in 0 s" for a past event reads oddly.
  if (abs < 5) return t('{at} (now)', { at: local });
  const span =
    abs < 90
      ? t('{n}\u00a0s', { n: abs })
      : abs < 5400
        ? t('{n}\u00a0min', { n: Math.round(abs / 60) })
        : abs < 172800
          ? t('{n}\u00a0h', { n: Math.round(abs / 3600) })
          : t('{n}\u00a0d', { n: Math.round(abs / 86400) });
  return s >= 0
    ? t('{at} (in\u00a0{span})', { at: local, span })
    : t('{at} ({span}\u00a0ago)', { at: local, span });
}
