import { client, ApiError } from './api';
import type { SessionView } from '@oneaccess-bff/client';

type Listener = (view: SessionView, previous: SessionView | null) => void;

/**
 * The session view as the gateway last gave it (section 3). Login-type answers are pushed in with
 * `set`; a poll of `GET /auth/session?slide=false` keeps it live without extending the idle timer.
 */
export class SessionStore {
  view: SessionView | null = null;
  updatedAt: Date | null = null;
  error: ApiError | null = null;
  private readonly listeners = new Set<Listener>();
  private timer: number | undefined;

  subscribe(listener: Listener): void {
    this.listeners.add(listener);
  }

  set(view: SessionView): void {
    const previous = this.view;
    this.view = view;
    this.updatedAt = new Date();
    this.error = null;
    for (const listener of this.listeners) listener(view, previous);
  }

  /** Reads the session; `slide` (a person's action, not a poll) extends the idle timer. */
  async refresh(slide = false): Promise<void> {
    try {
      this.set(await client.session({ slide }));
    } catch (err) {
      this.error = err instanceof ApiError ? err : new ApiError(0, 'INTERNAL', String(err));
      if (this.view) for (const listener of this.listeners) listener(this.view, this.view);
    }
  }

  /** Polls every `intervalMs` while the tab is visible; at once when it becomes visible again. */
  poll(intervalMs: number): void {
    const tick = async () => {
      if (document.visibilityState === 'visible') await this.refresh();
      this.timer = window.setTimeout(() => void tick(), intervalMs);
    };
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.refresh();
    });
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void tick(), intervalMs);
  }
}
