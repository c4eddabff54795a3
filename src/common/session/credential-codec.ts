import type { Credential } from './credential';
import type { LoginMethod } from './session.types';

/**
 * The credential record's plaintext, kept small because every signed-in session holds one in
 * Redis: the fields as a JSON array in a fixed order (no key names), then the tokens that are
 * compact JWTs as raw bytes instead of base64url text (a quarter smaller). Decoding is a
 * JSON.parse of a short array plus a base64url encoding per JWT, cheap enough for the relay.
 *
 * Layout: `<JSON array>` `0x00` `<blobs>`; a token slot of the array holding a number names a
 * blob: three segments, each a 2-byte big-endian length and its bytes. JSON text never holds a
 * raw 0x00, so the separator is unambiguous. New fields go at the end of FIELDS only.
 */
type Row = unknown[];
type TokenName = 'session_token' | 'id_token' | 'access_token' | 'refresh_token';

interface Field {
  get: (c: Credential) => unknown;
  set: (c: Credential, v: unknown) => void;
  /** A token: stored as a blob when it is a JWT. */
  token?: boolean;
}

const FIELDS: readonly Field[] = [
  field(
    (c) => c.user.id,
    (c, v) => (c.user.id = v as string),
  ),
  field(
    (c) => c.user.user_name,
    (c, v) => (c.user.user_name = v as string),
  ),
  field(
    (c) => c.user.name,
    (c, v) => (c.user.name = v as string),
  ),
  field(
    (c) => c.user.mobile,
    (c, v) => (c.user.mobile = v as string),
  ),
  field(
    (c) => c.user.email,
    (c, v) => (c.user.email = v as string),
  ),
  field(
    (c) => c.login_method,
    (c, v) => (c.login_method = v as LoginMethod),
  ),
  field(
    (c) => c.fingerprint,
    (c, v) => (c.fingerprint = v as string),
  ),
  field(
    (c) => c.created_at,
    (c, v) => (c.created_at = v as number),
  ),
  field(
    (c) => c.last_seen_at,
    (c, v) => (c.last_seen_at = v as number),
  ),
  field(
    (c) => c.ip,
    (c, v) => (c.ip = v as string),
  ),
  field(
    (c) => c.user_agent,
    (c, v) => (c.user_agent = v as string),
  ),
  ...tokenFields('session_token'),
  ...tokenFields('id_token'),
  ...tokenFields('access_token'),
  token('refresh_token'),
  field(
    (c) => c.pending_until,
    (c, v) => (c.pending_until = v as number),
  ),
];

function field(get: Field['get'], set: Field['set']): Field {
  return { get, set };
}

function token(name: TokenName): Field {
  return { get: (c) => c.tokens[name], set: (c, v) => (c.tokens[name] = v as string), token: true };
}

function tokenFields(name: Exclude<TokenName, 'refresh_token'>): Field[] {
  const expires = `${name}_expires_at` as const;
  const issued = `${name}_issued_at` as const;
  return [
    token(name),
    field(
      (c) => c.tokens[expires],
      (c, v) => (c.tokens[expires] = v as number),
    ),
    field(
      (c) => c.tokens[issued],
      (c, v) => (c.tokens[issued] = v as number),
    ),
  ];
}

const TOKEN_SLOTS = FIELDS.flatMap((f, i) => (f.token ? [i] : []));

/** The three segments of a compact JWT as bytes, or null when base64url would not give it back exactly. */
function jwtBytes(value: string): Buffer[] | null {
  const parts = value.split('.');
  if (parts.length !== 3) return null;
  const bytes = parts.map((p) => Buffer.from(p, 'base64url'));
  if (bytes.some((b, i) => b.length > 0xffff || b.toString('base64url') !== parts[i])) return null;
  return bytes;
}

export function encodeCredential(c: Credential): Buffer {
  const row: Row = FIELDS.map((f) => f.get(c) ?? null);
  const blobs: Buffer[] = [];
  let count = 0;
  for (const i of TOKEN_SLOTS) {
    const segments = typeof row[i] === 'string' ? jwtBytes(row[i]) : null;
    if (!segments) continue;
    row[i] = count++;
    for (const s of segments) blobs.push(Buffer.from([s.length >> 8, s.length & 0xff]), s);
  }
  while (row.length > 0 && row[row.length - 1] === null) row.pop();
  return Buffer.concat([Buffer.from(JSON.stringify(row)), Buffer.from([0]), ...blobs]);
}

/** @throws Error when the bytes are not an encoded credential. */
export function decodeCredential(bytes: Buffer): Credential {
  const end = bytes.indexOf(0);
  if (end < 0) throw new Error('not an encoded credential');
  const row = JSON.parse(bytes.toString('utf8', 0, end)) as Row;
  const jwts: string[] = [];
  for (let at = end + 1; at < bytes.length;) {
    const segments: string[] = [];
    for (let s = 0; s < 3; s++) {
      const length = bytes.readUInt16BE(at);
      segments.push(bytes.toString('base64url', at + 2, at + 2 + length));
      at += 2 + length;
    }
    jwts.push(segments.join('.'));
  }
  const c = { user: {}, tokens: {} } as Credential;
  row.forEach((value, i) => {
    if (value === null || i >= FIELDS.length) return;
    FIELDS[i].set(c, FIELDS[i].token && typeof value === 'number' ? jwts[value] : value);
  });
  return c;
}
