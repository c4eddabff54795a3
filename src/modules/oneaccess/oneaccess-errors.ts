import { UpstreamErrorCode } from '../../common/errors/app-error';

/**
 * OneAccess `error_code`s that the contract maps more precisely than UPSTREAM_REJECTED
 * (docs/api.md section 6). Everything else stays UPSTREAM_REJECTED with OneAccess's own message.
 * Codes marked "guess" are not in Huawei's published table (docs/oneaccess.md section 9.3);
 * the simulator uses the same guesses.
 */
const MAPPED: Record<string, UpstreamErrorCode> = {
  'LOGIN.0002': 'INVALID_CREDENTIALS', // wrong user name or password, "Remaining attempts: n"
  'LOGIN.0001': 'ACCOUNT_LOCKED', // locked after failed logins (guess: row number not legible)
  'CAPTCHA.0007': 'INVALID_CREDENTIALS', // wrong or expired SMS code (guess, Bamboo IDAAS.SDK.CAPTCHA.0007)
  'PARAM.0028': 'INVALID_CREDENTIALS', // original password incorrect (number ≈ 0028 per the table)
};

/**
 * Codes of the same API family in Bamboo EIAM's `SDK.*` namespace (docs/oneaccess.md sections 9.3
 * and 12: one tenant answered them) and the Huawei code each stands for, so both map alike.
 * `upstream_code` still shows the code OneAccess sent.
 */
const SAME_AS: Record<string, string> = {
  'SDK.LOGIN.1005': 'LOGIN.0002', // wrong password
  'SDK.LOGIN.1003': 'LOGIN.0001', // locked, "unlocked in {0} minutes and {1} seconds"
  'SDK.COMMON.1003': 'PARAM.0001', // device information is incomplete (PARAM.0001: guess, 9.3)
};

export function contractCodeFor(oneAccessCode: string): UpstreamErrorCode {
  return MAPPED[SAME_AS[oneAccessCode] ?? oneAccessCode] ?? 'UPSTREAM_REJECTED';
}

/** `X-signature` failed or expired: re-read the server time and sign once more. */
export const SIGNATURE_INVALID = 'PARAM.0030';
