import { afterPassword, afterPasswordStep, directLogin } from '../auth/login-flow';
import { requireStateToken, stateUser } from '../auth/sdk-guards';
import { OneAccessError } from '../errors/sim-errors';
import {
  assertMobile,
  optionalString,
  readJson,
  requireString,
  type JsonObject,
} from '../http/body';
import { empty, json, type Reply } from '../http/reply';
import type { RequestContext } from '../http/request-context';
import type { Router } from '../http/router';
import type { SocialProvider } from '../seed/seed.types';
import type { SmsType } from '../sms/sms-service';
import { satisfiesPolicy } from '../users/password-policy';
import { readProfile } from '../users/read-profile';
import type { User } from '../users/user-store';

/**
 * Login and the follow-up steps of the status machine: #7–10 logins, #12–13 MFA, #14 register,
 * #15–17 passwords, #18–19 social binding. Rule for every call: validate everything first, then
 * consume codes and state_tokens, so a rejected call never burns them.
 */
export function registerLoginRoutes(router: Router): void {
  router.add('POST', '/api/v2/sdk/login', 'sdk', (ctx) => {
    const body = readJson(ctx);
    const userName = requireString(body, 'user_name');
    const password = requireString(body, 'password');
    const { users, lockout } = ctx.sim.state;
    lockout.assertNotLocked(userName);
    const user = users.byName(userName);
    if (!user || !user.password || user.password !== password)
      throw lockout.recordFailure(userName);
    lockout.recordSuccess(userName);
    return json(afterPassword(ctx, user));
  });

  router.add('POST', '/api/v2/sdk/login/mobile-verify-code', 'sdk', (ctx) => {
    const { mobile, code } = mobileAndCode(readJson(ctx));
    const { sms, users } = ctx.sim.state;
    const type = sms.check(mobile, ['LOGIN_SMS'], code);
    const user = users.byMobile(mobile);
    if (!user) throw new OneAccessError('USER_NOT_FOUND');
    sms.consume(mobile, type);
    return json(directLogin(ctx, user));
  });

  router.add('POST', '/api/v2/sdk/login/wechat', 'sdk', (ctx) => socialLogin(ctx, 'weixin'));
  // The Alipay page's URI says v3, its request example v2 (§5.10): serve both.
  router.add('POST', '/api/v3/sdk/login/alipay', 'sdk', (ctx) => socialLogin(ctx, 'alipay'));
  router.add('POST', '/api/v2/sdk/login/alipay', 'sdk', (ctx) => socialLogin(ctx, 'alipay'));

  router.add('GET', '/api/v2/sdk/mobile-by-token', 'sdk', (ctx) => {
    const { binding } = requireStateToken(ctx, ['MFA_AUTH']);
    // The full number, as in the documented example; whether the real service masks it is unknown.
    return json({ mobile: stateUser(ctx, binding).mobile });
  });

  router.add('POST', '/api/v2/sdk/mfa/sms', 'sdk', (ctx) => {
    const { token, binding } = requireStateToken(ctx, ['MFA_AUTH']);
    const user = stateUser(ctx, binding);
    const { mobile, code } = mobileAndCode(readJson(ctx));
    if (mobile !== user.mobile) throw new OneAccessError('PARAM_INVALID', ['mobile']);
    const { sms, stateTokens } = ctx.sim.state;
    const type = sms.check(mobile, ['OTP_REST_SMS'], code);
    sms.consume(mobile, type);
    stateTokens.consume(token);
    return json(directLogin(ctx, user));
  });

  router.add('POST', '/api/v2/sdk/register/mobile-verify-code', 'sdk', (ctx) => {
    const body = readJson(ctx);
    const { mobile, code } = mobileAndCode(body);
    const userName = optionalString(body, 'user_name');
    const password = optionalString(body, 'pwd');
    const profile = readProfile(body);
    const { sms, users } = ctx.sim.state;
    const type = sms.check(mobile, ['REGISTER_SMS'], code);
    if (users.byMobile(mobile)) throw new OneAccessError('MOBILE_TAKEN');
    if (users.byName(userName ?? mobile)) throw new OneAccessError('USER_NAME_TAKEN');
    if (password !== undefined && !satisfiesPolicy(password))
      throw new OneAccessError('PASSWORD_POLICY');
    sms.consume(mobile, type);
    const user = users.create({
      mobile,
      user_name: userName,
      name: optionalString(body, 'name'),
      email: optionalString(body, 'email'),
      password,
      profile,
    });
    return json(directLogin(ctx, user));
  });

  router.add('GET', '/api/v2/sdk/pwd/skip-update', 'sdk', (ctx) => {
    // Only after PASSWORD_WARN: an expired password cannot be skipped.
    const { token, binding } = requireStateToken(ctx, ['PASSWORD_WARN']);
    const user = stateUser(ctx, binding);
    ctx.sim.state.stateTokens.consume(token);
    return json(afterPasswordStep(ctx, user));
  });

  router.add('POST', '/api/v2/sdk/pwd/update', 'sdk', (ctx) => {
    const { token, binding } = requireStateToken(ctx, ['PASSWORD_WARN', 'PASSWORD_EXPIRED']);
    const user = stateUser(ctx, binding);
    const body = readJson(ctx);
    const oldPassword = requireString(body, 'old_password');
    const newPassword = requireString(body, 'new_password');
    if (oldPassword !== user.password) throw new OneAccessError('OLD_PASSWORD_INCORRECT');
    if (newPassword === oldPassword || !satisfiesPolicy(newPassword))
      throw new OneAccessError('PASSWORD_POLICY');
    ctx.sim.state.users.setPassword(user, newPassword);
    ctx.sim.state.stateTokens.consume(token);
    return json(afterPasswordStep(ctx, user));
  });

  router.add('POST', '/api/v2/sdk/pwd/update-by-mobile', 'sdk', (ctx) => {
    const body = readJson(ctx);
    const { mobile, code } = mobileAndCode(body);
    const password = requireString(body, 'password');
    const { sms, users, lockout } = ctx.sim.state;
    const type = sms.check(mobile, ['FORGET_PWD_SMS'], code);
    const user = users.byMobile(mobile);
    if (!user) throw new OneAccessError('USER_NOT_FOUND');
    if (!satisfiesPolicy(password)) throw new OneAccessError('PASSWORD_POLICY');
    sms.consume(mobile, type);
    users.setPassword(user, password);
    // A reset proves ownership of the account, so it also lifts a lockout.
    lockout.recordSuccess(user.user_name);
    return empty();
  });

  router.add('POST', '/api/v2/sdk/social/bind', 'sdk', (ctx) =>
    socialBind(ctx, ['BIND_MOBILE_SMS'], false),
  );
  router.add('POST', '/api/v2/sdk/social/register-bind', 'sdk', (ctx) =>
    socialBind(ctx, ['BIND_MOBILE_SMS', 'REGISTER_SMS'], true),
  );
}

