import { freezeStored, StoredCredential } from './credential';

/** How many sessions' decoded records one process keeps (a few kB each). */
export const DECODED_RECORDS = 5_000;

/**
 * The decoded credential records of recently read sessions, each kept with the exact bytes it was
 * decoded from. The relay and the session view read the same session's record on every request,
 * and it rarely changes: when Redis returns the same bytes as last time, the record is the one
 * decoded then, without decrypting and parsing it again. Any write (here or on another instance)
 * changes the bytes (a new version, a fresh IV), so a changed record is always decoded anew; the
 * GET itself still happens on every request, so a session ended elsewhere ends here at once.
 * Records handed out are frozen, as the CredentialStore contract asks.
 */
export class DecodedRecords {
  private readonly entries = new Map<string, { raw: Buffer; stored: StoredCredential }>();

  constructor(private readonly max = DECODED_RECORDS) {}

  /** The record decoded earlier from exactly `raw`, or undefined. */
  get(sid: string, raw: Buffer): StoredCredential | undefined {
    const entry = this.entries.get(sid);
    return entry !== undefined && entry.raw.equals(raw) ? entry.stored : undefined;
  }

  /** Keeps `stored`, decoded from `raw`, and returns it frozen. */
  remember(sid: string, raw: Buffer, stored: StoredCredential): StoredCredential {
    freezeStored(stored);
    // Oldest first out (a Map iterates in insertion order); re-inserting moves a session last.
    this.entries.delete(sid);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    // A copy: the client's reply may be a view into a much larger socket read buffer.
    this.entries.set(sid, { raw: Buffer.from(raw), stored });
    return stored;
  }

  forget(sid: string): void {
    this.entries.delete(sid);
  }

  get size(): number {
    return this.entries.size;
  }
}
