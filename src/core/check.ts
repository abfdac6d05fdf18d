/**
 * One model of a check, for everything that looks at a repository and says how it stands: doctor (hooks here),
 * audit (files, live GitHub settings, pipeline activity). Scan findings are the other model (src/scan/types.ts):
 * a finding is a place in code; a check is a question about the repository with an answer.
 */

/**
 * How a check came out. `fail` is a real problem (drift, an anomaly, a hook that is off: exit 1); `warn` and `info`
 * are reported only; `not-checked` means the check could not look (a token without the permission, an API the plan
 * lacks) and is never counted as a pass.
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'info' | 'not-checked';

export interface Check {
  /** Stable id, e.g. `hook-active`, `github-signed-commits`, `run-fork-privileged-trigger`. */
  id: string;
  /** Which part of the repository it looks at, e.g. `hooks`, `files`, `github`, `activity`. */
  area: string;
  status: CheckStatus;
  /** What was checked: a path, a hook, a setting, a run. */
  target: string;
  message: string;
  /** The one thing to do about it. */
  fix?: string;
  /** With `not-checked`: the permission the token lacks, as GitHub names it (`X-Accepted-GitHub-Permissions`). */
  needs?: string;
  /** Facts behind an activity check (run id, actor, time), kept flat so every report format can carry them. */
  evidence?: Record<string, string | number | boolean | null>;
}

/** True when any check found a real problem (the exit-1 condition of doctor and audit). */
export const anyFailed = (checks: readonly Check[]): boolean => checks.some((c) => c.status === 'fail');
