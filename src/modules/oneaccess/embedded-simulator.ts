import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { RunningSimulator } from 'oneaccess-simulator';
import { ListenError, listenFailure } from '../ops/listen';

/**
 * Runs the OneAccess simulator inside the gateway's process when no ONEACCESS_BASE_URL is set
 * (development only; production configuration refuses to start without one). The simulator
 * package is loaded lazily so that a production process never loads it.
 */
@Injectable()
export class EmbeddedSimulator implements OnApplicationShutdown {
  private readonly logger = new Logger('EmbeddedSimulator');
  private running?: RunningSimulator;

  /** Starts it with `redirectUri` registered, as a real OneAccess application would have it. */
  async start(port: number, redirectUri: string): Promise<RunningSimulator> {
    const { startSimulator } = await import('oneaccess-simulator');
    // Control endpoints stay on: the demo page reads the SMS outbox, as no real SMS is sent.
    this.running = await startSimulator({
      port,
      control: true,
      oauthRedirectUris: [redirectUri],
    }).catch((err: NodeJS.ErrnoException) => {
      // A busy port is the operator's to fix: one line naming the variable, and the way out.
      const failure = listenFailure(err, 'SIMULATOR_PORT', port, '127.0.0.1');
      if (!(failure instanceof ListenError)) throw err;
      throw new ListenError(
        `${failure.message} (the embedded OneAccess simulator: set SIMULATOR_PORT to a free port, 0 for any, or ONEACCESS_BASE_URL)`,
      );
    });
    this.logger.warn(
      `ONEACCESS_BASE_URL is not set: using the embedded OneAccess simulator at ${this.running.url} (development only)`,
    );
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.close();
  }
}
