import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, ERROR_STATUS, ErrorCode, UpstreamError } from './app-error';
import { toErrorResponse } from './error-response';
import { negotiateLanguage } from './language';
import {
  FIELD_INVALID_ZH,
  FIELD_RULES_ZH,
  LANGUAGES,
  MESSAGES,
  MessageId,
  messageText,
} from './messages';

const SRC = join(__dirname, '..', '..');
const HAN = /[\u4e00-\u9fff]/;

/** Every .ts file under src/ but the specs. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['zh-CN,zh;q=0.9', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['zh-Hant-HK,en;q=0.5', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['en-US,zh;q=0.9', 'en'],
    // q-values decide, not the order
    ['en;q=0.5, zh-CN;q=0.8', 'zh-CN'],
    ['zh;q=0.3,en;q=0.4', 'en'],
    // equal q: the first listed wins
    ['en;q=0.8,zh;q=0.8', 'en'],
    ['zh;q=0.8,en;q=0.8', 'zh-CN'],
    // a language the gateway does not write is skipped, the next acceptable one counts
    ['fr-FR,zh;q=0.7', 'zh-CN'],
    ['fr-FR,de;q=0.9', 'en'],
    // q=0 means "not this one"
    ['zh;q=0', 'en'],
    ['zh-CN;q=0,en;q=0', 'en'],
    ['*', 'en'],
    ['*;q=0.9,zh;q=0.1', 'zh-CN'],
    // junk never throws and never picks Chinese by accident
    [';;;,,,q=1', 'en'],
    ['zhx', 'en'],
    ['x'.repeat(10_000), 'en'],
  ])('should choose the language for Accept-Language %p', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });

  it('should read only the first entries of a huge header', () => {
    expect(negotiateLanguage(`${'fr,'.repeat(100)}zh`)).toBe('en');
  });
});

describe('the messages', () => {
  const ids = Object.keys(MESSAGES) as MessageId[];

  it('should have a message for every error code', () => {
    for (const code of Object.keys(ERROR_STATUS) as ErrorCode[])
      expect({ code, has: code in MESSAGES }).toEqual({ code, has: true });
  });

  it('should have every message in every language, Chinese written in Chinese', () => {
    for (const id of ids) {
      for (const language of LANGUAGES) {
        const text = MESSAGES[id][language];
        expect({ id, language, ok: typeof text === 'string' && text.trim().length > 0 }).toEqual({
          id,
          language,
          ok: true,
        });
      }
      expect({ id, zh: HAN.test(MESSAGES[id]['zh-CN']) }).toEqual({ id, zh: true });
      expect({ id, en: HAN.test(MESSAGES[id].en) }).toEqual({ id, en: false });
      // The same placeholders in each language, so no value is lost in translation.
      const holes = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      expect({ id, holes: holes(MESSAGES[id]['zh-CN']) }).toEqual({
        id,
        holes: holes(MESSAGES[id].en),
      });
    }
  });

  it('should give every message the gateway writes an id, never an untranslated literal', () => {
    // An error built with a message of its own must name a message id (the compiler checks the
    // id exists); a string literal that is not an id, as before the translations, fails here.
    const offenders: string[] = [];
    // AppError(code, message): the message is an id. UpstreamError(code, upstream, message): the
    // message is the remote API's text, never a literal of ours.
    const own = /new AppError\(\s*'[A-Z_]+'\s*,\s*(['"`])([^'"`]*)\1/g;
    const foreign = /new UpstreamError\(\s*'[A-Z_]+'\s*,\s*[^,()]+,\s*['"`]/g;
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(own))
        if (!(m[2] in MESSAGES)) offenders.push(`${file}: ${m[0]}`);
      for (const m of text.matchAll(foreign)) offenders.push(`${file}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it('should fill placeholders in each language', () => {
    expect(messageText('NOT_READY', 'en', { down: 'session_store' })).toBe(
      'Not ready: session_store unavailable.',
    );
    expect(messageText('NOT_READY', 'zh-CN', { down: 'session_store' })).toBe(
      '未就绪：session_store 不可用。',
    );
  });
});

describe('toErrorResponse in a language', () => {
  it('should write the message in Chinese for a Chinese reader, the code and status unchanged', () => {
    const zh = toErrorResponse(new AppError('UNAUTHENTICATED'), 'rid', 'zh-CN,zh;q=0.9');
    expect(zh).toMatchObject({
      status: 401,
      language: 'zh-CN',
      body: { code: 'UNAUTHENTICATED', message: '请先登录。', request_id: 'rid' },
    });
    const en = toErrorResponse(new AppError('UNAUTHENTICATED'), 'rid', 'en-GB');
    expect(en).toMatchObject({ language: 'en', body: { message: 'Sign in first.' } });
    expect(toErrorResponse(new Error('boom'), 'rid', 'zh').body).toEqual({
      code: 'INTERNAL',
      message: MESSAGES.INTERNAL['zh-CN'],
      request_id: 'rid',
    });
  });

  it("should pass OneAccess's own message as it came (X-L chose its language)", () => {
    const err = new UpstreamError('INVALID_CREDENTIALS', 'oneaccess', '用户名或密码错误', {
      upstreamCode: 'LOGIN.0002',
    });
    expect(toErrorResponse(err, 'rid', 'zh-CN').body.message).toBe('用户名或密码错误');
    // Without a message of its own, OneAccess's failure has the gateway's, translated.
    const bare = new UpstreamError('UPSTREAM_UNAVAILABLE', 'oneaccess');
    expect(toErrorResponse(bare, 'rid', 'zh-CN').body.message).toBe(
      MESSAGES.UPSTREAM_UNAVAILABLE['zh-CN'],
    );
    expect(bare.message).toBe(MESSAGES.UPSTREAM_UNAVAILABLE.en);
  });

  it('should keep English in the error itself, for logs', () => {
    const err = new AppError('RATE_LIMITED', 'RELAY_BUSY');
    expect(err.message).toBe(MESSAGES.RELAY_BUSY.en);
    expect(err.messageIn('zh-CN')).toBe(MESSAGES.RELAY_BUSY['zh-CN']);
  });

  it('should write each failing field in Chinese by its rule, in English as the validator wrote it', () => {
    const err = new AppError('VALIDATION_FAILED', undefined, {
      fields: [
        { field: 'user_name', message: 'user_name should not be empty', rule: 'isNotEmpty' },
        { field: 'x', message: 'property x should not exist', rule: 'whitelistValidation' },
        { field: 'y', message: 'y is odd', rule: 'someNewRule' },
        { field: 'z', message: 'z is odd' },
      ],
    });
    expect(toErrorResponse(err, 'rid', 'zh').body.errors).toEqual([
      { field: 'user_name', message: 'user_name 为必填项。' },
      { field: 'x', message: 'x 不是可接受的字段。' },
      { field: 'y', message: 'y 无效。' },
      { field: 'z', message: 'z 无效。' },
    ]);
    expect(toErrorResponse(err, 'rid', 'en').body.errors).toEqual([
      { field: 'user_name', message: 'user_name should not be empty' },
      { field: 'x', message: 'property x should not exist' },
      { field: 'y', message: 'y is odd' },
      { field: 'z', message: 'z is odd' },
    ]);
    for (const text of [...Object.values(FIELD_RULES_ZH), FIELD_INVALID_ZH])
      expect(HAN.test(text)).toBe(true);
  });
});
