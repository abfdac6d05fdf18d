/**
 * Where the audit keeps what it saw last time when there is no git directory; by default it lives in the clone's
 * git directory, and the scheduled workflow passes --state and carries the file between runs as an artifact.
 */
export const STATE_PATH = '.secure-repo/audit-state.json';

export interface StateEntry {
  detection: string;
  kind: 'activity' | 'drift';
  firstSeen: string;
  lastSeen: string;
  message: string;
}

export interface AuditState {
  version: 1;
  /** When the last audit ran (ISO 8601); the next one reads activity from here on. */
  lastRun: string | null;
  /** (actor, event, workflow) combinations seen in run history: `actor|event|path`. */
  combos: string[];
  /** Findings by uid: open drift, and activity already reported (kept ACTIVITY_RETENTION_DAYS). */
  findings: Record<string, StateEntry>;
}

export const ACTIVITY_RETENTION_DAYS = 90;

export function emptyState(): AuditState {
  return { version: 1, lastRun: null, combos: [], findings: {} };
}

export function parseState(text: string, file: string): AuditState {
  let raw: Partial<AuditState>;
  try {
    raw = JSON.parse(text) as Partial<AuditState>;
  } catch (err) {
    throw new Error(
      `${file} is not valid JSON (${(err as Error).message}); delete it to start over (the next audit relearns)`,
    );
  }
  if (raw?.version !== 1) throw new Error(`${file} is not an audit state file (version 1); delete it to start over`);
  return {
    version: 1,
    lastRun: typeof raw.lastRun === 'string' ? raw.lastRun : null,
    combos: Array.isArray(raw.combos) ? raw.combos.map(String) : [],
    findings: raw.findings && typeof raw.findings === 'object' ? raw.findings : {},
  };
}

export const formatState = (s: AuditState) => `${JSON.stringify(s, null, 2)}\n`;
