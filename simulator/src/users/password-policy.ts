/**
 * OneAccess's default password policy (§10: 8–18 characters, letters and digits required;
 * any printable ASCII special character allowed).
 */
export const PASSWORD_POLICY = {
  minLength: 8,
  maxLength: 18,
  regEx: '^(?=.*[A-Za-z])(?=.*\\d)[\\x21-\\x7e]{8,18}$',
} as const;

const POLICY_REGEX = new RegExp(PASSWORD_POLICY.regEx);

export function satisfiesPolicy(password: string): boolean {
  return POLICY_REGEX.test(password);
}

/**
 * `data` of a PASSWORD_WARN login result: the policy as a JSON *string* (Bamboo's example keys,
 * §4.1).
 */
export function policyAsDataString(): string {
  return JSON.stringify(PASSWORD_POLICY);
}
