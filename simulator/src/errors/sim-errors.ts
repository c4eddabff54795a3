import type { MessageKey } from './messages';

/**
 * A business error of the SDK, SSO and tenant APIs: answered as `{error_code, error_msg}`
 * (HTTP 400 unless `status` says otherwise), localised by `X-L`.
 */
export class OneAccessError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: readonly (string | number)[] = [],
    readonly status = 400,
  ) {
    super(key);
    this.name = 'OneAccessError';
  }
}

/** An error of the OAuth 2.0 / OIDC endpoints: answered as `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }
}
