import { Logger } from '@nestjs/common';
import { doctorEnvironment } from './config/doctor.config';
import { secretValuesOf } from './config/secrets';
import { exitCodeOf, formatReport, mask } from './modules/doctor/doctor-report';
import { runDoctor } from './modules/doctor/run-doctor';

/**
 * `npm run doctor` (production: `node dist/doctor.js`): checks the configuration in the
 * environment against the live OneAccess and Redis without serving. One line per check; exit 0
 * only when nothing failed. No secret is ever printed: every line is masked.
 */
async function main(): Promise<void> {
  // The transport's per-call debug lines are not the report.
  Logger.overrideLogger(false);
  const env = doctorEnvironment();
  const secrets = secretValuesOf(env);
  try {
    const results = await runDoctor(env);
    process.stdout.write(`${formatReport(results, secrets)}\n`);
    process.exit(exitCodeOf(results));
  } catch (err) {
    process.stderr.write(`doctor failed: ${mask(String(err), secrets)}\n`);
    process.exit(2);
  }
}

void main();
