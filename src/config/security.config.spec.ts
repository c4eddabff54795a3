import { PRODUCTION_OK } from '../../test/helpers/production-env';
import { environmentProblems } from './config';
import { loadSecurityConfig } from './security.config';

const problems = environmentProblems;

describe('configuration: production safety', () => {
  describe('weak settings in production', () => {
    const WEAK = {
      ...PRODUCTION_OK,
      PUBLIC_ORIGIN: 'http://portal.example.com',
      ONEACCESS_BASE_URL: 'http://abcdefg.huaweioneaccess.com',
      COOKIE_SECURE: 'false',
      COOKIE_NAME: 'bff',
      TRUST_PROXY: '999',
    };

    it('should refuse plain http, an insecure cookie and too many proxy hops, naming each', () => {
      const found = problems(WEAK);
      for (const name of ['PUBLIC_ORIGIN', 'ONEACCESS_BASE_URL', 'COOKIE_SECURE', 'TRUST_PROXY'])
        expect(found.some((p) => p.startsWith(`${name}:`) && p.includes('ALLOW_INSECURE'))).toBe(
          true,
        );
      expect(found).toHaveLength(4);
    });

    it('should refuse the default http://localhost origin in production', () => {
      const withoutOrigin: Record<string, string> = { ...PRODUCTION_OK };
      delete withoutOrigin.PUBLIC_ORIGIN;
      expect(problems(withoutOrigin)).toEqual([
        expect.stringMatching(/^PUBLIC_ORIGIN: must be https/),
      ]);
    });

    it('should start with ALLOW_INSECURE=true and list what it let through', () => {
      expect(problems({ ...WEAK, ALLOW_INSECURE: 'true' })).toEqual([]);
      expect(loadSecurityConfig({ ...WEAK, ALLOW_INSECURE: 'true' }).overridden).toHaveLength(4);
      expect(loadSecurityConfig(PRODUCTION_OK).overridden).toEqual([]);
    });

    it('should accept a sane hop count and leave development alone', () => {
      expect(problems({ ...PRODUCTION_OK, TRUST_PROXY: '2' })).toEqual([]);
      expect(problems({ ...WEAK, NODE_ENV: 'development' })).toEqual([]);
    });

    it('should refuse a mistyped ALLOW_INSECURE', () => {
      expect(problems({ ...WEAK, ALLOW_INSECURE: 'yes please' })).toContainEqual(
        expect.stringMatching(/^ALLOW_INSECURE: must be true or false/),
      );
    });
  });

  describe('TRUST_PROXY that cannot work', () => {
    it('should name catch-all ranges in any environment, never throw a stack', () => {
      for (const value of [
        '0.0.0.0/0,::/0',
        '::/0',
        '10.0.0.0/8, 0.0.0.0/0',
        // split catch-alls: the union of the ranges is what counts
        '0.0.0.0/1,128.0.0.0/1,::/1,8000::/1',
        '::ffff:0:0/96',
      ]) {
        expect(problems({ TRUST_PROXY: value })).toEqual([
          expect.stringMatching(
            /^TRUST_PROXY: the ranges together trust every IPv[46]\b.* address/,
          ),
        ]);
      }
    });

    it('should turn what proxy-addr cannot compile into a config message', () => {
      for (const value of ['10.0.0.0/33', '1.2.3', '::1/200'])
        expect(problems({ TRUST_PROXY: value })).toEqual([expect.stringMatching(/^TRUST_PROXY: /)]);
    });
  });
});
