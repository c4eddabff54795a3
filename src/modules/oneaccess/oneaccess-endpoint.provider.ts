import { FactoryProvider } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { appConfig } from '../../config/app.config';
import { oneAccessConfig } from '../../config/oneaccess.config';
import { EmbeddedSimulator } from './embedded-simulator';
import { ONEACCESS_ENDPOINT, OneAccessEndpoint } from './oneaccess-endpoint';

export const oneAccessEndpointProvider: FactoryProvider<Promise<OneAccessEndpoint>> = {
  provide: ONEACCESS_ENDPOINT,
  inject: [oneAccessConfig.KEY, appConfig.KEY, EmbeddedSimulator],
  useFactory: async (
    cfg: ConfigType<typeof oneAccessConfig>,
    app: ConfigType<typeof appConfig>,
    simulator: EmbeddedSimulator,
  ) => {
    if (cfg.baseUrl) {
      return {
        baseUrl: cfg.baseUrl,
        publicUrl: cfg.publicUrl ?? cfg.baseUrl,
        clientId: cfg.clientId!,
        clientSecret: cfg.clientSecret!,
        tenantId: cfg.tenantId,
        clientAuth: cfg.clientAuth,
        timeoutMs: cfg.timeoutMs,
        embedded: false,
      };
    }
    const sim = await simulator.start(cfg.simulatorPort, app.oauthRedirectUri);
    return {
      baseUrl: sim.url,
      publicUrl: sim.url,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      tenantId: cfg.tenantId,
      clientAuth: cfg.clientAuth,
      timeoutMs: cfg.timeoutMs,
      embedded: true,
    };
  },
};
