import { LoginResult, PasswordPolicy } from './oneaccess.types';
import { badResponse, isObject, isString, toSeconds } from './oneaccess-answer';

/**
 * Checks a login answer against what its status promises and keeps only the documented fields.
 * An undocumented status is refused rather than passed on: callers switch exhaustively on the
 * union, and the gateway could not complete a step it does not know anyway.
 * @throws UpstreamError UPSTREAM_BAD_RESPONSE
 */
export function toLoginResult(raw: Record<string, unknown>): LoginResult {
  const result = loginFields(raw);
  if (isString(raw.data)) result.data = raw.data;
  return result;
}

function loginFields(raw: Record<string, unknown>): LoginResult {
  const { status } = raw;
  switch (status) {
    case 'SUCCESS': {
      if (!isString(raw.session_token)) throw badResponse('SUCCESS without session_token');
      const result: LoginResult = { status, session_token: raw.session_token };
      if (isString(raw.id_token)) result.id_token = raw.id_token;
      const expire = toSeconds(raw.expire, 'login expire');
      if (expire !== undefined) result.expire = expire;
      return result;
    }
    case 'ACCESS_DENIED':
      return { status };
    case 'PASSWORD_WARN':
    case 'PASSWORD_EXPIRED': {
      const policy = isString(raw.data) ? parsePolicy(raw.data) : undefined;
      const result: LoginResult = { status, state_token: stateTokenOf(raw) };
      if (policy !== undefined) result.password_policy = policy;
      return result;
    }
    case 'MFA_AUTH':
    case 'SOCIAL_BIND':
      return { status, state_token: stateTokenOf(raw) };
    default:
      throw badResponse(
        typeof status === 'string'
          ? `undocumented login status ${status.slice(0, 40)}`
          : 'login answer without status',
      );
  }
}

function stateTokenOf(raw: Record<string, unknown>): string {
  if (!isString(raw.state_token)) throw badResponse(`${String(raw.status)} without state_token`);
  return raw.state_token;
}

/** `data` is a JSON string on PASSWORD_WARN (Bamboo example); anything else is not a policy. */
function parsePolicy(data: string): PasswordPolicy | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
