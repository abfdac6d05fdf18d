import type { Check, CheckStatus } from '../core/check.js';

/** What `secure-repo audit` reports: one list of checks (the shared model doctor uses too). */
export interface AuditReport {
  version: 1;
  root: string;
  /** OWNER/NAME when the live settings were checked. */
  repository: string | null;
  branch: string | null;
  github: { checked: boolean; reason: string };
  /** The Operate part: the window of activity read, the baseline used, and what it noted along the way. */
  operate: { since: string | null; baseline: string | null; notes: string[] };
  summary: Record<CheckStatus, number>;
  checks: Check[];
}

export function summarize(checks: readonly Check[]): AuditReport['summary'] {
  const s: AuditReport['summary'] = { pass: 0, fail: 0, warn: 0, info: 0, 'not-checked': 0 };
  for (const c of checks) s[c.status]++;
  return s;
}
