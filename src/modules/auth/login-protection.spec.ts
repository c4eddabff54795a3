import { accountName } from '../../common/session/account-name';
import { accountNamesOf, loginProtectionLimits } from './login-protection';

describe('loginProtectionLimits', () => {
  it('should stop one failure below the threshold and ask for a captcha after a third of it', () => {
    expect(loginProtectionLimits(10)).toEqual({
      captchaAfter: 3,
      hardStop: 9,
      captchaAfterPerAddress: 10,
    });
    expect(loginProtectionLimits(6)).toMatchObject({ captchaAfter: 2, hardStop: 5 });
  });

  it('should keep the hard stop below every threshold from 2 to 10', () => {
    for (let t = 2; t <= 10; t++) {
      const limits = loginProtectionLimits(t);
      expect(limits.hardStop).toBeLessThan(t);
      expect(limits.captchaAfter).toBeLessThanOrEqual(limits.hardStop);
    }
  });

  it('should ask for a captcha on every attempt when the threshold leaves nothing to spare', () => {
    expect(loginProtectionLimits(2)).toMatchObject({ captchaAfter: 0, hardStop: 1 });
    expect(loginProtectionLimits(1)).toMatchObject({ captchaAfter: 0, hardStop: 1 });
  });
});

describe('accountName', () => {
  it('should fold case and width variants of one user name together', () => {
    expect(accountName(' ZhangSan ')).toBe('zhangsan');
    expect(accountName('ｚｈａｎｇｓａｎ')).toBe('zhangsan');
  });
});

describe('accountNamesOf', () => {
  it('should list every name a user may sign in with, once each and folded, leaving out blanks', () => {
    expect(
      accountNamesOf({ user_name: 'ZhangSan', mobile: '13800000001', email: 'Zhang@Example.com' }),
    ).toEqual(['zhangsan', '13800000001', 'zhang@example.com']);
    expect(accountNamesOf({ user_name: '13800000001', mobile: '13800000001', email: '' })).toEqual([
      '13800000001',
    ]);
  });
});
