import { MemoryOneTimeStore } from './one-time.store';

describe('MemoryOneTimeStore (development, no Redis)', () => {
  it('should give each record once, count what its group has left and bound the group', async () => {
    const store = new MemoryOneTimeStore();
    const group = { name: 'g', max: 2 };
    await store.put(group, 'a', 'A', 60);
    await store.put(group, 'b', 'B', 60);
    expect(await store.take('g', 'a')).toEqual({ value: 'A', left: 1 });
    expect(await store.take('g', 'a')).toEqual({ value: null, left: 1 });
    await store.put(group, 'c', 'C', 60);
    await store.put(group, 'd', 'D', 60);
    // beyond max the oldest went
    expect(await store.take('g', 'b')).toEqual({ value: null, left: 2 });
    expect(await store.take('g', 'd')).toEqual({ value: 'D', left: 1 });
    expect(await store.take('g', 'c')).toEqual({ value: 'C', left: 0 });
  });

  it('should not give an expired record nor count it', async () => {
    const store = new MemoryOneTimeStore();
    await store.put({ name: 'g', max: 5 }, 'old', 'O', 0);
    await store.put({ name: 'g', max: 5 }, 'new', 'N', 60);
    expect(await store.take('g', 'old')).toEqual({ value: null, left: 1 });
  });
});
