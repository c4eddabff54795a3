import { randomAlnum } from '../crypto/random';
import { ExpiringStore } from '../state/expiring-store';
import type { IssuedTokens } from '../state/issued-tokens';

/** What an sso_ticket stands for: the session it was obtained with. */
export interface SsoTicket {
  userId: string;
  fingerprint: string;
  /** client_id sent with the ticket request (an SSO application), else the caller's. */
  clientId: string;
}

/** One-time, expiring sso_tickets (#24 → #25). */
export class SsoTicketStore {
  private readonly tickets = new ExpiringStore<string, SsoTicket>();

  constructor(
    private readonly lifetimeS: () => number,
    private readonly issued: IssuedTokens,
  ) {}

  issue(ticket: SsoTicket): { expire: number; sso_ticket: string } {
    const lifetimeS = this.lifetimeS();
    const value = this.issued.record('sso_ticket', randomAlnum(32));
    this.tickets.set(value, ticket, lifetimeS * 1000);
    return { expire: Math.ceil(lifetimeS), sso_ticket: value };
  }

  /** Takes a ticket out of the store: any presentation uses it up, even one that fails later. */
  take(value: string): SsoTicket | undefined {
    const ticket = this.tickets.get(value);
    this.tickets.delete(value);
    return ticket;
  }
}
