import { BatchedDestination } from './batched-destination';

describe('BatchedDestination', () => {
  const sink = () => {
    const chunks: string[] = [];
    return { chunks, write: (c: string) => void chunks.push(c), flushSync: jest.fn() };
  };

  it('should hand lines over in order, in chunks of at least the batch size', () => {
    const s = sink();
    const d = new BatchedDestination(s, 100, 60_000);
    const lines = Array.from({ length: 25 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(10)}"}\n`);
    for (const line of lines) d.write(line);
    expect(s.chunks.length).toBeGreaterThan(0);
    expect(s.chunks.every((c) => c.length >= 100)).toBe(true);
    d.close();
    expect(s.chunks.join('')).toBe(lines.join(''));
    expect(s.flushSync).toHaveBeenCalled();
  });

  it("should write a quiet stream's lines within its interval, and nothing when there is none", () => {
    jest.useFakeTimers();
    try {
      const s = sink();
      const d = new BatchedDestination(s, 4096, 250);
      d.write('one\n');
      expect(s.chunks).toEqual([]);
      jest.advanceTimersByTime(250);
      expect(s.chunks).toEqual(['one\n']);
      jest.advanceTimersByTime(1000);
      expect(s.chunks).toEqual(['one\n']);
      d.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('should stop its timer when closed', () => {
    jest.useFakeTimers();
    try {
      const s = sink();
      const d = new BatchedDestination(s, 4096, 250);
      d.close();
      d.write('late\n');
      jest.advanceTimersByTime(1000);
      expect(s.chunks).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('should end its sink and resolve only once the sink has closed', async () => {
    const s = sink();
    let close: () => void = () => undefined;
    const ended = jest.fn();
    const d = new BatchedDestination(
      { ...s, end: ended, once: (_event: 'close', listener: () => void) => (close = listener) },
      4096,
      60_000,
    );
    d.write('last\n');
    let resolved = false;
    const done = d.end().then(() => (resolved = true));
    expect(s.chunks).toEqual(['last\n']);
    expect(ended).toHaveBeenCalled();
    await Promise.resolve();
    expect(resolved).toBe(false);
    close();
    await done;
    expect(resolved).toBe(true);
  });

  it('should write what gathered at once and synchronously on flushDurably (audit lines)', () => {
    const s = sink();
    const durable = sink();
    const d = new BatchedDestination(s, 4096, 60_000, durable);
    d.write('before\n');
    d.write('{"audit":"admin_auth_failed"}\n');
    d.flushDurably();
    expect(durable.chunks).toEqual(['before\n{"audit":"admin_auth_failed"}\n']);
    d.flushDurably();
    expect(durable.chunks).toHaveLength(1);
    d.write('after\n');
    d.close();
    expect(s.chunks).toEqual(['after\n']);
    // without a synchronous writer, the sink's own flushSync does the job
    const plain = sink();
    const p = new BatchedDestination(plain, 4096, 60_000);
    p.write('line\n');
    p.flushDurably();
    expect(plain.chunks).toEqual(['line\n']);
    expect(plain.flushSync).toHaveBeenCalled();
    p.close();
  });
});
