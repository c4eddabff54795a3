import { CheckResult } from './doctor.types';

const NAME_WIDTH = 20;

/**
 * One line per check: name, status, detail. Every secret value is masked, whatever printed it
 * (an upstream message, a URL in a validation problem), so the report is safe to paste anywhere.
 */
export function formatReport(results: CheckResult[], secrets: string[]): string {
  return results
    .map((r) =>
      mask(`${r.name.padEnd(NAME_WIDTH)} ${r.status.padEnd(4)} ${oneLine(r.detail)}`, secrets),
    )
    .join('\n');
}

/** Exit code of the report: 0 only when no check failed. */
export function exitCodeOf(results: CheckResult[]): number {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}

export function mask(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ');
}
