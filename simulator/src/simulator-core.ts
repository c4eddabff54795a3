import type { ResolvedOptions } from './config/options';
import { newIdTokenKey, type SimulatorKeys } from './crypto/rsa-keys';
import type { SeedData } from './seed/seed.types';
import { Journal } from './state/journal';
import { SimulatorState } from './state/simulator-state';

/** Failure modes of `POST /__sim/failure`. */
export type FailureMode = 'none' | 'down' | 'slow' | 'error500' | 'refuse_refresh';
export const FAILURE_MODES: readonly FailureMode[] = [
  'none',
  'down',
  'slow',
  'error500',
  'refuse_refresh',
];

export interface FailureSetting {
  mode: FailureMode;
  delayMs: number;
  /** Path prefixes the mode applies to; undefined = every non-control path. */
  paths?: string[];
}

/**
 * One running simulator: its configuration (mutable at run time), its state, keys, journal and
 * failure mode. Route handlers reach everything through `ctx.sim`.
 */
export class SimulatorCore {
  readonly config: ResolvedOptions;
  state: SimulatorState;
  failure: FailureSetting = { mode: 'none', delayMs: 0 };
  readonly journal = new Journal();

  constructor(
    private readonly initial: ResolvedOptions,
    private readonly seed: SeedData,
    private readonly initialKeys: SimulatorKeys,
    /** Base URL, also the issuer of every id_token. */
    readonly baseUrl: string,
  ) {
    this.config = copyOptions(initial);
    this.keys = initialKeys;
    this.state = new SimulatorState(structuredClone(seed), this.config, this.idTokenKey, baseUrl);
  }

  /** The current keys; the id_token key changes on {@link rotateIdTokenKey}. */
  keys: SimulatorKeys;

  /** Replaces the id_token signing key with a new one (new `kid`); the JWKS serves only it. */
  async rotateIdTokenKey(): Promise<string> {
    this.keys = { ...this.keys, idToken: await newIdTokenKey() };
    return this.keys.idToken.kid;
  }

  private readonly idTokenKey = (): SimulatorKeys['idToken'] => this.keys.idToken;

  /** Back to the state of start-up: seed data, start options, no failure mode, empty journal. */
  reset(): void {
    Object.assign(this.config, copyOptions(this.initial));
    this.keys = this.initialKeys;
    this.state = new SimulatorState(
      structuredClone(this.seed),
      this.config,
      this.idTokenKey,
      this.baseUrl,
    );
    this.failure = { mode: 'none', delayMs: 0 };
    this.journal.clear();
  }

  /** Whether the current failure mode covers `path`. */
  failureApplies(path: string): boolean {
    if (this.failure.mode === 'none') return false;
    return !this.failure.paths || this.failure.paths.some((prefix) => path.startsWith(prefix));
  }

  /** Whether refresh calls on `path` must be refused (failure mode `refuse_refresh`). */
  refusesRefresh(path: string): boolean {
    return this.failure.mode === 'refuse_refresh' && this.failureApplies(path);
  }
}

function copyOptions(options: ResolvedOptions): ResolvedOptions {
  return {
    ...options,
    lifetimes: { ...options.lifetimes },
    oauthRedirectUris: [...options.oauthRedirectUris],
  };
}
