import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commonGitDir, repoDirs } from '../../core/git.js';
import { gitOutput, MIN_FREE_BYTES, type GitOutput } from './git-output.js';
import { COMMIT_MARK } from './patch-blocks.js';

/**
 * Starting the `git log` processes a commit scan reads. bin/secure-repo.js starts them for `scan --history` before
 * the scan code loads (about 30 ms on Node 20, while git works on the other core); the scan takes them over when
 * they are exactly what it would have started, and starts its own otherwise.
 */

/** Attributes that mark PDF-based drawings as binary for the scan's `git log` (shipped in the package's data/). */
const BINARY_FORMATS = fileURLToPath(new URL('../../../data/binary-formats.gitattributes', import.meta.url));

/**
 * Which commits' patches a `git log` shows: all of them with merges as combined diffs (`--cc`, what a merge wrote
 * itself, see combined.ts), all with merges left without a patch (their diffs come from a second process), or
 * the merges alone.
 */
export type MergePart = 'inline' | 'apart' | 'only';

/** Whether a log with or without `--raw` lists commits newest first (see commitLogArgs). */
export const newestFirst = (raw: boolean): boolean => !raw;

/** The arguments of the scan's `git log` (the tests parse its output the old way too, to compare). */
export function commitLogArgs(revs: string[], raw: boolean, merges: MergePart = 'inline'): string[] {
  return [
    '-c',
    'core.quotePath=true',
    // Formats that git would diff as text, though binary (see the file): the user's global attributes file gives way
    // for this one command; the repository's own attributes still apply.
    '-c',
    `core.attributesFile=${BINARY_FORMATS}`,
    // Topological order: children before parents, or, with --raw, parents before children (--reverse), since a
    // file's version is the last one read. --reverse makes git walk the whole graph before it writes anything (30 ms
    // of kubernetes/examples' 320, 55 of requests' 560), so without --raw the caller puts findings back in order,
    // oldest first (see newestFirst): the first commit to show a secret introduced it.
    // --full-index: the new blob of a file whose key block was rewritten in place is read by its full id.
    'log',
    '-p',
    ...(merges === 'inline' ? ['--cc'] : merges === 'only' ? ['--cc', '--merges'] : []),
    '-U0',
    ...(newestFirst(raw) ? [] : ['--reverse']),
    '--topo-order',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    // (log.showSignature in a user's config would run gpg for every signed commit)
    '--no-show-signature',
    '--full-index',
    ...(raw ? ['--raw', '--no-abbrev'] : []),
    // The parents tell a merge (whose patch comes apart) from other commits.
    `--format=${COMMIT_MARK}%H %P`,
    ...revs,
    '--',
  ];
}

/**
 * How much free room the temp folder needs before git's output goes there: the usual floor, or 16 times the
 * repository's packed objects when that is more. A history's zero-context patch has measured 0.5 to 4 times its
 * packs (requests, gin, gitleaks); a large repository (a pack of gigabytes) is read through the pipe instead of
 * filling a disk, or a RAM-backed /tmp, with its whole patch. GITDIR is the work tree's (a linked worktree's packs
 * are the repository's).
 */
export function roomFor(gitDir: string): number {
  let packs = 0;
  try {
    const dir = path.join(commonGitDir(gitDir), 'objects', 'pack');
    for (const f of readdirSync(dir)) if (f.endsWith('.pack')) packs += statSync(path.join(dir, f)).size;
  } catch {
    // no packs yet: the floor
  }
  return Math.max(MIN_FREE_BYTES, 16 * packs);
}

export interface HistoryLog {
  root: string;
  revs: string[];
  raw: boolean;
  /** The main output: every commit, and the merges' combined diffs too unless `merges` is there. */
  main: GitOutput;
  /** The merges' combined diffs from a second process (see MergeStream in commits.ts), or null. */
  merges: GitOutput | null;
}

/**
 * Starts `git log` over `revs` in the repository holding `dir` (its top), with `--raw` when `raw`, and the merges
 * from a second process when `mergesApart`. Null outside a repository.
 */
export async function startHistoryLog(
  dir: string,
  revs: string[],
  raw: boolean,
  mergesApart: boolean,
  readBytes?: number,
): Promise<HistoryLog | null> {
  const dirs = await repoDirs(dir);
  if (!dirs) return null;
  const root = path.resolve(dirs.root);
  const room = roomFor(dirs.gitDir);
  const main = gitOutput(commitLogArgs(revs, raw, mergesApart ? 'apart' : 'inline'), root, room, readBytes);
  const merges = mergesApart ? gitOutput(commitLogArgs(revs, raw, 'only'), root, room, readBytes) : null;
  return { root, revs, raw, main, merges };
}

export function closeHistoryLog(log: HistoryLog): void {
  log.main.close();
  log.merges?.close();
}

let early: HistoryLog | null = null;

/** Hands over a log started before this code loaded (the scan takes it if it matches, see takeHistoryLog). */
export function adoptHistoryLog(log: HistoryLog): void {
  if (early) closeHistoryLog(early);
  early = log;
}

/** The log started early, if it is the one asked for; a different one is stopped. Either way it is taken once. */
export function takeHistoryLog(root: string, revs: string[], raw: boolean, mergesApart: boolean): HistoryLog | null {
  const log = early;
  early = null;
  if (!log) return null;
  const same =
    log.root === root &&
    log.raw === raw &&
    (log.merges !== null) === mergesApart &&
    log.revs.length === revs.length &&
    log.revs.every((r, i) => r === revs[i]);
  if (same) return log;
  closeHistoryLog(log);
  return null;
}
