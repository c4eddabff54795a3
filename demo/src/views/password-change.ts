import { api, ApiError } from '../api';
import type { App } from '../app';
import type { SessionView } from '@oneaccess-bff/client';
import { busy, field, form, h, input } from '../dom';
import { actions, afterLogin, card, submitButton } from './common';
import { t } from '../i18n';

/** OneAccess's policy object as given; its usual keys made readable, anything else listed. */
function policyText(policy: Record<string, unknown> | null | undefined): HTMLElement | null {
  if (!policy || Object.keys(policy).length === 0) return null;
  const { minLength, maxLength, regEx, ...rest } = policy;
  const items: Array<HTMLElement> = [];
  const bound = (n: unknown) => (typeof n === 'number' || typeof n === 'string' ? n : '?');
  if (minLength !== undefined || maxLength !== undefined) {
    items.push(
      h('li', {}, t('{min} to {max} characters', { min: bound(minLength), max: bound(maxLength) })),
    );
  }
  if (typeof regEx === 'string') items.push(h('li', {}, t('must match '), h('code', {}, regEx)));
  for (const [k, v] of Object.entries(rest)) items.push(h('li', {}, `${k}: ${JSON.stringify(v)}`));
  return h('div', { class: 'policy' }, h('p', {}, t('Password policy:')), h('ul', {}, ...items));
}

export function passwordChangeView(app: App): HTMLElement {
  const view = app.session.view;
  const expired = view?.status === 'PASSWORD_EXPIRED';
  const canSkip = !expired && view?.pending?.can_skip === true;
  const oldPassword = input({
    type: 'password',
    name: 'old_password',
    autocomplete: 'current-password',
  });
  const newPassword = input({
    type: 'password',
    name: 'new_password',
    autocomplete: 'new-password',
  });
  const repeat = input({ type: 'password', name: 'repeat_password', autocomplete: 'new-password' });
  const submit = submitButton('Change password');
  const skip = h(
    'button',
    { type: 'submit', class: 'secondary', 'data-action': 'skip' },
    t('Not now'),
  );

  const change = () => {
    if (newPassword.value !== repeat.value) {
      app.notices.error(new ApiError(0, 'VALIDATION_FAILED', t('The two new passwords differ.')));
      return Promise.resolve();
    }
    return busy(submit, 'Changing…', () =>
      api<SessionView>('POST', 'auth/password/update', {
        old_password: oldPassword.value,
        new_password: newPassword.value,
      }),
    ).then(
      (v) => afterLogin(app, v),
      (err: unknown) => app.notices.error(err),
    );
  };
  const skipNow = () =>
    busy(skip, 'Skipping…', () => api<SessionView>('POST', 'auth/password/skip')).then(
      (v) => afterLogin(app, v),
      (err: unknown) => app.notices.error(err),
    );

  return card(
    expired ? 'Your password has expired' : 'Your password is about to expire',
    expired
      ? ['POST /auth/password/update']
      : ['POST /auth/password/update', 'POST /auth/password/skip'],
    expired
      ? 'Choose a new password to finish signing in.'
      : 'Choose a new password now, or keep the current one for the moment.',
    policyText(view?.pending?.password_policy),
    form(
      (submitter) => void (submitter === skip ? skipNow() : change()),
      field('Current password', oldPassword),
      field('New password', newPassword),
      field('New password again', repeat),
      actions(submit, canSkip ? skip : null),
    ),
  );
}
