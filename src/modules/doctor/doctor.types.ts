/** How one doctor check ended: `fail` makes the exit code non-zero, `warn` does not. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of the doctor's report. `detail` tells the operator what was seen and what to do. */
export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
}

export const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
export const warn = (name: string, detail: string): CheckResult => ({
  name,
  status: 'warn',
  detail,
});
export const fail = (name: string, detail: string): CheckResult => ({
  name,
  status: 'fail',
  detail,
});
