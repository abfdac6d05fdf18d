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

/**
 * What a scan that read commits newest first found (findings, rewritten key blocks), put oldest first: the runs of
 * one commit keep their own order, and the runs are reversed (a commit's are found together, as its patch is read
 * at once).
 */
export function oldestCommitsFirst<T extends { commit: string | null }>(items: T[]): T[] {
  const runs: T[][] = [];
  for (const f of items) {
    const last = runs[runs.length - 1];
    if (last && last[0]!.commit === f.commit) last.push(f);
    else runs.push([f]);
  }
  return runs.reverse().flat();
}
