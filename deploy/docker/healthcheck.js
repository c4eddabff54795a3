// The image's HEALTHCHECK: GET /healthz where the gateway answers it. With OPS_PORT set the
// probes answer only on the ops listener (404 on PORT), so probe OPS_PORT then, else PORT.
// Exit 0 healthy, 1 not. No dependencies: it runs with the image's node alone.
'use strict';
const ops = process.env.OPS_PORT;
const port = ops || process.env.PORT || '3000';
// A listener bound to one address is reached there; bound to every interface, on loopback.
const bound = (ops ? process.env.OPS_HOST : process.env.HOST) || '';
const host = ['', '0.0.0.0', '::'].includes(bound) ? '127.0.0.1' : bound;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`;
fetch(url, { signal: AbortSignal.timeout(2500) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
