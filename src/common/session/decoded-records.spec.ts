import type { StoredCredential } from './credential';
import { DecodedRecords } from './decoded-records';

const record = (version: number): StoredCredential => ({
  version,
  credential: {
    user: { id: 'u-1', user_name: 'zhangsan', name: 'Z', mobile: '', email: '' },
    login_method: 'password',
    fingerprint: 'f',
    created_at: 1,
    last_seen_at: 2,
    ip: '127.0.0.1',
    user_agent: 'UA',
    tokens: { session_token: 's-1' },
  },
});

describe('DecodedRecords', () => {
  it('should give back the record decoded from exactly the same bytes, and nothing for others', () => {
    const records = new DecodedRecords();
    const kept = records.remember('sid-1', Buffer.from('1|abc'), record(1));
    expect(records.get('sid-1', Buffer.from('1|abc'))).toBe(kept);
    expect(records.get('sid-1', Buffer.from('2|abc'))).toBeUndefined();
    expect(records.get('sid-1', Buffer.from('1|abd'))).toBeUndefined();
    expect(records.get('sid-2', Buffer.from('1|abc'))).toBeUndefined();
    records.forget('sid-1');
    expect(records.get('sid-1', Buffer.from('1|abc'))).toBeUndefined();
  });

  it('should keep its own copy of the bytes, so a reused read buffer cannot change a match', () => {
    const records = new DecodedRecords();
    const socketBuffer = Buffer.from('xx1|abcxx');
    records.remember('sid-1', socketBuffer.subarray(2, 7), record(1));
    socketBuffer.write('9|zzz', 2);
    expect(records.get('sid-1', Buffer.from('1|abc'))).toBeDefined();
  });

  it('should hand out frozen records, so no caller can change what the next one reads', () => {
    const kept = new DecodedRecords().remember('sid-1', Buffer.from('1|a'), record(1));
    expect(() => {
      (kept.credential.tokens as { session_token?: string }).session_token = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (kept.credential.user as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (kept as { version: number }).version = 9;
    }).toThrow(TypeError);
  });

  it('should hold at most its bound, dropping the least recently decoded session first', () => {
    const records = new DecodedRecords(2);
    records.remember('a', Buffer.from('1|a'), record(1));
    records.remember('b', Buffer.from('1|b'), record(1));
    records.remember('a', Buffer.from('2|a'), record(2)); // a is now the newest
    records.remember('c', Buffer.from('1|c'), record(1));
    expect(records.size).toBe(2);
    expect(records.get('b', Buffer.from('1|b'))).toBeUndefined();
    expect(records.get('a', Buffer.from('2|a'))?.version).toBe(2);
    expect(records.get('c', Buffer.from('1|c'))).toBeDefined();
  });
});
