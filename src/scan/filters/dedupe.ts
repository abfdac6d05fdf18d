import type { Finding } from '../types.js';

/**
 * One secret found in many commits is reported once, at the commit that introduced it. Commit sources emit
 * oldest first, so the first finding per fingerprint wins; several hits within that same commit all stay.
 */
export function dedupeAcrossCommits(findings: Finding[]): Finding[] {
  const firstCommit = new Map<string, string | null>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.kind}\0${f.fingerprint}`;
    if (!firstCommit.has(key)) firstCommit.set(key, f.commit);
    else if (firstCommit.get(key) !== f.commit) continue;
    out.push(f);
  }
  return out;
}
