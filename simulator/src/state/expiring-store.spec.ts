import { ExpiringStore } from './expiring-store';

describe('ExpiringStore', () => {
  it('should tell live, expired and missing entries apart', () => {
    let now = 1000;
    const store = new ExpiringStore<string, number>(() => now);
    store.set('a', 1, 100);
    expect(store.lookup('a')).toEqual({ status: 'valid', value: 1, expiresAt: 1100 });
    expect(store.remainingMs('a')).toBe(100);
    now = 1100;
    expect(store.lookup('a')).toEqual({ status: 'expired' });
    expect(store.get('a')).toBeUndefined();
    expect(store.lookup('b')).toEqual({ status: 'missing' });
  });

  it('should forget long-expired entries when sweeping', () => {
    let now = 0;
    const store = new ExpiringStore<number, number>(() => now);
    store.set(-1, 0, 1);
    now = 2 * 60 * 60 * 1000;
    for (let i = 0; i < 200; i++) store.set(i, i, 1000);
    expect(store.lookup(-1)).toEqual({ status: 'missing' });
    expect([...store.values()]).toHaveLength(200);
  });
});
