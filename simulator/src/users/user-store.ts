import { formatTimestamp, newUserId } from '../crypto/random';
import type { PasswordState, SeedProfile, SeedUser } from '../seed/seed.types';

/** A user as the simulator keeps it (seed fields plus bookkeeping). */
export interface User {
  id: string;
  user_name: string;
  name: string;
  mobile: string;
  email: string;
  password: string;
  org_id: string;
  password_state: PasswordState;
  mfa: boolean;
  access_denied: boolean;
  profile: SeedProfile;
  createdAt: number;
  updatedAt: number;
  pwdChangedAt: number;
}

const DEFAULT_ORG_ID = '20210621095900001-0A1B-2C3D4E5F6';

/** In-memory users, indexed by id, user_name and mobile. */
export class UserStore {
  private readonly users = new Map<string, User>();

  constructor(seedUsers: SeedUser[], now: number) {
    for (const seed of seedUsers) {
      this.add({
        id: seed.id,
        user_name: seed.user_name,
        name: seed.name,
        mobile: seed.mobile,
        email: seed.email ?? '',
        password: seed.password,
        org_id: seed.org_id ?? DEFAULT_ORG_ID,
        password_state: seed.password_state ?? 'ok',
        mfa: seed.mfa ?? false,
        access_denied: seed.access_denied ?? false,
        profile: structuredClone(seed.profile ?? {}),
        createdAt: now,
        updatedAt: now,
        pwdChangedAt: now,
      });
    }
  }

  byId(id: string): User | undefined {
    return this.users.get(id);
  }

  byName(userName: string): User | undefined {
    for (const user of this.users.values()) if (user.user_name === userName) return user;
    return undefined;
  }

  byMobile(mobile: string): User | undefined {
    for (const user of this.users.values()) if (user.mobile === mobile) return user;
    return undefined;
  }

  /** Creates a user (registration, social register-bind). Callers check uniqueness first. */
  create(fields: {
    mobile: string;
    user_name?: string;
    name?: string;
    email?: string;
    password?: string;
    profile?: SeedProfile;
  }): User {
    const now = Date.now();
    const user: User = {
      id: newUserId(new Date(now)),
      user_name: fields.user_name || fields.mobile,
      name: fields.name || fields.user_name || fields.mobile,
      mobile: fields.mobile,
      email: fields.email ?? '',
      // A user registered without a password cannot log in by password until they set one.
      password: fields.password ?? '',
      org_id: DEFAULT_ORG_ID,
      password_state: 'ok',
      mfa: false,
      access_denied: false,
      profile: fields.profile ?? {},
      createdAt: now,
      updatedAt: now,
      pwdChangedAt: now,
    };
    this.add(user);
    return user;
  }

  setPassword(user: User, password: string, mustModify = false): void {
    user.password = password;
    user.password_state = mustModify ? 'expired' : 'ok';
    user.pwdChangedAt = user.updatedAt = Date.now();
  }

  /** The User object of the tenant APIs (§7.2). */
  toTenantUser(user: User, locked: boolean): Record<string, unknown> {
    return {
      user_id: user.id,
      org_id: user.org_id,
      user_name: user.user_name,
      name: user.name,
      mobile: user.mobile,
      email: user.email,
      pwd_must_modify: user.password_state === 'expired',
      pwd_change_at: formatTimestamp(user.pwdChangedAt),
      created_at: formatTimestamp(user.createdAt),
      updated_at: formatTimestamp(user.updatedAt),
      disabled: false,
      grade: 1,
      locked: String(locked),
      extension: user.profile.extension ?? {},
      user_org_relation_list: [{ org_id: user.org_id, relation_type: '0' }],
    };
  }

  /** The body of `GET /api/v2/sdk/profile` (§5.22): no user id. */
  toProfile(user: User): Record<string, unknown> {
    const p = user.profile;
    return {
      user_name: user.user_name,
      name: user.name,
      head_img: p.head_img ?? '',
      email: user.email,
      mobile: user.mobile,
      attr_gender: p.attr_gender ?? 'unknow',
      attr_birthday: p.attr_birthday ?? '',
      attr_nick_name: p.attr_nick_name ?? '',
      first_name: p.first_name ?? '',
      middle_name: p.middle_name ?? '',
      last_name: p.last_name ?? '',
      extension: p.extension ?? {},
    };
  }

  private add(user: User): void {
    this.users.set(user.id, user);
  }
}
