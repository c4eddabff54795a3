import { sign } from 'cookie-signature';
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { CommonMetrics } from '../metrics/common-metrics';
import { SessionCookieReader } from './session-cookie';

const cookie = (id: string, secret: string) =>
  `__Host-bff=${encodeURIComponent(`s:${sign(id, secret)}`)}`;

/** A request carrying `cookieHeader`, as the reader takes it. */
const requestWith = (cookieHeader: string | undefined) =>
  ({ headers: { cookie: cookieHeader } }) as IncomingMessage;

/** A reader, asked by Cookie header (a new request each time), and its rejection count. */
function reader(secrets: string[]) {
  const tally = { rejected: 0 };
  const metrics = {
    sessionCookiesRejected: { inc: () => void tally.rejected++ },
  } as unknown as CommonMetrics;
  const real = new SessionCookieReader(
    { cookieName: '__Host-bff', secrets } as never,
    undefined,
    metrics,
  );
  return {
    sessionId: (cookieHeader: string | undefined) => real.sessionId(requestWith(cookieHeader)),
    get remembered() {
      return real.remembered;
    },
    tally,
    real,
  };
}

describe('SessionCookieReader: reading and verifying', () => {
  it('should read the id of a cookie signed with any configured secret', () => {
    expect(reader(['new-secret']).sessionId(`a=b; ${cookie('abc', 'new-secret')}; c=d`)).toBe(
      'abc',
    );
    expect(reader(['new-secret', 'old-secret']).sessionId(cookie('abc', 'old-secret'))).toBe('abc');
  });

  it('should refuse a cookie signed with an unknown secret, an unsigned one, or a lookalike name', () => {
    expect(reader(['new-secret']).sessionId(cookie('abc', 'other'))).toBeNull();
    expect(reader(['new-secret']).sessionId('__Host-bff=abc')).toBeNull();
    expect(
      reader(['s']).sessionId(cookie('abc', 's').replace('__Host-bff', 'x__Host-bff')),
    ).toBeNull();
    expect(reader(['s']).sessionId('__Host-bff=%E0%A4%A')).toBeNull();
    expect(reader(['s']).sessionId(undefined)).toBeNull();
  });
});

describe('SessionCookieReader: remembering', () => {
  it('should read the id of a genuine cookie, again and again, and refuse a forged one', () => {
    const r = reader(['new-secret', 'old-secret']);
    for (let i = 0; i < 3; i++) {
      expect(r.sessionId(`a=b; ${cookie('abc', 'new-secret')}`)).toBe('abc');
      expect(r.sessionId(cookie('def', 'old-secret'))).toBe('def');
      expect(r.sessionId(cookie('abc', 'forged'))).toBeNull();
      expect(r.sessionId(`${cookie('abc', 'new-secret')}x`)).toBeNull();
    }
    expect(r.sessionId(undefined)).toBeNull();
    expect(r.sessionId('__Host-bff=%E0%A4%A')).toBeNull();
  });

  it('should verify each cookie once: a remembered one costs no HMAC', () => {
    const r = reader(['s']);
    const genuine = cookie('abc', 's');
    const forged = cookie('abc', 'x');
    const hmacs = jest.spyOn(crypto, 'createHmac');
    try {
      expect(r.sessionId(genuine)).toBe('abc');
      expect(r.sessionId(genuine)).toBe('abc');
      expect(hmacs).toHaveBeenCalledTimes(1);
      // Forged cookies are not remembered: each one is checked.
      expect(r.sessionId(forged)).toBeNull();
      expect(r.sessionId(forged)).toBeNull();
      expect(hmacs).toHaveBeenCalledTimes(3);
    } finally {
      hmacs.mockRestore();
    }
  });
});

