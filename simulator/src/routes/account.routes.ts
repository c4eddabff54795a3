import { requireSignedSession } from '../auth/sdk-guards';
import { OneAccessError } from '../errors/sim-errors';
import { optionalString, readJson, requireString } from '../http/body';
import { empty, json } from '../http/reply';
import type { Router } from '../http/router';
import { readProfile } from '../users/read-profile';

/** The X-signature calls: #11 logout, #20–21 social accounts, #22–23 profile, #27 refresh-id-token. */
export function registerAccountRoutes(router: Router): void {
  router.add('GET', '/api/v2/sdk/logout', 'sdk', (ctx) => {
    const { session } = requireSignedSession(ctx);
    // Ends this session only; browser SSO sessions end at GET /api/v1/logout.
    ctx.sim.state.sessions.revoke(session.token);
    return empty();
  });

  router.add('GET', '/api/v2/sdk/social', 'sdk', (ctx) => {
    const { user } = requireSignedSession(ctx);
    return json({ social: ctx.sim.state.social.listFor(user.id) });
  });

  router.add('POST', '/api/v2/sdk/social/unbind-account', 'sdk', (ctx) => {
    const { user } = requireSignedSession(ctx);
    const id = requireString(readJson(ctx), 'id');
    if (!ctx.sim.state.social.unbind(id, user.id))
      throw new OneAccessError('PARAM_INVALID', ['id']);
    return empty();
  });

  router.add('GET', '/api/v2/sdk/profile', 'sdk', (ctx) => {
    const { user } = requireSignedSession(ctx);
    return json(ctx.sim.state.users.toProfile(user));
  });

  router.add('POST', '/api/v2/sdk/profile/update', 'sdk', (ctx) => {
    const { user } = requireSignedSession(ctx);
    const body = readJson(ctx);
    // "Cannot change password, mobile number or e-mail": mobile, verify_code, email and pwd are
    // ignored, and mobile/verify_code are not required despite the table's "Y" (§5.23).
    const userName = optionalString(body, 'user_name');
    const existing = userName === undefined ? undefined : ctx.sim.state.users.byName(userName);
    if (existing && existing.id !== user.id) throw new OneAccessError('USER_NAME_TAKEN');
    const profile = readProfile(body);
    const name = optionalString(body, 'name');
    if (userName !== undefined) user.user_name = userName;
    if (name !== undefined) user.name = name;
    user.profile = { ...user.profile, ...profile };
    user.updatedAt = Date.now();
    return empty();
  });

  router.add('POST', '/api/v2/sdk/session-token/refresh-id-token', 'sdk', (ctx) => {
    const { session, user } = requireSignedSession(ctx);
    if (ctx.sim.refusesRefresh(ctx.path)) throw new OneAccessError('SIGNATURE_INVALID');
    return json({ id_token: ctx.sim.state.sessions.idTokenFor(user, session.clientId) });
  });
}
