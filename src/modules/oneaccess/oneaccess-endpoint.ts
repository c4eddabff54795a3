import type { ClientAuthMethod } from '../../config/oneaccess.config';

/** Where OneAccess is and who we are to it: from configuration, or the embedded simulator's. */
export interface OneAccessEndpoint {
  /** Where the gateway calls OneAccess. */
  baseUrl: string;
  /** Where the browser is sent (authorize, global logout): ONEACCESS_PUBLIC_URL or baseUrl. */
  publicUrl: string;
  clientId: string;
  clientSecret: string;
  tenantId?: string;
  /** How the OAuth token endpoint authenticates us; `client_secret_post` when unset. */
  clientAuth?: ClientAuthMethod;
  timeoutMs: number;
  /** True when the embedded development simulator serves this endpoint. */
  embedded: boolean;
}

export const ONEACCESS_ENDPOINT = Symbol('ONEACCESS_ENDPOINT');
