'use strict';
// The API behind the relay in benchmarks: answers {"ok":true,"auth":<bearer present>} in a few
// microseconds, so the figures measure the gateway, not the API; and echoes WebSocket messages.
const http = require('node:http');
const { WebSocketServer } = require('ws');

const TRUE = Buffer.from('{"ok":true,"auth":true}');
const FALSE = Buffer.from('{"ok":true,"auth":false}');
const server = http.createServer((req, res) => {
  const a = req.headers.authorization;
  const body = typeof a === 'string' && a.startsWith('Bearer ') && a.length > 7 ? TRUE : FALSE;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
// The WebSocket scenario's API: every message echoed back as it came.
new WebSocketServer({ server, perMessageDeflate: false }).on('connection', (ws) =>
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })),
);
server.listen(Number(process.env.PORT || 7011), '127.0.0.1');
