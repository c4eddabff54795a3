import { ApiError, contractError, raw } from '../api';
import type { App } from '../app';
import { busy, field, form, h, input } from '../dom';
import { actions, card, submitButton } from './common';
import { t } from '../i18n';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function pretty(text: string, contentType: string): string {
  if (!contentType.includes('json')) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function apiCallView(app: App): HTMLElement {
  const method = h(
    'select',
    { name: 'method' },
    ...METHODS.map((m) => h('option', { value: m }, m)),
  );
  const path = input({ name: 'path', value: '/api/echo/hello?from=demo', spellcheck: 'false' });
  const body = h('textarea', {
    name: 'body',
    rows: '3',
    spellcheck: 'false',
    placeholder: '{"hello": "world"}',
  });
  const bodyField = field('JSON body', body);
  const submit = submitButton('Send');
  const result = h('div', { class: 'result', 'data-testid': 'api-result', hidden: true });
  const syncBody = () => (bodyField.hidden = method.value === 'GET' || method.value === 'DELETE');
  method.addEventListener('change', syncBody);
  syncBody();

  const send = () => {
    const target = path.value.trim().replace(/^\//, '');
    if (!/^api\/[a-z0-9-]+(\/|$|\?)/.test(target)) {
      app.notices.error(
        new ApiError(0, 'VALIDATION_FAILED', t('The path must start with /api/<name>/.')),
      );
      return;
    }
    const hasBody = !bodyField.hidden && body.value.trim() !== '';
    void busy(submit, 'Sending…', () =>
      raw(method.value, target, hasBody ? body.value : undefined),
    ).then(
      (reply) => {
        const error = contractError(reply);
        if (error) app.notices.error(error);
        else app.notices.clear();
        result.hidden = false;
        result.replaceChildren(
          h(
            'p',
            { class: 'result-status' },
            h(
              'span',
              { class: `pill ${reply.status < 400 ? 'pill-SUCCESS' : 'pill-error'}` },
              `HTTP ${reply.status}`,
            ),
            ' ',
            h('code', {}, reply.contentType || t('no content type')),
            error ? t(' · answered by the gateway') : t(' · answered by the upstream API'),
          ),
          h('pre', {}, pretty(reply.text, reply.contentType) || t('(empty body)')),
        );
      },
      (err: unknown) => app.notices.error(err),
    );
  };

  return card(
    'Call an API through the gateway',
    ['ANY /api/<name>/<path>'],
    'The gateway forwards the call to the upstream registered under <name> in API_ROUTES, with your token as Authorization: Bearer. The page never sees the token; it sees the upstream’s answer.',
    h(
      'p',
      { class: 'hint routes-hint' },
      t('Routes are configured on the gateway, e.g. '),
      h('code', {}, 'API_ROUTES=\'{"echo":{"target":"http://localhost:8080"}}\''),
      t('. An unknown name answers 404 NOT_FOUND.'),
    ),
    form(
      send,
      h(
        'div',
        { class: 'row' },
        field('Method', method),
        h('div', { class: 'grow' }, field('Path', path)),
      ),
      bodyField,
      actions(submit),
    ),
    result,
  );
}
