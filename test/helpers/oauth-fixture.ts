/// <reference types="jest" />
import { OAuthClient } from '../../src/modules/oneaccess/oauth.client';
import { OneAccessEndpoint } from '../../src/modules/oneaccess/oneaccess-endpoint';
import { OneAccessTransport } from '../../src/modules/oneaccess/oneaccess-transport';
import {
  MOCK_ENDPOINT,
  MOCK_ORIGIN,
  OneAccessMockFixture,
  SeenRequest,
  useOneAccessMock,
} from './oneaccess-mock';

/** What OAuthClient's unit tests (`oauth.client.spec.ts`, `oauth-client-auth.spec.ts`) share. */
export const ORIGIN = MOCK_ORIGIN;
export const ENDPOINT: OneAccessEndpoint = { ...MOCK_ENDPOINT, clientSecret: 's&cr=t+/' };
export const CALLBACK = 'https://portal.example.com/auth/oauth/callback';
export const TOKEN_PATH = '/api/v1/oauth2/token';
export const USERINFO_PATH = '/api/v1/oauth2/userinfo';
export const FORM_HEADERS = {
  accept: 'application/json',
  'content-type': 'application/x-www-form-urlencoded',
};

export interface OAuthMockFixture extends OneAccessMockFixture {
  build(endpoint?: OneAccessEndpoint): OAuthClient;
}

export function useOAuthMock(): OAuthMockFixture {
  const fx = useOneAccessMock(ORIGIN) as OAuthMockFixture;
  fx.build = (endpoint = ENDPOINT) =>
    new OAuthClient(new OneAccessTransport(fx.mock.agent, endpoint), endpoint);
  return fx;
}

/** The form fields in the order sent; duplicates would show up as extra entries. */
export function formOf(req: SeenRequest): [string, string][] {
  return [...new URLSearchParams(req.body).entries()];
}
