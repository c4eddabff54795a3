import { OneAccessError } from '../errors/sim-errors';

/**
 * Password lockout (§10): after `threshold` consecutive failures the account name is locked for
 * `lockSeconds`, then unlocks by itself; a success resets the count. Unknown account names are
 * counted and locked too, so answers never reveal whether a user exists.
 */
export class LockoutTracker {
  private readonly entries = new Map<string, { failures: number; lockedUntil: number }>();

  constructor(private readonly policy: () => { threshold: number; lockSeconds: number }) {}

  /** @throws OneAccessError LOGIN_LOCKED (LOGIN.0001) while the name is locked. */
  assertNotLocked(userName: string): void {
    const entry = this.current(userName);
    if (entry && entry.lockedUntil > Date.now()) throw lockedError(entry.lockedUntil);
  }

  isLocked(userName: string): boolean {
    const entry = this.current(userName);
    return !!entry && entry.lockedUntil > Date.now();
  }

  /**
   * Counts a wrong password and returns the error to throw: LOGIN_INVALID (LOGIN.0002) with the
   * remaining attempts, or LOGIN_LOCKED (LOGIN.0001) when this failure reaches the threshold.
   */
  recordFailure(userName: string): OneAccessError {
    const { threshold, lockSeconds } = this.policy();
    const entry = this.current(userName) ?? { failures: 0, lockedUntil: 0 };
    entry.failures += 1;
    this.entries.set(userName, entry);
    const remaining = threshold - entry.failures;
    if (remaining > 0) return new OneAccessError('LOGIN_INVALID', [remaining]);
    entry.lockedUntil = Date.now() + lockSeconds * 1000;
    return lockedError(entry.lockedUntil);
  }

  /** Consecutive failures and whether the name is locked now (`GET /__sim/lockout`). */
  status(userName: string): { failures: number; locked: boolean } {
    const entry = this.current(userName);
    return { failures: entry?.failures ?? 0, locked: this.isLocked(userName) };
  }

  recordSuccess(userName: string): void {
    this.entries.delete(userName);
  }

  /** The entry, forgetting it once a lock has run out (auto-unlock starts a fresh count). */
  private current(userName: string): { failures: number; lockedUntil: number } | undefined {
    const entry = this.entries.get(userName);
    if (entry && entry.lockedUntil !== 0 && entry.lockedUntil <= Date.now()) {
      this.entries.delete(userName);
      return undefined;
    }
    return entry;
  }
}

function lockedError(lockedUntil: number): OneAccessError {
  const seconds = Math.max(1, Math.ceil((lockedUntil - Date.now()) / 1000));
  return new OneAccessError('LOGIN_LOCKED', [Math.floor(seconds / 60), seconds % 60]);
}
