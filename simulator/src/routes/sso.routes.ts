import { OneAccessError } from '../errors/sim-errors';
import { optionalString, readJson, requireString, type JsonObject } from '../http/body';
import { json } from '../http/reply';
import type { RequestContext } from '../http/request-context';
import type { Router } from '../http/router';
import type { Session } from '../sessions/session-store';

/**
 * SSO (§6): server-to-server, tenant Bearer token, device data in the body. The fingerprint must
 * be the one the session was created with.
 */
export function registerSsoRoutes(router: Router): void {
  router.add('POST', '/api/v2/tenant/sso/session-token/sso-ticket', 'tenant', (ctx) => {
    const body = authenticatedBody(ctx);
    const session = liveSession(ctx, body);
    const clientId = optionalString(body, 'client_id');
    if (clientId !== undefined && clientId !== ctx.sim.config.clientId)
      throw new OneAccessError('APP_NOT_FOUND');
    return json(
      ctx.sim.state.ssoTickets.issue({
        userId: session.userId,
        fingerprint: session.fingerprint,
        clientId: clientId ?? session.clientId,
      }),
    );
  });

  router.add('POST', '/api/v2/tenant/sso/sso-ticket/verify', 'tenant', (ctx) => {
    const body = authenticatedBody(ctx);
    const value = requireString(body, 'sso_ticket');
    const fingerprint = deviceFingerprint(body);
    const ticket = ctx.sim.state.ssoTickets.take(value);
    const user = ticket && ctx.sim.state.users.byId(ticket.userId);
    if (!ticket || !user) throw new OneAccessError('TOKEN_INVALID', ['sso_ticket']);
    if (ticket.fingerprint !== fingerprint) throw new OneAccessError('DEVICE_MISMATCH');
    const info = {
      userName: user.user_name,
      id: user.id,
      name: user.name,
      mobile: user.mobile,
      email: user.email,
    };
    // Success code/message are undocumented (§6.2); Bamboo answers the flat user instead.
    return json(
      ctx.sim.config.ssoVerifyShape === 'flat'
        ? info
        : { code: '200', message: 'success', data: { user: info } },
    );
  });

  router.add('POST', '/api/v2/tenant/sso/session-token/refresh', 'tenant', (ctx) => {
    const body = authenticatedBody(ctx);
    const session = liveSession(ctx, body);
    if (ctx.sim.refusesRefresh(ctx.path))
      throw new OneAccessError('TOKEN_INVALID', ['session_token']);
    const user = ctx.sim.state.users.byId(session.userId);
    if (!user) throw new OneAccessError('TOKEN_INVALID', ['session_token']);
    if (ctx.sim.config.revokeSessionTokenOnRefresh) ctx.sim.state.sessions.revoke(session.token);
    const tokens = ctx.sim.state.sessions.create(user, session.clientId, session.fingerprint);
    return json(tokens);
  });
}

/** Tenant Bearer token first, then the JSON body. */
function authenticatedBody(ctx: RequestContext): JsonObject {
  ctx.sim.state.tenantTokens.authenticate(ctx.header('authorization'));
  return readJson(ctx);
}

/**
 * @throws OneAccessError DEVICE_INCOMPLETE (PARAM.0001) when a mandatory device field is missing.
 */
function deviceFingerprint(body: JsonObject): string {
  for (const name of ['operating_sys_version', 'device_ip', 'device_fingerprint']) {
    if (typeof body[name] !== 'string' || body[name] === '')
      throw new OneAccessError('DEVICE_INCOMPLETE');
  }
  return body.device_fingerprint as string;
}

/**
 * The live session of `session_token`, seen from the device it was created on.
 * @throws OneAccessError TOKEN_INVALID (PARAM.0016) or DEVICE_MISMATCH (PARAM.0001), both guesses.
 */
function liveSession(ctx: RequestContext, body: JsonObject): Session {
  const token = requireString(body, 'session_token');
  const fingerprint = deviceFingerprint(body);
  const session = ctx.sim.state.sessions.find(token);
  if (!session) throw new OneAccessError('TOKEN_INVALID', ['session_token']);
  if (session.fingerprint !== fingerprint) throw new OneAccessError('DEVICE_MISMATCH');
  return session;
}
