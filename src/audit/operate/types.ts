import type { Severity } from '../../config/types.js';

/**
 * What a finding is about: `activity` is something that happened (a run, a push, a bypass: OCSF Detection Finding),
 * `drift` is a state that differs from the policy or the reviewed baseline (OCSF Compliance Finding).
 */
export type FindingKind = 'activity' | 'drift';

/** One thing an Operate detection saw. `key` identifies it within its detection, so reruns find the same finding. */
export interface OperateFinding {
  detection: string;
  key: string;
  severity: Severity;
  message: string;
  /** What it is about: a workflow path, a run, a key, a hook URL. */
  target: string;
  /** A repository file and line, when the finding is in one. */
  file?: { path: string; line: number };
  /** When it happened (ISO 8601), for activity. */
  time?: string;
  actor?: string;
  url?: string;
  /** Facts a reviewer or a SIEM rule needs (no secrets). */
  evidence?: Record<string, string | number | boolean | null>;
}

/** A finding with its stable id (shared by SARIF partialFingerprints and the OCSF finding uid). */
export interface IdentifiedFinding extends OperateFinding {
  uid: string;
}

/** Why a detection could not run: the permission GitHub named, or why nothing could be read. */
export interface NotChecked {
  detection: string;
  reason: string;
  /** The permission to grant, as GitHub names it (X-Accepted-GitHub-Permissions) or as documented. */
  needs: string | null;
}
