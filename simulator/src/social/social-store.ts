import { createHash } from 'node:crypto';
import { formatTimestamp, randomAlnum } from '../crypto/random';
import type { SeedData, SocialProvider } from '../seed/seed.types';
import type { UserStore } from '../users/user-store';

/** The identity a provider authorization code stands for. */
export interface SocialIdentity {
  provider: SocialProvider;
  socialUid: string;
  nickname: string;
  headImage: string;
}

interface Binding {
  id: string;
  userId: string;
  identity: SocialIdentity;
  createdAt: number;
  updatedAt: number;
}

/**
 * WeChat/Alipay identities and their bindings to users. Seed codes are reusable (real provider
 * codes are single use; reuse keeps tests simple); any code starting with the unbound prefix is
 * a fresh identity derived from the code.
 */
export class SocialStore {
  private readonly codes = new Map<string, SocialIdentity>();
  private readonly bindings = new Map<string, Binding>();
  /** Every identity seen (seed codes and derived ones), by identity key. */
  private readonly identities = new Map<string, SocialIdentity>();
  private readonly unboundPrefix: string;

  constructor(seed: SeedData, users: UserStore) {
    this.unboundPrefix = seed.unbound_code_prefix ?? 'new-';
    for (const entry of seed.social ?? []) {
      const identity: SocialIdentity = {
        provider: entry.provider,
        socialUid: entry.social_uid,
        nickname: entry.nickname ?? '',
        headImage: entry.head_image ?? '',
      };
      this.codes.set(codeKey(entry.provider, entry.code), this.remember(identity));
      const owner = entry.bound_to === undefined ? undefined : users.byName(entry.bound_to);
      if (owner) this.bind(identity, owner.id);
    }
  }

  /** The identity behind a provider code, or undefined for an unknown code. */
  identityForCode(provider: SocialProvider, code: string): SocialIdentity | undefined {
    const known = this.codes.get(codeKey(provider, code));
    if (known) return known;
    if (!code.startsWith(this.unboundPrefix) || code.length === this.unboundPrefix.length)
      return undefined;
    const digest = createHash('sha256').update(`${provider}:${code}`).digest('hex');
    const socialUid =
      provider === 'alipay'
        ? `2088${String(parseInt(digest.slice(0, 10), 16))
            .padStart(12, '0')
            .slice(-12)}`
        : `oWxSim_${digest.slice(0, 21)}`;
    return this.remember({
      provider,
      socialUid,
      nickname: `${provider} user ${code}`,
      headImage: '',
    });
  }

  /** The key a SOCIAL_BIND state_token is bound to. */
  identityKey(identity: SocialIdentity): string {
    return `${identity.provider}:${identity.socialUid}`;
  }

  identityByKey(key: string): SocialIdentity | undefined {
    return this.identities.get(key);
  }

  /** The user id an identity is bound to, if any. */
  boundUserId(identity: SocialIdentity): string | undefined {
    const key = this.identityKey(identity);
    for (const binding of this.bindings.values()) {
      if (this.identityKey(binding.identity) === key) return binding.userId;
    }
    return undefined;
  }

  bind(identity: SocialIdentity, userId: string): void {
    const now = Date.now();
    // Shaped like the documented example id `001GKgGa15HGZA0aOxIa1bFktp1GKgG4`.
    const id = randomAlnum(32);
    this.bindings.set(id, { id, userId, identity, createdAt: now, updatedAt: now });
  }

  /** Removes a binding of `userId`; false when the id is unknown or belongs to someone else. */
  unbind(bindingId: string, userId: string): boolean {
    const binding = this.bindings.get(bindingId);
    if (!binding || binding.userId !== userId) return false;
    return this.bindings.delete(bindingId);
  }

  private remember(identity: SocialIdentity): SocialIdentity {
    const key = this.identityKey(identity);
    const existing = this.identities.get(key);
    if (existing) return existing;
    this.identities.set(key, identity);
    return identity;
  }

  /** `GET /api/v2/sdk/social` entries, in the documented mixed casing (§5.20). */
  listFor(userId: string): Record<string, unknown>[] {
    return [...this.bindings.values()]
      .filter((binding) => binding.userId === userId)
      .map((binding) => ({
        id: binding.id,
        userId: binding.userId,
        socialType: binding.identity.provider,
        social_uid: binding.identity.socialUid,
        socialNickname: binding.identity.nickname,
        socialHeadImage: binding.identity.headImage,
        socialAccountDetails: JSON.stringify({
          nickname: binding.identity.nickname,
          uid: binding.identity.socialUid,
        }),
        createdAt: formatTimestamp(binding.createdAt),
        updatedAt: formatTimestamp(binding.updatedAt),
      }));
  }
}

function codeKey(provider: SocialProvider, code: string): string {
  return `${provider}:${code}`;
}
