import { Injectable } from '@nestjs/common';
import { DeviceContext } from './device-context';
import { Profile, ProfileUpdate, SocialAccount } from './oneaccess.types';
import { badResponse, isObject, isString } from './oneaccess-answer';
import { pick, SDK, SdkBase } from './sdk-base';

/**
 * The SDK's calls for a signed-in user (docs/oneaccess.md section 5), each signed with
 * X-signature for the user's `session_token`: profile, linked social accounts, the id_token
 * refresh and the OneAccess logout.
 *
 * Every method may also throw the common codes listed on {@link SdkBase}.
 */
@Injectable()
export class SdkAccountClient extends SdkBase {
  /**
   * The user's linked social accounts (`GET /api/v2/sdk/social`, X-signature). A missing `social`
   * list is read as none.
   * @throws UpstreamError UPSTREAM_REJECTED (PARAM.0030 after the signer's one retry); UPSTREAM_BAD_RESPONSE; the common codes.
   */
  async listSocialAccounts(device: DeviceContext, sessionToken: string): Promise<SocialAccount[]> {
    const res = await this.signed<{ social?: unknown }>(device, sessionToken, {
      method: 'GET',
      path: `${SDK}/social`,
      expect: 'json',
    });
    if (res.social === undefined || res.social === null) return [];
    if (!Array.isArray(res.social) || !res.social.every((s) => isObject(s) && isString(s.id))) {
      throw badResponse('social list malformed');
    }
    return res.social as SocialAccount[];
  }

  /**
   * Unlinks one social account by its `id` from {@link listSocialAccounts}
   * (`POST /api/v2/sdk/social/unbind-account`, X-signature).
   * @throws UpstreamError UPSTREAM_REJECTED; the common codes.
   */
  async unbindSocialAccount(
    device: DeviceContext,
    sessionToken: string,
    id: string,
  ): Promise<void> {
    await this.signed(device, sessionToken, {
      method: 'POST',
      path: `${SDK}/social/unbind-account`,
      json: { id },
      expect: 'none',
    });
  }

  /**
   * The user's own profile (`GET /api/v2/sdk/profile`, X-signature). Only the documented profile
   * fields are kept: an older page also lists `pwd` and `verify_code`, which must never travel on.
   * @throws UpstreamError UPSTREAM_REJECTED; UPSTREAM_BAD_RESPONSE; the common codes.
   */
  async getProfile(device: DeviceContext, sessionToken: string): Promise<Profile> {
    const res = await this.signed<unknown>(device, sessionToken, {
      method: 'GET',
      path: `${SDK}/profile`,
      expect: 'json',
    });
    if (!isObject(res)) throw badResponse('profile is not an object');
    return pick(res, PROFILE_FIELDS) as Profile;
  }

  /**
   * Updates the profile (`POST /api/v2/sdk/profile/update`, X-signature). The answer's body is not
   * documented and is ignored: read the profile again for the result.
   * @throws UpstreamError UPSTREAM_REJECTED; the common codes.
   */
  async updateProfile(
    device: DeviceContext,
    sessionToken: string,
    fields: ProfileUpdate,
  ): Promise<void> {
    await this.signed(device, sessionToken, {
      method: 'POST',
      path: `${SDK}/profile/update`,
      json: pick(fields, PROFILE_UPDATE_FIELDS),
      expect: 'none',
    });
  }

  /**
   * Ends the OneAccess session of `sessionToken` (`GET /api/v2/sdk/logout`, X-signature).
   * @throws UpstreamError UPSTREAM_REJECTED; the common codes.
   */
  async logout(device: DeviceContext, sessionToken: string): Promise<void> {
    await this.signed(device, sessionToken, {
      method: 'GET',
      path: `${SDK}/logout`,
      expect: 'none',
    });
  }

  /**
   * A fresh id_token for `sessionToken` (`POST /api/v2/sdk/session-token/refresh-id-token`,
   * X-signature, no body).
   * @throws UpstreamError UPSTREAM_REJECTED when the session is no longer valid; UPSTREAM_BAD_RESPONSE; the common codes.
   */
  async refreshIdToken(device: DeviceContext, sessionToken: string): Promise<string> {
    const res = await this.signed<{ id_token?: unknown }>(device, sessionToken, {
      method: 'POST',
      path: `${SDK}/session-token/refresh-id-token`,
      expect: 'json',
    });
    if (!isString(res.id_token)) throw badResponse('refresh-id-token without id_token');
    return res.id_token;
  }
}

const PROFILE_UPDATE_FIELDS = [
  'user_name',
  'name',
  'head_img',
  'attr_gender',
  'attr_birthday',
  'attr_nick_name',
  'first_name',
  'middle_name',
  'last_name',
  'extension',
] as const satisfies readonly (keyof ProfileUpdate)[];

const PROFILE_FIELDS = [
  ...PROFILE_UPDATE_FIELDS,
  'email',
  'mobile',
] as const satisfies readonly (keyof Profile)[];
