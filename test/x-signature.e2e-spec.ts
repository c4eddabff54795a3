import { generateKeyPairSync } from 'node:crypto';
import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import { Agent } from 'undici';
import { UpstreamError } from '../src/common/errors/app-error';
import { DeviceContext } from '../src/modules/oneaccess/device-context';
import { OneAccessEndpoint } from '../src/modules/oneaccess/oneaccess-endpoint';
import { OneAccessTransport } from '../src/modules/oneaccess/oneaccess-transport';
import { SdkAccountClient } from '../src/modules/oneaccess/sdk-account.client';
import { SdkLoginClient } from '../src/modules/oneaccess/sdk-login.client';
import { sdkHeaders } from '../src/modules/oneaccess/sdk-headers';
import {
  buildSignature,
  parsePublicKey,
  XSignatureSigner,
} from '../src/modules/oneaccess/x-signature.signer';

const device: DeviceContext = {
  ip: '127.0.0.1',
  agent: 'x-signature test',
  osVersion: 'Linux',
  fingerprint: 'fp-signature-test',
  lang: 'en',
};

/** The gateway's signer and SDK client against the simulator over real HTTP (issue 3). */
describe("the gateway's X-signature against the simulator", () => {
  let sim: RunningSimulator;
  let agent: Agent;
  let endpoint: OneAccessEndpoint;
  let transport: OneAccessTransport;
  let sdk: SdkAccountClient;
  let sessionToken: string;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    agent = new Agent();
    endpoint = {
      baseUrl: sim.url,
      publicUrl: sim.url,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      timeoutMs: 5000,
      embedded: false,
    };
    transport = new OneAccessTransport(agent, endpoint);
    const signer = new XSignatureSigner(transport, endpoint);
    sdk = new SdkAccountClient(transport, endpoint, signer);
    const login = await new SdkLoginClient(transport, endpoint, signer).loginWithPassword(
      device,
      'zhangsan',
      'Passw0rd!2024',
    );
    if (login.status !== 'SUCCESS') throw new Error(`unexpected ${login.status}`);
    sessionToken = login.session_token;
  });
  afterAll(async () => {
    await agent.close();
    await sim.close();
  });

  /** GET /api/v2/sdk/profile with a hand-made X-signature. */
  async function profileWith(signature: string) {
    return transport.call({
      method: 'GET',
      path: '/api/v2/sdk/profile',
      headers: { ...sdkHeaders(endpoint, device), 'X-signature': signature },
      expect: 'json',
    });
  }

  async function refusal(p: Promise<unknown>): Promise<UpstreamError> {
    try {
      await p;
    } catch (err) {
      return err as UpstreamError;
    }
    throw new Error('expected a refusal');
  }

  it("should be accepted when made by the gateway's signer", async () => {
    const profile = await sdk.getProfile(device, sessionToken);
    expect(profile.user_name).toBe('zhangsan');
    // several signed calls in a row: fresh nonce each time, never a replay
    for (let i = 0; i < 5; i++)
      expect((await sdk.listSocialAccounts(device, sessionToken)).length).toBeGreaterThan(0);
  });

  it('should be refused with PARAM.0030 when encrypted with another key', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const err = await refusal(profileWith(buildSignature(sessionToken, Date.now(), publicKey)));
    expect(err.upstreamCode).toBe('PARAM.0030');
  });

  it('should be refused with PARAM.0030 when its timestamp is stale', async () => {
    const { public_key } = await transport.call<{ public_key: string }>({
      method: 'GET',
      path: '/api/v2/sdk/public-key',
      headers: sdkHeaders(endpoint, device),
      expect: 'json',
    });
    const key = parsePublicKey(public_key);
    const fresh = await profileWith(buildSignature(sessionToken, Date.now(), key));
    expect(fresh).toMatchObject({ user_name: 'zhangsan' });
    const err = await refusal(
      profileWith(buildSignature(sessionToken, Date.now() - 10 * 60_000, key)),
    );
    expect(err.upstreamCode).toBe('PARAM.0030');
  });

  it('should be refused for a session_token OneAccess does not know', async () => {
    const err = await refusal(sdk.getProfile(device, 'not-a-session-token-0000000000'));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.upstreamCode).toBe('PARAM.0030');
  });
});