describe('SessionCookieReader: spellings of one cookie', () => {
  const secret = 'spelling-secret';
  const value = `s:${sign('abc', secret)}`;
  /** The same cookie value spelled with other escapes, as express-session also accepts it. */
  const spellings = [
    encodeURIComponent(value),
    value,
    encodeURIComponent(value).replace(/%3A/, '%3a'),
    `%73${encodeURIComponent(value).slice(1)}`,
    [...value].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
    `"${encodeURIComponent(value)}"`,
  ].filter((s, i, all) => all.indexOf(s) === i);

  it('should read the one session of every spelling that decodes to the signed value', () => {
    const r = reader([secret]);
    for (const spelling of spellings)
      expect({ spelling, sid: r.sessionId(`__Host-bff=${spelling}`) }).toEqual({
        spelling,
        sid: 'abc',
      });
  });

  it('should remember one cookie once, however many spellings of it arrive', () => {
    const r = reader([secret]);
    expect(r.sessionId(`__Host-bff=${encodeURIComponent(value)}`)).toBe('abc');
    for (let i = 0; i < 3; i++)
      for (const spelling of spellings) r.sessionId(`__Host-bff=${spelling}`);
    expect(r.remembered).toBe(1);
  });

  it('should not let fresh spellings push a genuine cookie out', () => {
    const r = reader([secret]);
    const genuine = `__Host-bff=${encodeURIComponent(value)}`;
    expect(r.sessionId(genuine)).toBe('abc');
    const hmacs = jest.spyOn(crypto, 'createHmac');
    try {
      // Every character escaped or not, in every combination of the first 12: 4096 spellings.
      const plain = value.slice(0, 12);
      for (let mask = 0; mask < 4096; mask++) {
        const head = [...plain]
          .map((c, i) => (mask & (1 << i) ? `%${c.charCodeAt(0).toString(16)}` : c))
          .join('');
        expect(r.sessionId(`__Host-bff=${head}${encodeURIComponent(value.slice(12))}`)).toBe('abc');
      }
      expect(r.remembered).toBe(1);
      hmacs.mockClear();
      expect(r.sessionId(genuine)).toBe('abc');
      expect(hmacs).not.toHaveBeenCalled();
    } finally {
      hmacs.mockRestore();
    }
  });
});

describe('SessionCookieReader: counting cookies that do not verify', () => {
  it('should count each request with a cookie that does not verify once, and nothing else', () => {
    const r = reader(['s']);
    r.sessionId(cookie('abc', 's'));
    r.sessionId(undefined);
    r.sessionId('other=1');
    expect(r.tally.rejected).toBe(0);
    r.sessionId(cookie('abc', 'forged'));
    r.sessionId('__Host-bff=%E0%A4%A');
    r.sessionId('__Host-bff=abc');
    expect(r.tally.rejected).toBe(3);
    // one request read twice (a CSRF audit, then the call) is one rejection
    const once = requestWith(cookie('abc', 'forged'));
    expect(r.real.sessionId(once)).toBeNull();
    expect(r.real.sessionId(once)).toBeNull();
    expect(r.tally.rejected).toBe(4);
  });
});

describe('SessionCookieReader: auditing cookies that do not verify', () => {
  it('should write one line per client a minute window, 100 in all, and never the cookie', () => {
    const lines: Array<{ fields: Record<string, unknown>; client?: string }> = [];
    const audit = {
      record: (
        _event: string,
        fields: Record<string, unknown>,
        _sid: unknown,
        who: { client?: string },
      ) => void lines.push({ fields, client: who.client }),
    } as unknown as AuditLog;
    const r = new SessionCookieReader({ cookieName: '__Host-bff', secrets: ['s'] } as never, audit);
    const ctxOf = (client: string) =>
      ({
        id: 'req-1',
        method: 'GET',
        path: '/api/x',
        clientIp: client,
        idInLogBindings: false,
      }) as RequestContext;
    const forged = cookie('abc', 'guessed');
    const clock = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      for (let i = 0; i < 3; i++) r.sessionId(requestWith(forged), ctxOf('198.51.100.7'));
      r.sessionId(requestWith(cookie('abc', 's')), ctxOf('198.51.100.9'));
      expect(lines).toEqual([
        {
          fields: { request_id: 'req-1', reason: 'bad_signature', method: 'GET', path: '/api/x' },
          client: '198.51.100.7',
        },
      ]);
      for (let i = 0; i < 150; i++) r.sessionId(requestWith(forged), ctxOf(`2001:db8::${i}`));
      expect(lines).toHaveLength(100);
      // the next window: the first client again
      clock.mockReturnValue(1_000_000 + 60_000);
      r.sessionId(requestWith(forged), ctxOf('198.51.100.7'));
      expect(lines).toHaveLength(101);
      expect(JSON.stringify(lines)).not.toContain('guessed');
      expect(JSON.stringify(lines)).not.toContain(forged.split('=')[1]);
    } finally {
      clock.mockRestore();
    }
  });
});
