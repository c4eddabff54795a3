import { client, ApiError } from '../api';
import type { App } from '../app';
import type { Profile } from '@oneaccess-bff/client';
import { busy, field, form, h, input } from '../dom';
import { actions, card, submitButton } from './common';
import { t } from '../i18n';

type Editable = Exclude<keyof Profile, 'user_name' | 'email' | 'mobile' | 'extension'>;

const TEXT_FIELDS: Array<[Editable, string]> = [
  ['name', 'Name'],
  ['attr_nick_name', 'Nickname'],
  ['first_name', 'First name'],
  ['middle_name', 'Middle name'],
  ['last_name', 'Last name'],
  ['head_img', 'Avatar URL'],
];

export function profileView(app: App): HTMLElement {
  const facts = h('dl', { class: 'facts' });
  const inputs = new Map<Editable, HTMLInputElement | HTMLSelectElement>();
  for (const [key] of TEXT_FIELDS) inputs.set(key, input({ name: key }));
  const gender = h(
    'select',
    { name: 'attr_gender' },
    h('option', { value: 'unknow' }, t('Not specified')),
    h('option', { value: 'male' }, t('Male')),
    h('option', { value: 'female' }, t('Female')),
  );
  inputs.set('attr_gender', gender);
  inputs.set('attr_birthday', input({ type: 'date', name: 'attr_birthday' }));
  const extension = h('textarea', { name: 'extension', rows: '3', spellcheck: 'false' });
  const submit = submitButton('Save changes');
  let loaded: Profile | null = null;

  const fill = (p: Profile) => {
    loaded = p;
    facts.replaceChildren(
      ...(
        [
          ['User name', p.user_name],
          ['Mobile', p.mobile],
          ['Email', p.email],
        ] as const
      ).flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v || '–')]),
    );
    for (const [key, el] of inputs) el.value = p[key] ?? '';
    extension.value = JSON.stringify(p.extension ?? {}, null, 2);
  };

  const save = () => {
    if (!loaded) return;
    const changes: Record<string, unknown> = {};
    for (const [key, el] of inputs) if (el.value !== (loaded[key] ?? '')) changes[key] = el.value;
    try {
      const ext: unknown = JSON.parse(extension.value || '{}');
      if (JSON.stringify(ext) !== JSON.stringify(loaded.extension ?? {})) changes.extension = ext;
    } catch {
      app.notices.error(
        new ApiError(0, 'VALIDATION_FAILED', t('Extension must be a JSON object.')),
      );
      return;
    }
    if (Object.keys(changes).length === 0) {
      app.notices.info('Nothing to save', h('p', {}, t('No field was changed.')));
      return;
    }
    void busy(submit, 'Saving…', () => client.updateProfile(changes)).then(
      (p) => {
        fill(p);
        app.notices.success(
          'Profile saved',
          h('p', {}, t('Changed: {fields}.', { fields: Object.keys(changes).join(', ') })),
        );
      },
      (err: unknown) => app.notices.error(err),
    );
  };

  const body = h('div', { class: 'loading' }, t('Loading your profile…'));
  client.profile().then(
    (p) => {
      fill(p);
      body.replaceWith(
        h(
          'div',
          {},
          facts,
          form(
            save,
            h(
              'div',
              { class: 'grid-2' },
              ...TEXT_FIELDS.map(([key, label]) => field(label, inputs.get(key)!)),
              field('Gender', gender),
              field('Birthday', inputs.get('attr_birthday')! as HTMLInputElement),
            ),
            field('Extension attributes (JSON)', extension),
            actions(submit),
          ),
        ),
      );
    },
    (err: unknown) => {
      body.textContent = t('The profile could not be loaded.');
      app.notices.error(err);
    },
  );

  return card(
    'Your profile',
    ['GET /auth/profile', 'PATCH /auth/profile'],
    'Read from OneAccess with the session’s own credentials (the gateway signs the call); only changed fields are sent.',
    body,
  );
}
