import { resolveOptions, type SimulatorOptions } from '../config/options';
import { json, type Reply } from './reply';
import type { RouteFamily } from './router';
import { applyWireVariants } from './wire-variants';

function apply(reply: Reply, options: Partial<SimulatorOptions>, family: RouteFamily = 'sdk') {
  const out = applyWireVariants(reply, family, resolveOptions(options));
  return JSON.parse(out.body as string) as unknown;
}

describe('applyWireVariants', () => {
  const login = json({ status: 'SUCCESS', session_token: 's', expire: 604800 });
  const deviceError = json(
    { error_code: 'PARAM.0001', error_msg: 'Device information is incomplete.' },
    400,
  );

  it('should leave answers as they are with the documented defaults', () => {
    expect(applyWireVariants(login, 'sdk', resolveOptions())).toBe(login);
  });

  it('should send lifetimes as numeric or non-numeric strings', () => {
    expect(apply(login, { lifetimeFormat: 'string' })).toMatchObject({ expire: '604800' });
    expect(apply(json({ expires_in: 1800 }), { lifetimeFormat: 'non-numeric' })).toEqual({
      expires_in: '1800 seconds',
    });
  });

  it('should answer EIAM codes in the swapped shape', () => {
    expect(apply(deviceError, { errorCodes: 'eiam', errorShape: 'swapped' })).toEqual({
      error: 'SDK.COMMON.1003',
      error_description: 'Device information is incomplete.',
    });
    expect(
      apply(
        json({ error: 'invalid_grant', error_description: 'x' }, 400),
        { errorShape: 'swapped' },
        'oauth',
      ),
    ).toEqual({ error_code: 'invalid_grant', error_msg: 'x' });
  });

  it('should never touch control answers', () => {
    const control = json({ expire: 5 });
    expect(
      applyWireVariants(control, 'control', resolveOptions({ lifetimeFormat: 'string' })),
    ).toBe(control);
  });
});
