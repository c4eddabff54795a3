import { toSeconds } from '../oneaccess/oneaccess-answer';
import { parsePublicKey, XSignatureSigner } from '../oneaccess/x-signature.signer';
import { SdkVerificationClient } from '../oneaccess/sdk-verification.client';
import { sdkHeaders } from '../oneaccess/sdk-headers';
import { CheckResult, fail, ok, warn } from './doctor.types';
import { DOCTOR_DEVICE, OneAccessProbe } from './oneaccess-probe';

/**
 * Clock skew limits. The gateway signs with OneAccess's time (it measures the offset), but
 * id_token checks allow 60 s and OneAccess's X-signature window is not documented (the simulator,
 * like common practice, takes 5 minutes).
 */
export const SKEW_WARN_MS = 30_000;
export const SKEW_FAIL_MS = 300_000;
/** Plaintext of an X-signature is ~100 bytes; RSA-OAEP-SHA-256 fits 190 bytes only from 2048 bits. */
const MIN_KEY_BITS = 2048;

/**
 * `oneaccess` (reachable, TLS) and `clock-skew`, both from one `GET /api/v2/sdk/server-date`.
 * Returns whether OneAccess answered at all: the other OneAccess checks need it.
 */
export async function checkReachableAndClock(
  probe: OneAccessProbe,
): Promise<{ results: CheckResult[]; reachable: boolean }> {
  const sdk = new SdkVerificationClient(
    probe.transport,
    probe.endpoint,
    new XSignatureSigner(probe.transport, probe.endpoint),
  );
  const url = probe.endpoint.baseUrl;
  const sent = Date.now();
  try {
    const serverMs = await sdk.getServerTime(DOCTOR_DEVICE);
    const received = Date.now();
    const roundTrip = received - sent;
    const skewMs = serverMs - Math.round((sent + received) / 2);
    return { results: [reachability(probe, roundTrip), clock(skewMs, roundTrip)], reachable: true };
  } catch (err) {
    const reachable = !OneAccessProbe.unreachable(err);
    const why = probe.explain(err);
    return {
      reachable,
      results: reachable
        ? [ok('oneaccess', `${url} answers`), fail('clock-skew', `server-date failed: ${why}`)]
        : [
            fail(
              'oneaccess',
              `cannot reach ${url} (${why}): check ONEACCESS_BASE_URL, DNS, proxy and firewall`,
            ),
            fail('clock-skew', 'not checked: OneAccess unreachable'),
          ],
    };
  }
}

function reachability(probe: OneAccessProbe, roundTripMs: number): CheckResult {
  const url = probe.endpoint.baseUrl;
  if (url.startsWith('https://')) {
    return ok('oneaccess', `${url} answers in ${roundTripMs} ms, TLS certificate verified`);
  }
  const detail = `${url} answers in ${roundTripMs} ms over plain http: the client secret and tokens travel unencrypted; use https://`;
  return probe.production ? fail('oneaccess', detail) : warn('oneaccess', detail);
}

function clock(skewMs: number, roundTripMs: number): CheckResult {
  const size = Math.abs(skewMs);
  const text = `this host's clock is ${size} ms ${skewMs > 0 ? 'behind' : 'ahead of'} OneAccess (±${Math.ceil(roundTripMs / 2)} ms)`;
  if (size > SKEW_FAIL_MS)
    return fail(
      'clock-skew',
      `${text}, beyond the ${SKEW_FAIL_MS / 1000} s X-signature window: fix NTP on this host`,
    );
  if (size > SKEW_WARN_MS)
    return warn(
      'clock-skew',
      `${text}, over ${SKEW_WARN_MS / 1000} s: token expiry checks allow 60 s; fix NTP`,
    );
  return ok('clock-skew', text);
}

/** `public-key`: fetched and readable as the signer reads it, and large enough for X-signature. */
export async function checkPublicKey(probe: OneAccessProbe): Promise<CheckResult> {
  const name = 'public-key';
  let res: { public_key?: unknown };
  try {
    res = await probe.transport.call<{ public_key?: unknown }>({
      method: 'GET',
      path: '/api/v2/sdk/public-key',
      headers: sdkHeaders(probe.endpoint, DOCTOR_DEVICE),
      expect: 'json',
    });
  } catch (err) {
    return fail(
      name,
      `GET /api/v2/sdk/public-key failed: ${probe.explain(err)}; check ONEACCESS_CLIENT_ID`,
    );
  }
  if (typeof res.public_key !== 'string' || res.public_key === '')
    return fail(name, 'the answer has no public_key');
  const format = res.public_key.includes('-----BEGIN')
    ? res.public_key.includes('\\n')
      ? 'PEM with literal \\n'
      : 'PEM'
    : 'bare base64';
  let bits: number | undefined;
  let type: string | undefined;
  try {
    const key = parsePublicKey(res.public_key);
    type = key.asymmetricKeyType;
    bits = key.asymmetricKeyDetails?.modulusLength;
  } catch (err) {
    return fail(
      name,
      `public_key (${format}) is not a readable SPKI key: ${(err as Error).message}`,
    );
  }
  if (type !== 'rsa' || bits === undefined)
    return fail(name, `public_key is ${type ?? 'unknown'}, X-signature needs RSA`);
  if (bits < MIN_KEY_BITS)
    return fail(
      name,
      `RSA ${bits} bits (${format}): too small for an RSA-OAEP-SHA-256 X-signature (needs ${MIN_KEY_BITS})`,
    );
  return ok(name, `RSA ${bits} bits (${format})`);
}

/**
 * `tenant-token`: a tenant token with the client credentials, which proves ClientId, ClientSecret
 * and that the application may call the management APIs (the SSO user look-up needs them).
 */
export async function checkTenantToken(probe: OneAccessProbe): Promise<CheckResult> {
  const name = 'tenant-token';
  try {
    const res = await probe.transport.call<Record<string, unknown>>({
      method: 'POST',
      path: '/api/v2/tenant/token',
      headers: probe.endpoint.tenantId ? { 'X-tenant-id': probe.endpoint.tenantId } : {},
      form: {
        grant_type: 'client_credentials',
        client_id: probe.endpoint.clientId,
        client_secret: probe.endpoint.clientSecret,
      },
      expect: 'json',
    });
    if (typeof res.access_token !== 'string' || res.access_token === '')
      return fail(name, 'the answer has no access_token');
    const lifetime = toSeconds(res.expires_in, 'expires_in');
    return ok(
      name,
      `issued to ONEACCESS_CLIENT_ID${lifetime === undefined ? '' : `, expires_in ${lifetime} s`}`,
    );
  } catch (err) {
    if (!OneAccessProbe.refused(err))
      return fail(name, `POST /api/v2/tenant/token failed: ${probe.explain(err)}`);
    return fail(
      name,
      `the client credentials were refused (${probe.explain(err)}): check ONEACCESS_CLIENT_ID and ONEACCESS_CLIENT_SECRET, and that the application is authorised for the API product (Resources > Enterprise API)`,
    );
  }
}
