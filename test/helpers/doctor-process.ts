import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The built doctor, as production runs it (`npx nest build` or `npm run build` makes it). */
export const DOCTOR = join(__dirname, '..', '..', 'dist', 'doctor.js');

export interface DoctorRun {
  code: number | null;
  output: string;
  /** Check name -> [status, detail]. */
  lines: Map<string, [string, string]>;
}

/** Runs `node dist/doctor.js` with exactly `env` (plus PATH); bounded, never left running. */
export function runDoctor(env: Record<string, string>): Promise<DoctorRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DOCTOR], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const lines = new Map<string, [string, string]>();
      for (const line of output.split('\n')) {
        const m = /^(\S+)\s+(ok|warn|fail)\s+(.*)$/.exec(line);
        if (m) lines.set(m[1], [m[2], m[3]]);
      }
      resolve({ code, output, lines });
    });
  });
}
