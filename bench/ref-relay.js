'use strict';
// R1, the reference relay the gateway is measured against (not a product): node:http, an
// HMAC-signed session cookie, ONE Redis GETEX (read + sliding expiry), an undici request to the
// upstream with a bearer, the body streamed back. It shows what plain Node reaches on this machine.
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
const DROP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'cookie', 'authorization']);

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

async function relay(req, res) {
  const raw = cookieOf(req.headers.cookie);
  const id = raw && unsign(raw);
  const record = id && (await redis.getex(`r1:${id}`, 'EX', TTL_S));
  const token = record && JSON.parse(record).tokens.access_token;
  if (!token) return json(res, 401, { error: 'unauthenticated' });
  const headers = {};
  for (const k in req.headers) if (!DROP.has(k)) headers[k] = req.headers[k];
  headers.authorization = `Bearer ${token}`;
  const up = await pool.request({ method: req.method, path: req.url, headers, body: null });
  const out = {};
  for (const k in up.headers) if (!DROP.has(k)) out[k] = up.headers[k];
  res.writeHead(up.statusCode, out);
  up.body.on('error', () => res.destroy());
  up.body.pipe(res);
}

http
  .createServer((req, res) => {
    if (req.url === '/login' && req.method === 'POST') {
      // A token set shaped like a real login's (sizes of a OneAccess id_token and session_token).
      const id = crypto.randomBytes(24).toString('base64url');
      const tokens = { access_token: crypto.randomBytes(600).toString('base64url'), session_token: crypto.randomBytes(24).toString('hex') };
      redis.set(`r1:${id}`, JSON.stringify({ tokens }), 'EX', TTL_S).then(
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
