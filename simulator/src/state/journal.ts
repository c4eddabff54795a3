/** Request headers whose presence (never value) the journal records. */
export const NOTABLE_HEADERS = [
  'content-type',
  'authorization',
  'cookie',
  'x-client-id',
  'x-tenant-id',
  'x-operating-sys-version',
  'x-device-fingerprint',
  'x-device-ip',
  'x-agent',
  'x-l',
  'x-state-token',
  'x-signature',
] as const;

export interface JournalEntry {
  method: string;
  /** Path without the query string (queries can carry codes and tokens). */
  path: string;
  status: number;
  /** ISO time the request arrived. */
  at: string;
  duration_ms: number;
  /** Which notable headers were present. */
  headers: string[];
  /**
   * The `X-device-ip` value, when sent: the only header value kept, since it is an address,
   * not a credential, and deployments must check it is the browser's, not their proxy's.
   */
  device_ip?: string;
  /**
   * The W3C `traceparent` the caller sent, when it sent one: ids, not a credential, so a test
   * can check which span of the caller's trace the call belongs to.
   */
  traceparent?: string;
  /** Error code of a 4xx/5xx answer (`error_code` or OAuth `error`), when there was one. */
  error?: string;
}

const MAX_ENTRIES = 5000;

/** The calls the simulator answered, newest last (`GET /__sim/journal`). */
export class Journal {
  private entries: JournalEntry[] = [];

  add(entry: JournalEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES)
      this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(): JournalEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
