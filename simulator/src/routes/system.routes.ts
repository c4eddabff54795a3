import { formatPublicKey } from '../crypto/rsa-keys';
import { json } from '../http/reply';
import type { Router } from '../http/router';

/** A short, realistic list; the value formats (`+86` vs `86`) are not documented (§5.5). */
const AREA_CODES = [
  {
    areaCode: '+86',
    countryCode: 'CN',
    en: 'Chinese Mainland',
    zhCN: '中国大陆',
    zhTW: '中國大陸',
    mobileRegex: '^1[3-9]\\d{9}$',
  },
  {
    areaCode: '+852',
    countryCode: 'HK',
    en: 'Hong Kong (China)',
    zhCN: '中国香港',
    zhTW: '中國香港',
    mobileRegex: '^[4-9]\\d{7}$',
  },
  {
    areaCode: '+853',
    countryCode: 'MO',
    en: 'Macao (China)',
    zhCN: '中国澳门',
    zhTW: '中國澳門',
    mobileRegex: '^6\\d{7}$',
  },
  {
    areaCode: '+886',
    countryCode: 'TW',
    en: 'Taiwan (China)',
    zhCN: '中国台湾',
    zhTW: '中國台灣',
    mobileRegex: '^9\\d{8}$',
  },
  {
    areaCode: '+65',
    countryCode: 'SG',
    en: 'Singapore',
    zhCN: '新加坡',
    zhTW: '新加坡',
    mobileRegex: '^[89]\\d{7}$',
  },
  {
    areaCode: '+1',
    countryCode: 'US',
    en: 'United States',
    zhCN: '美国',
    zhTW: '美國',
    mobileRegex: '^\\d{10}$',
  },
  {
    areaCode: '+44',
    countryCode: 'GB',
    en: 'United Kingdom',
    zhCN: '英国',
    zhTW: '英國',
    mobileRegex: '^7\\d{9}$',
  },
];

/** #1 server time, #2 public key, #5 country codes. */
export function registerSystemRoutes(router: Router): void {
  // Epoch milliseconds as a string, as in the documented example "1628496895102".
  router.add('GET', '/api/v2/sdk/server-date', 'sdk', () =>
    json({ timestamp: String(Date.now()) }),
  );

  router.add('GET', '/api/v2/sdk/public-key', 'sdk', (ctx) =>
    json({
      public_key: formatPublicKey(ctx.sim.keys.signature.publicKey, ctx.sim.config.publicKeyFormat),
    }),
  );

  router.add('GET', '/api/v2/sdk/country-codes', 'sdk', () =>
    json({
      phoneAreaCodeDefinitions: AREA_CODES.map((c) => ({
        areaCode: c.areaCode,
        displayMapping: { 'zh-TW': c.zhTW, en: c.en, 'zh-CN': c.zhCN },
        countryCode: c.countryCode,
        mobileRegex: c.mobileRegex,
        areaCodeSuffixes: [],
      })),
      preferredAreaCode: 'CN',
    }),
  );
}
