import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { git, gitBuffer } from '../../core/git.js';
import type { Fragment } from '../types.js';
import { readBlobsUpTo } from './blobs.js';
import { isBinary, parseHunkHeader, pathFromPlusHeader, type SourceStats } from './fragments.js';

interface StagedEntry {
  path: string;
  mode: string;
  sha: string;
}

/**
 * `git diff --cached --raw -z -p`: first `:old new oldsha newsha status\0path\0` per added, copied or modified
 * file, then an empty field, then the patch (with -z the raw part is NUL-separated; the patch is plain text).
 */
function parseRawAndPatch(buf: Buffer): { entries: StagedEntry[]; patch: string } {
  const out: StagedEntry[] = [];
  let pos = 0;
  while (pos < buf.length && buf[pos] === 0x3a /* ':' */) {
    const metaEnd = buf.indexOf(0, pos);
    const pathEnd = metaEnd === -1 ? -1 : buf.indexOf(0, metaEnd + 1);
    if (pathEnd === -1) break;
    const meta = buf.toString('utf8', pos + 1, metaEnd).split(' ');
    if (meta.length >= 5) out.push({ path: buf.toString('utf8', metaEnd + 1, pathEnd), mode: meta[1]!, sha: meta[3]! });
    pos = pathEnd + 1;
  }
  if (buf[pos] === 0) pos++;
  return { entries: out, patch: buf.toString('utf8', pos) };
}

/** Added line numbers per path, from a zero-context diff of the index against HEAD. */
function parseAddedLines(patch: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let current: Set<number> | null = null;
  let inHeader = false;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      inHeader = true;
      current = null;
      continue;
    }
    if (inHeader && line.startsWith('+++ ')) {
      const p = pathFromPlusHeader(line);
      current = p === null ? null : new Set<number>();
      if (p !== null) out.set(p, current!);
      continue;
    }
    if (line.startsWith('@@ ')) {
      inHeader = false;
      const h = parseHunkHeader(line);
      if (h && current) for (let n = h.start; n < h.start + h.count; n++) current.add(n);
    }
  }
  return out;
}

/**
 * MERGE_HEAD's commit while a merge is being concluded, else null. In the usual layout (`.git` is a folder and
 * GIT_DIR unset) a missing MERGE_HEAD file settles it without spawning git, which keeps the hook path as it was.
 */
async function mergeHeadCommit(root: string): Promise<string | null> {
  const dotGit = path.join(root, '.git');
  if (
    !process.env.GIT_DIR &&
    statSync(dotGit, { throwIfNoEntry: false })?.isDirectory() &&
    !existsSync(path.join(dotGit, 'MERGE_HEAD'))
  )
    return null;
  return git(['rev-parse', '-q', '--verify', 'MERGE_HEAD^{commit}'], { cwd: root, allowFailure: true });
}

/**
 * Exactly what `git commit` would record: the staged blob of each added or modified file, with the line numbers
 * of the staged file, reporting only findings on staged (added) lines. While a merge is being concluded, a line
 * counts as added only if it is new against both HEAD and MERGE_HEAD: what the resolution wrote, not what the
 * merged branch brings (its commits were scanned when they were made, and are reported there by commit scans).
 */
export async function stagedFragments(
  root: string,
  maxSize: number,
  stats: SourceStats,
  isAllowedPath: (p: string) => boolean,
): Promise<Fragment[]> {
  const base = ['diff', '--cached', '--no-color', '--no-ext-diff', '--no-renames', '--diff-filter=ACMR'];
  // One diff call gives both the staged blobs (--raw) and the added lines (-U0 patch).
  const [both, mergeHead] = await Promise.all([
    gitBuffer([...base, '--raw', '-z', '--no-abbrev', '-p', '-U0', '--no-textconv'], { cwd: root }),
    mergeHeadCommit(root),
  ]);
  const { entries: staged, patch } = parseRawAndPatch(both);
  const entries: StagedEntry[] = [];
  for (const e of staged) {
    if (e.mode === '120000') {
      stats.skipped.symlink++;
      continue;
    }
    if (e.mode === '160000') continue; // submodule pointer
    if (isAllowedPath(e.path)) {
      stats.skipped.allowedPath++;
      continue;
    }
    entries.push(e);
  }
  const added = parseAddedLines(patch);
  if (mergeHead) {
    const vsOther = parseAddedLines(
      (await gitBuffer([...base, '-U0', '--no-textconv', mergeHead, '--'], { cwd: root })).toString('utf8'),
    );
    for (const [p, lines] of added) {
      const other = vsOther.get(p);
      for (const n of lines) if (!other?.has(n)) lines.delete(n);
    }
  }
  // One cat-file call reads every staged blob, dropping those over the size limit as they stream past.
  const { blobs, tooLarge } = await readBlobsUpTo(root, [...new Set(entries.map((e) => e.sha))], maxSize);
  const wanted = entries.filter((e) => {
    if (tooLarge.has(e.sha)) {
      stats.skipped.tooLarge++;
      return false;
    }
    return true;
  });
  const fragments: Fragment[] = [];
  for (const e of wanted) {
    const buf = blobs.get(e.sha);
    if (!buf) continue;
    if (isBinary(buf)) {
      stats.skipped.binary++;
      continue;
    }
    stats.files++;
    stats.bytes += buf.length;
    fragments.push({
      path: e.path,
      text: buf.toString('utf8'),
      commit: null,
      addedLines: added.get(e.path) ?? new Set(),
    });
  }
  return fragments;
}
