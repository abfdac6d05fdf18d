import { detection } from './catalog.js';
import { ACTIVITY_RETENTION_DAYS, type AuditState } from './state.js';
import type { IdentifiedFinding, NotChecked } from './types.js';

export type Lifecycle = 'create' | 'update' | 'close';

export interface FindingEvent {
  lifecycle: Lifecycle;
  uid: string;
  /** The finding as seen now (create, update), or as last remembered (close). */
  finding: IdentifiedFinding | null;
  remembered: AuditState['findings'][string] | null;
}

/**
 * What changed since the last audit. New findings are created; a changed message is an update; drift that is gone
 * (and whose detection really ran this time) is closed. Activity already reported is not reported again: `fresh`
 * holds what this audit reports.
 */
export function diffState(
  prev: AuditState,
  current: IdentifiedFinding[],
  ran: Set<string>,
  notChecked: NotChecked[],
  now: Date,
  combos: string[],
  readHistory: boolean,
): { events: FindingEvent[]; fresh: IdentifiedFinding[]; next: AuditState } {
  const at = now.toISOString();
  const blind = new Set(notChecked.map((n) => n.detection));
  const events: FindingEvent[] = [];
  const fresh: IdentifiedFinding[] = [];
  const next: AuditState = { version: 1, lastRun: readHistory ? at : prev.lastRun, combos, findings: {} };
  const cutoff = now.getTime() - ACTIVITY_RETENTION_DAYS * 86_400_000;
  const seenNow = new Set(current.map((f) => f.uid));
  for (const f of current) {
    const kind = detection(f.detection).kind;
    const old = prev.findings[f.uid];
    next.findings[f.uid] = {
      detection: f.detection,
      kind,
      firstSeen: old?.firstSeen ?? at,
      lastSeen: at,
      message: f.message,
    };
    if (!old) {
      events.push({ lifecycle: 'create', uid: f.uid, finding: f, remembered: null });
      fresh.push(f);
    } else if (kind === 'drift') {
      fresh.push(f);
      if (old.message !== f.message) events.push({ lifecycle: 'update', uid: f.uid, finding: f, remembered: old });
    }
  }
  for (const [uid, e] of Object.entries(prev.findings)) {
    if (seenNow.has(uid)) continue;
    if (e.kind === 'activity') {
      if (Date.parse(e.lastSeen) >= cutoff) next.findings[uid] = e;
      continue;
    }
    // Drift not seen: closed only when its detection looked; otherwise it is still open as far as we know.
    if (ran.has(e.detection) && !blind.has(e.detection))
      events.push({ lifecycle: 'close', uid, finding: null, remembered: e });
    else next.findings[uid] = e;
  }
  return { events, fresh, next };
}
