import { OneAccessError } from '../errors/sim-errors';
import { assertMobile, readJson, requireString } from '../http/body';
import { empty, json } from '../http/reply';
import type { Router } from '../http/router';
import { SMS_TYPES, type SmsType } from '../sms/sms-service';

/** #3 captcha, #4 captcha/verify, #6 sms/send. */
export function registerCaptchaRoutes(router: Router): void {
  router.add('GET', '/api/v2/sdk/captcha', 'sdk', (ctx) => json(ctx.sim.state.captchas.create()));

  router.add('POST', '/api/v2/sdk/captcha/verify', 'sdk', (ctx) => {
    const body = readJson(ctx);
    // Documented codes first: PARAM.0004 without coordinates, PARAM.0005 without token.
    if (typeof body.point_json !== 'string' || body.point_json === '')
      throw new OneAccessError('COORDINATES_REQUIRED');
    if (typeof body.token !== 'string' || body.token === '')
      throw new OneAccessError('CAPTCHA_ID_TOKEN_REQUIRED');
    const sender = requireString(body, 'sender');
    return json({
      captcha_token: ctx.sim.state.captchas.verify(body.token, body.point_json, sender),
    });
  });

  router.add('POST', '/api/v2/sdk/sms/send', 'sdk', (ctx) => {
    const body = readJson(ctx);
    const mobile = requireString(body, 'mobile');
    const type = requireString(body, 'type');
    const captchaToken = requireString(body, 'captcha_token');
    assertMobile(mobile);
    if (!SMS_TYPES.includes(type as SmsType)) throw new OneAccessError('PARAM_INVALID', ['type']);
    const { captchas, sms } = ctx.sim.state;
    captchas.assertCaptchaToken(captchaToken, mobile);
    sms.assertMaySend(mobile, type as SmsType);
    captchas.consumeCaptchaToken(captchaToken);
    sms.send(mobile, type as SmsType);
    return empty();
  });
}
