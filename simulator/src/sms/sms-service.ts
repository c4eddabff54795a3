import { randomDigits } from '../crypto/random';
import { OneAccessError } from '../errors/sim-errors';
import { ExpiringStore } from '../state/expiring-store';
import type { IssuedTokens } from '../state/issued-tokens';

/** The `type` enum of `sms/send` (§5.6, 2025 revision). */
export const SMS_TYPES = [
  'REGISTER_SMS',
  'LOGIN_SMS',
  'FORGET_PWD_SMS',
  'BIND_MOBILE_SMS',
  'UPDATE_MOBILE_SMS',
  'OTP_REST_SMS',
] as const;
export type SmsType = (typeof SMS_TYPES)[number];

export interface OutboxEntry {
  mobile: string;
  type: SmsType;
  code: string;
  sent_at: string;
}

const OUTBOX_LIMIT = 1000;

/**
 * SMS verification codes: six digits, one live code per (mobile, type) — a new send replaces it —
 * single use and expiring. Sent messages land in an outbox that tests read through the control
 * endpoint, since no phone receives them.
 */
export class SmsService {
  private readonly codes = new ExpiringStore<string, string>();
  private readonly lastSent = new Map<string, number>();
  private outboxEntries: OutboxEntry[] = [];

  constructor(
    private readonly settings: () => { codeLifetimeS: number; resendIntervalS: number },
    private readonly issued: IssuedTokens,
  ) {}

  /**
   * Refuses a send inside the resend interval of the previous one to the same (mobile, type).
   * @throws OneAccessError SMS_TOO_FREQUENT (CAPTCHA.0006, a guess) with the seconds to wait.
   */
  assertMaySend(mobile: string, type: SmsType): void {
    const intervalMs = this.settings().resendIntervalS * 1000;
    const last = this.lastSent.get(key(mobile, type));
    if (intervalMs > 0 && last !== undefined && Date.now() - last < intervalMs) {
      throw new OneAccessError('SMS_TOO_FREQUENT', [
        Math.ceil((last + intervalMs - Date.now()) / 1000),
      ]);
    }
  }

  send(mobile: string, type: SmsType): void {
    const code = this.issued.record('sms_code', randomDigits(6));
    this.codes.set(key(mobile, type), code, this.settings().codeLifetimeS * 1000);
    this.lastSent.set(key(mobile, type), Date.now());
    this.outboxEntries.push({ mobile, type, code, sent_at: new Date().toISOString() });
    if (this.outboxEntries.length > OUTBOX_LIMIT) this.outboxEntries.shift();
  }

  /**
   * Finds which of `types` the code was sent for, without consuming it.
   * @throws OneAccessError SMS_CODE_INVALID (CAPTCHA.0007, a guess) for a wrong, expired or
   *   already used code.
   */
  check(mobile: string, types: readonly SmsType[], code: string): SmsType {
    const type = types.find((t) => this.codes.get(key(mobile, t)) === code);
    if (!type) throw new OneAccessError('SMS_CODE_INVALID');
    return type;
  }

  consume(mobile: string, type: SmsType): void {
    this.codes.delete(key(mobile, type));
  }

  outbox(mobile?: string): OutboxEntry[] {
    return this.outboxEntries.filter((entry) => !mobile || entry.mobile === mobile);
  }
}

function key(mobile: string, type: SmsType): string {
  return `${mobile}|${type}`;
}
