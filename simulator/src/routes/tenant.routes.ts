import { clientCredentials, sameClient } from '../auth/client-credentials';
import { OneAccessError } from '../errors/sim-errors';
import { readJson, requireString } from '../http/body';
import { json } from '../http/reply';
import type { RequestContext } from '../http/request-context';
import type { Router } from '../http/router';
import { satisfiesPolicy } from '../users/password-policy';
import type { User } from '../users/user-store';

/** #28 tenant token (client credentials) and the tenant user APIs #29–32. */
export function registerTenantRoutes(router: Router): void {
  router.add('POST', '/api/v2/tenant/token', 'tenant', (ctx) => {
    const form = /^application\/x-www-form-urlencoded/i.test(ctx.header('content-type') ?? '')
      ? new URLSearchParams(ctx.body.toString('utf8'))
      : new URLSearchParams();
    // grant_type is documented in the form; the enterprise-API guide puts it in the query.
    const grantType = form.get('grant_type') ?? ctx.query.get('grant_type');
    if (!grantType) throw new OneAccessError('PARAM_REQUIRED', ['grant_type']);
    if (grantType !== 'client_credentials')
      throw new OneAccessError('PARAM_INVALID', ['grant_type']);
    const { clientId, clientSecret } = clientCredentials(ctx, form);
    if (!clientId || !clientSecret || !sameClient(ctx, clientId, clientSecret)) {
      throw new OneAccessError('CLIENT_CREDENTIALS_INVALID');
    }
    return json(ctx.sim.state.tenantTokens.issue(clientId));
  });

  router.add('GET', '/api/v2/tenant/users/:user_id', 'tenant', (ctx) => {
    authenticate(ctx);
    return json(tenantUser(ctx, findUser(ctx, ctx.params.user_id)));
  });

  router.add('POST', '/api/v2/tenant/users/user-by-username', 'tenant', (ctx) => {
    authenticate(ctx);
    const user = ctx.sim.state.users.byName(requireString(readJson(ctx), 'user_name'));
    if (!user) throw new OneAccessError('USER_NOT_FOUND');
    return json(tenantUser(ctx, user));
  });

  router.add('PUT', '/api/v2/tenant/users/:user_id/change-password', 'tenant', (ctx) => {
    authenticate(ctx);
    const user = findUser(ctx, ctx.params.user_id);
    const body = readJson(ctx);
    const password = requireString(body, 'password');
    const mustModify = body.pwd_must_modify;
    if (mustModify !== undefined && typeof mustModify !== 'boolean')
      throw new OneAccessError('PARAM_INVALID', ['pwd_must_modify']);
    if (!satisfiesPolicy(password)) throw new OneAccessError('PASSWORD_POLICY');
    // pwd_must_modify = "must change at next login": the next password login says PASSWORD_EXPIRED.
    ctx.sim.state.users.setPassword(user, password, mustModify === true);
    return json({ user_id: user.id });
  });

  router.add('PUT', '/api/v2/tenant/users/:user_id/change-password-verify', 'tenant', (ctx) => {
    authenticate(ctx);
    const user = findUser(ctx, ctx.params.user_id);
    const body = readJson(ctx);
    const password = requireString(body, 'password');
    const oldPassword = requireString(body, 'old_password');
    if (oldPassword !== user.password) throw new OneAccessError('OLD_PASSWORD_INCORRECT');
    if (!satisfiesPolicy(password)) throw new OneAccessError('PASSWORD_POLICY');
    ctx.sim.state.users.setPassword(user, password);
    return json({ user_id: user.id });
  });
}

function authenticate(ctx: RequestContext): void {
  ctx.sim.state.tenantTokens.authenticate(ctx.header('authorization'));
}

function findUser(ctx: RequestContext, id: string): User {
  const user = ctx.sim.state.users.byId(id);
  if (!user) throw new OneAccessError('USER_NOT_FOUND');
  return user;
}

function tenantUser(ctx: RequestContext, user: User): Record<string, unknown> {
  return ctx.sim.state.users.toTenantUser(user, ctx.sim.state.lockout.isLocked(user.user_name));
}
