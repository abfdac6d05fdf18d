import { createHash } from 'node:crypto';
import type { IdentifiedFinding, OperateFinding } from './types.js';

/**
 * A finding's stable id: the same thing seen again gets the same id, in SARIF (partialFingerprints) and in OCSF
 * (finding_info.uid), so a SIEM and code scanning both update one record instead of adding another.
 */
function findingUid(repository: string, f: Pick<OperateFinding, 'detection' | 'key'>): string {
  return createHash('sha256')
    .update(`${repository.toLowerCase()}\0${f.detection}\0${f.key}`)
    .digest('hex')
    .slice(0, 32);
}

export function identify(repository: string, findings: OperateFinding[]): IdentifiedFinding[] {
  const seen = new Set<string>();
  const out: IdentifiedFinding[] = [];
  for (const f of findings) {
    const uid = findingUid(repository, f);
    if (seen.has(uid)) continue;
    seen.add(uid);
    out.push({ ...f, uid });
  }
  return out;
}
