import type { Severity } from '../../config/types.js';
import { detection } from './catalog.js';
import type { FindingEvent } from './diff.js';

/** OCSF schema version the records follow. */
const OCSF_VERSION = '1.3.0';
const SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<Severity, string> = {
  info: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};
const ACTIVITY = { create: [1, 'Create'], update: [2, 'Update'], close: [3, 'Close'] } as const;

/**
 * One OCSF record per lifecycle event, one a line: Compliance Finding (class 2003) for drift from the policy or the
 * baseline, Detection Finding (class 2004) for activity. `finding_info.uid` is the stable id SARIF carries in
 * partialFingerprints, so a SIEM can join both and update or close the same finding.
 */
export function ocsfRecords(events: FindingEvent[], ctx: { repository: string; version: string; now: Date }): string {
  const lines = events.map((e) => {
    const f = e.finding;
    const id = f?.detection ?? e.remembered!.detection;
    const def = detection(id);
    const drift = def.kind === 'drift';
    const classUid = drift ? 2003 : 2004;
    const [activityId, activityName] = ACTIVITY[e.lifecycle];
    const severity: Severity = f?.severity ?? def.severity;
    const time = ctx.now.getTime();
    const message = f?.message ?? `resolved: ${e.remembered!.message}`;
    const record: Record<string, unknown> = {
      category_uid: 2,
      category_name: 'Findings',
      class_uid: classUid,
      class_name: drift ? 'Compliance Finding' : 'Detection Finding',
      activity_id: activityId,
      activity_name: activityName,
      type_uid: classUid * 100 + activityId,
      type_name: `${drift ? 'Compliance Finding' : 'Detection Finding'}: ${activityName}`,
      time,
      severity_id: SEVERITY_ID[severity],
      severity: SEVERITY_NAME[severity],
      status_id: e.lifecycle === 'close' ? 4 : 1,
      status: e.lifecycle === 'close' ? 'Resolved' : 'New',
      message,
      metadata: {
        version: OCSF_VERSION,
        product: { name: 'secure-repo audit', vendor_name: 'create-secure-repo', version: ctx.version },
        uid: `${e.uid}:${e.lifecycle}:${time}`,
      },
      finding_info: {
        uid: e.uid,
        title: def.title,
        desc: message,
        types: [def.area, id],
        analytic: { uid: id, name: id, type_id: 1, type: 'Rule' },
        first_seen_time: e.remembered ? Date.parse(e.remembered.firstSeen) : f?.time ? Date.parse(f.time) : time,
        last_seen_time: time,
        ...(f?.url ? { src_url: f.url } : {}),
      },
      resources: [
        { uid: ctx.repository, name: ctx.repository, type: 'GitHub Repository' },
        ...(f ? [{ name: f.target, type: def.area }] : []),
      ],
      remediation: { desc: def.fix },
      unmapped: {
        ...(def.auditAction ? { github_audit_action: def.auditAction } : {}),
        ...(f?.file ? { file: f.file.path, line: f.file.line } : {}),
        ...(f?.evidence ?? {}),
      },
    };
    if (f?.actor) record.actor = { user: { name: f.actor } };
    if (drift)
      record.compliance = {
        control: id,
        standards: ['secure-repo policy'],
        status_id: e.lifecycle === 'close' ? 1 : 3,
        status: e.lifecycle === 'close' ? 'Pass' : 'Fail',
      };
    else if (f?.time) record.evidences = [{ data: { event_time: f.time, ...(f.evidence ?? {}) } }];
    return JSON.stringify(record);
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}
