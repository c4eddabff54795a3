import { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { appConfig } from '../../config/app.config';
import { LOG_DESTINATION, LogDestinationModule } from './log-destination.module';
import { loggerOptions } from './logger.options';

/**
 * The gateway's logging: nestjs-pino with {@link loggerOptions} on the shared log destination
 * (where the RequestLineWriter writes too). One definition for AppModule and the logging specs.
 */
export function appLoggerModule() {
  return LoggerModule.forRootAsync({
    imports: [LogDestinationModule],
    inject: [appConfig.KEY, LOG_DESTINATION],
    useFactory: (cfg: ConfigType<typeof appConfig>, destination: DestinationStream) =>
      loggerOptions(cfg, destination),
  });
}
