import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The PEM file a variable names (a CA, a certificate, a key), read at start from the working
 * directory. A file that cannot be read or holds no PEM block is a problem naming the variable
 * and the path, never the content (a key is a secret): caught here, rather than as a TLS failure
 * on the first connection.
 * @returns the file's bytes, or undefined after pushing the problem.
 */
export function readPemFile(
  variable: string,
  path: string,
  problems: string[],
): Buffer | undefined {
  let pem: Buffer;
  try {
    pem = readFileSync(resolve(process.cwd(), path));
  } catch (err) {
    problems.push(
      `${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
    return undefined;
  }
  if (!pem.includes('-----BEGIN ')) {
    problems.push(`${variable}: ${path} is not a PEM file (no -----BEGIN line)`);
    return undefined;
  }
  return pem;
}
