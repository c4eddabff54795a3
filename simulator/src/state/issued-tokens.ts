/** Kinds of secret values the simulator hands out. */
export type IssuedKind =
  | 'session_token'
  | 'id_token'
  | 'state_token'
  | 'sso_ticket'
  | 'captcha'
  | 'captcha_token'
  | 'sms_code'
  | 'tenant_access_token'
  | 'tenant_id_token'
  | 'oauth_code'
  | 'oauth_access_token'
  | 'oauth_refresh_token'
  | 'oauth_id_token';

// Enough for any test run; a long-lived development instance forgets the oldest values.
const MAX_ENTRIES = 20000;

/**
 * Every secret value issued, so the gateway's tests can prove none of them reaches a browser
 * (`GET /__sim/issued-tokens`).
 */
export class IssuedTokens {
  private readonly entries: { kind: IssuedKind; value: string }[] = [];

  record(kind: IssuedKind, value: string): string {
    this.entries.push({ kind, value });
    if (this.entries.length > MAX_ENTRIES)
      this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return value;
  }

  list(): { kind: IssuedKind; value: string }[] {
    return [...this.entries];
  }
}
