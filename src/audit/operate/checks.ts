import type { Check } from '../../core/check.js';
import { DETECTIONS, detection } from './catalog.js';
import type { IdentifiedFinding, NotChecked } from './types.js';

/**
 * Operate results as checks: each finding a `fail` (or `warn` for advisory detections and low findings), each detection that looked
 * and found nothing a `pass`, each that could not look `not-checked` with the permission it needs.
 */
export function operateChecks(findings: IdentifiedFinding[], ran: Set<string>, notChecked: NotChecked[]): Check[] {
  const out: Check[] = [];
  for (const f of findings) {
    const d = detection(f.detection);
    out.push({
      id: f.detection,
      area: d.area,
      status: d.advisory || f.severity === 'low' || f.severity === 'info' ? 'warn' : 'fail',
      target: f.target,
      message: f.message,
      fix: d.fix,
      evidence: {
        uid: f.uid,
        severity: f.severity,
        kind: d.kind,
        ...(f.file ? { file: f.file.path, line: f.file.line } : {}),
        ...(f.time ? { time: f.time } : {}),
        ...(f.actor ? { actor: f.actor } : {}),
        ...(f.url ? { url: f.url } : {}),
        ...(d.auditAction ? { audit_action: d.auditAction } : {}),
        ...(f.evidence ?? {}),
      },
    });
  }
  const blind = new Map<string, NotChecked[]>();
  for (const n of notChecked) blind.set(n.detection, [...(blind.get(n.detection) ?? []), n]);
  const found = new Set(findings.map((f) => f.detection));
  for (const d of DETECTIONS) {
    const why = blind.get(d.id);
    if (why) {
      const needs = [...new Set(why.map((w) => w.needs).filter((x): x is string => Boolean(x)))].join('; ');
      out.push({
        id: d.id,
        area: d.area,
        status: 'not-checked',
        target: d.title,
        message: [...new Set(why.map((w) => w.reason))].join('; '),
        ...(needs ? { needs } : {}),
      });
    } else if (ran.has(d.id) && !found.has(d.id)) {
      out.push({ id: d.id, area: d.area, status: 'pass', target: d.title, message: 'nothing found' });
    }
  }
  return out;
}
