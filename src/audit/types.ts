/** One audit result. `drift` fails the audit (exit 1); `warning` and `info` are reported only. */
export type AuditStatus = 'ok' | 'drift' | 'warning' | 'info';
export type AuditArea = 'files' | 'hooks' | 'github';

export interface AuditFinding {
  area: AuditArea;
  /** Stable id of the check, e.g. `file-missing`, `hook-active`, `github-signed-commits`. */
  check: string;
  status: AuditStatus;
  /** What was checked: a repository path, a hook, or a GitHub setting. */
  target: string;
  message: string;
  fix?: string;
}

export interface AuditReport {
  version: 1;
  root: string;
  /** OWNER/NAME when the live settings were checked. */
  repository: string | null;
  branch: string | null;
  github: { checked: boolean; reason: string };
  summary: { drift: number; warnings: number; ok: number };
  findings: AuditFinding[];
}
