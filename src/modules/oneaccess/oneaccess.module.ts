import { Module } from '@nestjs/common';
import { EmbeddedSimulator } from './embedded-simulator';
import { IdTokenVerifier } from './id-token.verifier';
import { ONEACCESS_ENDPOINT } from './oneaccess-endpoint';
import { oneAccessEndpointProvider } from './oneaccess-endpoint.provider';
import { OAuthClient } from './oauth.client';
import { OneAccessTransport } from './oneaccess-transport';
import { SdkAccountClient } from './sdk-account.client';
import { SdkLoginClient } from './sdk-login.client';
import { SdkVerificationClient } from './sdk-verification.client';
import { SsoClient } from './sso.client';
import { XSignatureSigner } from './x-signature.signer';

/**
 * Typed access to OneAccess: one client per API family (the SDK, split by flow into verification, login and
 * account; tenant and SSO; OAuth), the
 * X-signature signer and the transport they share. Feature modules import this module and
 * inject the clients; none of them sees undici.
 */
@Module({
  providers: [
    EmbeddedSimulator,
    oneAccessEndpointProvider,
    OneAccessTransport,
    XSignatureSigner,
    SdkVerificationClient,
    SdkLoginClient,
    SdkAccountClient,
    SsoClient,
    OAuthClient,
    IdTokenVerifier,
  ],
  exports: [
    ONEACCESS_ENDPOINT,
    XSignatureSigner,
    SdkVerificationClient,
    SdkLoginClient,
    SdkAccountClient,
    SsoClient,
    OAuthClient,
    IdTokenVerifier,
  ],
})
export class OneAccessModule {}