function socialLogin(ctx: RequestContext, provider: SocialProvider): Reply {
  const code = requireString(readJson(ctx), 'code');
  const { social, users, stateTokens } = ctx.sim.state;
  const identity = social.identityForCode(provider, code);
  if (!identity) throw new OneAccessError('PARAM_INVALID', ['code']);
  const userId = social.boundUserId(identity);
  const user = userId === undefined ? undefined : users.byId(userId);
  if (user) return json(directLogin(ctx, user));
  const state_token = stateTokens.issue({
    subject: social.identityKey(identity),
    step: 'SOCIAL_BIND',
    clientId: ctx.sim.config.clientId,
  });
  return json({ status: 'SOCIAL_BIND', state_token });
}

/**
 * #18 binds the pending social identity to the existing user owning `mobile`; #19 also creates
 * that user when the mobile is new.
 */
function socialBind(ctx: RequestContext, types: readonly SmsType[], mayRegister: boolean): Reply {
  const { token, binding } = requireStateToken(ctx, ['SOCIAL_BIND']);
  const { social, sms, users, stateTokens } = ctx.sim.state;
  const identity = social.identityByKey(binding.subject);
  if (!identity) throw new OneAccessError('STATE_TOKEN_INVALID');
  const { mobile, code } = mobileAndCode(readJson(ctx));
  const type = sms.check(mobile, types, code);
  let user: User | undefined = users.byMobile(mobile);
  if (!user && !mayRegister) throw new OneAccessError('USER_NOT_FOUND');
  sms.consume(mobile, type);
  stateTokens.consume(token);
  user ??= users.create({ mobile, name: identity.nickname || undefined });
  if (social.boundUserId(identity) === undefined) social.bind(identity, user.id);
  return json(directLogin(ctx, user));
}

function mobileAndCode(body: JsonObject): { mobile: string; code: string } {
  const mobile = requireString(body, 'mobile');
  const code = requireString(body, 'verify_code');
  assertMobile(mobile);
  return { mobile, code };
}
