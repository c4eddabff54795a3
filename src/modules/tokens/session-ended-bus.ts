import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { REDIS, RedisClient } from '../../common/redis/redis.module';
import { redisConfig } from '../../config/redis.config';
import { SessionEnded, SessionEndReason, SessionEvents } from './session-events';

const REASONS: ReadonlySet<SessionEndReason> = new Set<SessionEndReason>([
  'logout',
  'replaced',
  'ended_by_user',
  'password_changed',
  'revoked',
  'evicted',
  'idle_timeout',
  'absolute_timeout',
  'refresh_refused',
]);

/** What goes over the channel: the event, and which process sent it (it ignores its own). */
interface Published extends Omit<SessionEnded, 'origin'> {
  from: string;
}

/**
 * Carries session-ended events between gateway instances (and cluster workers) over Redis
 * pub/sub (docs/architecture.md, "Session-ended events"): every local ending is PUBLISHed on
 * `<REDIS_KEY_PREFIX>session-ended`, and every message from another process is emitted again
 * here with `origin: 'remote'`. The subscriber is a connection of its own: a connection in
 * subscriber mode can issue no other command, and the shared client auto-pipelines, which must
 * not batch SUBSCRIBE with the hot path's GETs. On Redis Cluster a plain PUBLISH reaches the
 * subscribers of every node, so the subscriber may sit on any node. Pub/sub delivers at most once:
 * a message sent while the subscriber was disconnected is lost, so whoever keeps per-session state
 * re-checks it against the store on {@link onResubscribed}.
 */
@Injectable()
export class SessionEndedBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SessionEndedBus');
  private readonly from = randomUUID();
  private readonly channel: string;
  private readonly resubscribed = new Set<() => void>();
  private subscriber: RedisClient | null = null;
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly events: SessionEvents,
    @Inject(redisConfig.KEY) cfg: ConfigType<typeof redisConfig>,
    @Optional() @Inject(REDIS) private readonly redis: RedisClient | null,
  ) {
    this.channel = `${cfg.keyPrefix}session-ended`;
  }

  /** Called after the subscriber came back from a disconnection (messages may have been lost). */
  onResubscribed(listener: () => void): () => void {
    this.resubscribed.add(listener);
    return () => {
      this.resubscribed.delete(listener);
    };
  }

  onModuleInit(): void {
    const redis = this.redis;
    if (!redis) return;
    this.unlisten = this.events.onEnded((event) => {
      if (event.origin !== 'local') return;
      const message: Published = {
        sid: event.sid,
        reason: event.reason,
        userId: event.userId,
        at: event.at,
        from: this.from,
      };
      redis.publish(this.channel, JSON.stringify(message)).catch((err: unknown) => {
        this.logger.warn({ err, event: 'session_ended_publish_failed' });
      });
    });
    const subscriber =
      redis instanceof Cluster
        ? redis.duplicate()
        : redis.duplicate({ enableAutoPipelining: false, commandTimeout: undefined });
    this.subscriber = subscriber;
    // Logged by the shared client already; unheard, ioredis prints every reconnect failure.
    subscriber.on('error', () => undefined);
    let readyBefore = false;
    subscriber.on('ready', () => {
      // ioredis subscribes again by itself after a reconnect; what was published meanwhile is lost.
      if (readyBefore) for (const listener of this.resubscribed) listener();
      readyBefore = true;
    });
    subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text);
    });
    subscriber.subscribe(this.channel).catch((err: unknown) => {
      this.logger.warn({ err, event: 'session_ended_subscribe_failed' });
    });
  }

  onApplicationShutdown(): void {
    this.unlisten?.();
    this.subscriber?.disconnect();
  }

  private receive(text: string): void {
    let message: Published;
    try {
      message = JSON.parse(text) as Published;
    } catch {
      return;
    }
    if (
      message.from === this.from ||
      typeof message.sid !== 'string' ||
      !REASONS.has(message.reason) ||
      typeof message.at !== 'number'
    )
      return;
    this.events.emitEnded({
      sid: message.sid,
      reason: message.reason,
      userId: typeof message.userId === 'string' ? message.userId : undefined,
      at: message.at,
      origin: 'remote',
    });
  }
}
