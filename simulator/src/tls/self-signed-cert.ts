import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate and its key, as PEM text and as the files they were written to. */
export interface SelfSignedCertificate {
  cert: string;
  key: string;
  /** Trust it as a CA: `NODE_EXTRA_CA_CERTS=<certPath>` for the gateway and its doctor. */
  certPath: string;
  keyPath: string;
}

/**
 * Writes a new self-signed certificate for 127.0.0.1, ::1 and localhost (`cert.pem`, `key.pem`
 * in `dir`), with `openssl` (Node cannot make an X.509 certificate by itself). It is trusted
 * only where it is configured as a CA, which is the point: the gateway must be told, as it must
 * for a company CA. The simulator serves https with it (`tls` option, `SIM_TLS=1`); tests use it
 * for any TLS peer.
 */
export function makeCertificate(dir: string, days = 30): SelfSignedCertificate {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      String(days),
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return {
    cert: readFileSync(certPath, 'utf8'),
    key: readFileSync(keyPath, 'utf8'),
    certPath,
    keyPath,
  };
}
