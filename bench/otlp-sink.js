'use strict';
// The OTLP/HTTP receiver of the tracing scenarios: takes every export and answers 200 with an
// empty ExportTraceServiceResponse, at once, so the figures measure the gateway's cost of making
// and sending spans, not a collector's. It counts the bytes it was sent (GET /stats).
const http = require('node:http');

let exports_ = 0;
let bytes = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ exports: exports_, bytes }));
  }
  req.on('data', (chunk) => (bytes += chunk.length));
  req.on('end', () => {
    exports_++;
    const json = String(req.headers['content-type']).startsWith('application/json');
    res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
    res.end(json ? '{}' : '');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT || 7012), '127.0.0.1');
