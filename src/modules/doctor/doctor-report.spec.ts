import { exitCodeOf, formatReport } from './doctor-report';
import { fail, ok, warn } from './doctor.types';

describe('doctor report', () => {
  it('should print one line per check: name, status, detail, with secrets masked', () => {
    const text = formatReport(
      [ok('config', 'valid'), fail('tenant-token', 'refused client-secret-1\nsee above')],
      ['client-secret-1'],
    );

    expect(text.split('\n')).toEqual([
      'config               ok   valid',
      'tenant-token         fail refused ***; see above',
    ]);
  });

  it('should exit 0 only when no check failed', () => {
    expect(exitCodeOf([ok('a', ''), warn('b', '')])).toBe(0);
    expect(exitCodeOf([ok('a', ''), fail('b', '')])).toBe(1);
  });
});
