import { UpstreamErrorCode } from '../../common/errors/app-error';

/**
 * OneAccess `error_code`s that the contract maps more precisely than UPSTREAM_REJECTED
 * (bff-api.md section 6). Everything else stays UPSTREAM_REJECTED with OneAccess's own message.
 * Codes marked "guess" are not in Huawei's published table (oneaccess-api.md section 9.3);
 * the simulator uses the same guesses.
 */
const MAPPED: Record<string, UpstreamErrorCode> = {
  'LOGIN.0002': 'INVALID_CREDENTIALS', // wrong user name or password, "Remaining attempts: n"
  'LOGIN.0001': 'ACCOUNT_LOCKED', // locked after failed logins (guess: row number not legible)
  'CAPTCHA.0007': 'INVALID_CREDENTIALS', // wrong or expired SMS code (guess, Bamboo IDAAS.SDK.CAPTCHA.0007)
  'PARAM.0028': 'INVALID_CREDENTIALS', // original password incorrect (number ≈ 0028 per the table)
};

export function contractCodeFor(oneAccessCode: string): UpstreamErrorCode {
  return MAPPED[oneAccessCode] ?? 'UPSTREAM_REJECTED';
}

/** `X-signature` failed or expired: re-read the server time and sign once more. */
export const SIGNATURE_INVALID = 'PARAM.0030';
