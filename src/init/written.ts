import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { atomicWrite } from '../core/fs.js';
import type { PlannedChange } from '../changes/types.js';

/**
 * What init last wrote, per file (sha256), kept in the git dir of this clone (never committed). A re-run tells the
 * user's uncommitted edits from its own: a file still exactly as init wrote it may be updated (a run whose install
 * failed left package.json changed; the re-run must be able to finish). Uninstall deletes the record.
 */
export const STATE_DIR = 'secure-repo';
const WRITTEN_RECORD = `${STATE_DIR}/init-written.json`;

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export function writtenRecordPath(root: string, rel0: string = WRITTEN_RECORD): string | null {
  try {
    const rel = execFileSync('git', ['rev-parse', '--git-path', rel0], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString('utf8')
      .trim();
    return path.resolve(root, rel);
  } catch {
    return null;
  }
}

export function readWritten(root: string): Record<string, string> {
  const file = writtenRecordPath(root);
  try {
    return file ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function stillAsWritten(root: string, rel: string, record: Record<string, string>): boolean {
  const want = record[rel];
  if (!want) return false;
  try {
    return sha(readFileSync(path.join(root, rel))) === want;
  } catch {
    return false;
  }
}

/** Adds the files this run wrote (created or updated, and now on disk as planned) to the record. */
export async function recordWritten(root: string, planned: PlannedChange[]): Promise<void> {
  const file = writtenRecordPath(root);
  if (!file) return;
  const record = readWritten(root);
  let changed = false;
  for (const p of planned) {
    if (p.intent.kind !== 'file' || (p.action !== 'create' && p.action !== 'update') || p.content === undefined)
      continue;
    if (!stillAsWritten(root, p.target, { [p.target]: sha(p.content) })) continue;
    record[p.target] = sha(p.content);
    changed = true;
  }
  if (changed) await atomicWrite(file, `${JSON.stringify(record, null, 2)}\n`);
}
