import type { IncomingMessage } from 'node:http';
import { auditRequestContext } from '../../common/audit/audit-log';
import { AppError } from '../../common/errors/app-error';
import type { StoredCredential } from '../../common/session/credential';
import type { ApiRoute } from '../../config/upstreams.config';
import { TokenRefresher } from '../tokens/token-refresher';

/**
 * `Bearer <token>` of the route's kind for a live session, made fresh first, or undefined for
 * routes with token `none`; shared by relayed calls and WebSocket upgrades. A promise only when a
 * refresh is due, so the relay's common case awaits nothing more (CONTRIBUTING.md section 11).
 * @throws AppError UNAUTHENTICATED (NO_API_CREDENTIAL) when the session holds no such token
 */
export function routeAuthorization(
  refresher: TokenRefresher,
  req: IncomingMessage,
  sid: string,
  stored: StoredCredential,
  route: ApiRoute,
  requestId: string,
  clientIp: string,
): string | undefined | Promise<string | undefined> {
  if (route.token === 'none') return undefined;
  const need = route.token;
  if (!refresher.needsRefresh(stored.credential, need)) return bearer(stored, need);
  const facts = {
    ip: clientIp,
    userAgent: req.headers['user-agent'],
    acceptLanguage: req.headers['accept-language'],
  };
  // Audit lines raised deep inside the refresh name this request too.
  return auditRequestContext
    .run({ requestId }, () => refresher.refresh(sid, need, facts))
    .then((fresh) => bearer(fresh, need));
}

function bearer(stored: StoredCredential, need: 'id_token' | 'access_token'): string {
  const token = stored.credential.tokens[need];
  if (!token) throw new AppError('UNAUTHENTICATED', 'NO_API_CREDENTIAL');
  return `Bearer ${token}`;
}
