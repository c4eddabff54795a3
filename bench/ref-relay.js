'use strict';
// R1, the reference relay the gateway is measured against (not a product): node:http, an
// HMAC-signed session cookie, ONE Redis GETEX (read + sliding expiry), an undici request to the
// upstream with a bearer, the body streamed back. It shows what plain Node reaches on this machine.
// Built like the peer harness's R1 (bench/README.md, "Why our bench and the peer harness differ"),
// so that "CPU vs R1" here and there measure against the same work: response headers copied one
// setHeader at a time, the body piped, and a session holding a whole token set (access, id and
// refresh token at the sizes of RS256 JWTs), not a lone short token.
const http = require('node:http');
const crypto = require('node:crypto');
const Redis = require('ioredis');
const { Pool } = require('undici');

const PORT = Number(process.env.PORT);
const SECRET = process.env.R1_SECRET || crypto.randomBytes(32).toString('hex');
const TTL_S = 1800;
const COOKIE = 'sid';
const redis = new Redis(process.env.REDIS_URL);
const pool = new Pool(process.env.UPSTREAM_URL, { connections: 128, keepAliveTimeout: 60_000 });
const HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];
const REQ_DROP = new Set([...HOP, 'host', 'cookie', 'authorization']);
const RES_DROP = new Set(HOP);

const mac = (id) => crypto.createHmac('sha256', SECRET).update(id).digest('base64url');
function unsign(value) {
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return null;
  const id = value.slice(0, dot);
  const a = Buffer.from(value.slice(dot + 1));
  const b = Buffer.from(mac(id));
  return a.length === b.length && crypto.timingSafeEqual(a, b) ? id : null;
}
function cookieOf(header) {
  for (const part of (header || '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}
function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A token set shaped like an OIDC provider's: RS256 JWTs (~700 and ~900 chars) and a refresh token. */
function tokenSet() {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sig = () => crypto.randomBytes(256).toString('base64url');
  const rnd = (n) => crypto.randomBytes(n).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + 3600;
  const iss = 'http://127.0.0.1:7000';
  const header = { alg: 'RS256', kid: 'k'.repeat(43) };
  const at = `${b64({ ...header, typ: 'at+jwt' })}.${b64({ scope: 'openid profile email', client_id: 'r1', iss, sub: 'user-1', aud: 'bench-api', iat, exp, jti: rnd(16) })}.${sig()}`;
  const idt = `${b64(header)}.${b64({ at_hash: rnd(16), auth_time: iat, name: 'Bench User user-1', email: 'user-1@example.test', nonce: rnd(32), iss, sub: 'user-1', aud: 'r1', iat, exp })}.${sig()}`;
  return { access_token: at, id_token: idt, refresh_token: rnd(32), token_type: 'Bearer', expires_at: exp, scope: 'openid profile email' };
}

async function relay(req, res) {
  const raw = cookieOf(req.headers.cookie);
  const id = raw && unsign(raw);
  const record = id && (await redis.getex(`r1:${id}`, 'EX', TTL_S));
  const token = record && JSON.parse(record).tokens?.access_token;
  if (!token) return json(res, 401, { error: 'unauthenticated' });
  const headers = {};
  for (const k in req.headers) if (!REQ_DROP.has(k)) headers[k] = req.headers[k];
  headers.authorization = `Bearer ${token}`;
  const up = await pool.request({ method: req.method, path: req.url, headers, body: null });
  res.statusCode = up.statusCode;
  for (const k in up.headers) if (!RES_DROP.has(k)) res.setHeader(k, up.headers[k]);
  up.body.on('error', (e) => res.destroy(e));
  up.body.pipe(res);
}

http
  .createServer((req, res) => {
    if (req.url === '/login' && req.method === 'POST') {
      const id = crypto.randomBytes(24).toString('base64url');
      redis.set(`r1:${id}`, JSON.stringify({ tokens: tokenSet() }), 'EX', TTL_S).then(
        () => {
          res.setHeader('set-cookie', `${COOKIE}=${encodeURIComponent(`${id}.${mac(id)}`)}; Path=/; HttpOnly`);
          json(res, 200, { ok: true });
        },
        () => json(res, 503, { error: 'store' }),
      );
      return;
    }
    if (!req.url.startsWith('/api/')) return json(res, 404, { error: 'not_found' });
    relay(req, res).catch(() => (res.headersSent ? res.destroy() : json(res, 502, { error: 'bad_gateway' })));
  })
  .listen(PORT, '127.0.0.1');

// A normal exit on SIGTERM, so that `node --cpu-prof` (PROFILE_DIR) writes its profile.
process.once('SIGTERM', () => process.exit(0));
