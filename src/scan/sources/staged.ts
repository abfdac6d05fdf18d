import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { git, gitBuffer } from '../../core/git.js';
import { recordElapsed } from '../../core/timing.js';
import type { Fragment } from '../types.js';
import { readBlobsUpTo } from './blobs.js';
import { isBinary, parseHunkHeader, pathFromPlusHeader, startsWithAt, type SourceStats } from './fragments.js';

interface StagedEntry {
  path: string;
  mode: string;
  sha: string;
}

/**
 * `git diff --cached --raw -z -p`: first `:old new oldsha newsha status\0path\0` per added, copied or modified
 * file, then an empty field, then the patch (with -z the raw part is NUL-separated; the patch is plain text).
 * Returns the entries and where the patch starts.
 */
function parseRaw(buf: Buffer): { entries: StagedEntry[]; patchAt: number } {
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
  return { entries: out, patchAt: pos };
}

/** One file's part of a whole-file patch: the staged file's bytes and its added line numbers. */
interface PatchedFile {
  /** git showed no text diff ("Binary files … differ"): the file holds a NUL, or its attributes say binary. */
  binary: boolean;
  /** null when the patch does not hold the whole file (no hunk: a mode-only change or an empty file). */
  content: Buffer | null;
  added: Set<number>;
}

const DIFF_GIT = Buffer.from('diff --git ');
const BINARY = Buffer.from('Binary files ');

/**
 * Splits a patch written with the whole file as context into one PatchedFile per `diff --git` section, in the
 * order of the raw entries (git writes both from the same list). Works on bytes: the staged file is the context
 * and added lines, each without its first byte, exactly as git stored them; `\ No newline at end of file` after
 * a line of the new file takes that line's newline away. Hunk lengths come from the `@@` headers, so no line of
 * the file is ever mistaken for a header. A section whose hunk does not start at line 1 (which full context rules
 * out) is returned without content, and the caller reads that file's blob instead.
 */
function parseWholeFilePatch(buf: Buffer, pos: number): PatchedFile[] {
  const files: PatchedFile[] = [];
  let cur: { binary: boolean; ranges: [number, number][] | null; added: Set<number>; partial: boolean } | null = null;
  const finish = () => {
    if (!cur) return;
    const content = cur.ranges && !cur.partial ? Buffer.concat(cur.ranges.map(([a, b]) => buf.subarray(a, b))) : null;
    files.push({ binary: cur.binary, content, added: cur.added });
  };
  let oldLeft = 0;
  let newLeft = 0;
  let line = 0;
  let lastWasNew = false;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    const end = nl === -1 ? buf.length : nl + 1;
    const first = buf[pos];
    if (cur && (oldLeft > 0 || newLeft > 0 || first === 0x5c)) {
      // inside a hunk: ' ' context, '+' added, '-' removed, '\' no newline at the end of the line before,
      // and an empty line is empty context (diff.suppressBlankEmpty)
      if (first === 0x5c) {
        if (lastWasNew && cur.ranges && cur.ranges.length > 0) {
          const last = cur.ranges[cur.ranges.length - 1]!;
          if (buf[last[1] - 1] === 10) last[1]--;
        }
        lastWasNew = false;
      } else if (first === 0x2d) {
        oldLeft--;
        lastWasNew = false;
      } else {
        const empty = first === 10;
        if (first === 0x2b) cur.added.add(line);
        else oldLeft--;
        newLeft--;
        cur.ranges!.push(empty ? [pos, end] : [pos + 1, end]);
        line++;
        lastWasNew = true;
      }
      pos = end;
      continue;
    }
    lastWasNew = false;
    if (startsWithAt(buf, pos, DIFF_GIT)) {
      finish();
      cur = { binary: false, ranges: null, added: new Set(), partial: false };
    } else if (cur && first === 0x40 /* @ */) {
      const h = parseHunkHeader(buf.toString('latin1', pos, Math.min(end, pos + 100)));
      if (h) {
        if (cur.ranges || (h.start > 1 && h.count > 0)) cur.partial = true;
        cur.ranges ??= [];
        oldLeft = h.removed;
        newLeft = h.count;
        line = h.start;
      }
    } else if (cur && startsWithAt(buf, pos, BINARY)) {
      cur.binary = true;
    }
    pos = end;
  }
  finish();
  return files;
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

const DIFF = ['diff', '--cached', '--no-color', '--no-ext-diff', '--no-renames', '--diff-filter=ACMR'];
// One diff call gives the staged files (--raw), and with the whole file as context (-U<max>) a patch that holds
// both the added lines and every line of the staged file: no cat-file process on an ordinary commit.
const RAW_AND_PATCH = [...DIFF, '--raw', '-z', '--no-abbrev', '-p', `-U${2 ** 31 - 1}`, '--no-textconv'];

/** The staged diff bin/hook.cjs started before this code loaded (see adoptStagedDiff), until it is read. */
let prefetched: { root: string; out: Promise<Buffer> } | null = null;

/** What bin/hook.cjs hands over: git's output (null when git failed) and when the call started and ended. */
export interface EarlyDiff {
  stdout: Buffer | null;
  started: number;
  ended: number;
}

/**
 * Takes a staged diff that the hook's entry (bin/hook.cjs) started before it loaded this code, when it ran exactly
 * our arguments (an entry of another version may not). A failed call is made again here, so its error is reported
 * as any git failure is. STARTED and ENDED are on the elapsedMs clock.
 */
export function adoptStagedDiff(root: string, args: readonly string[], early: Promise<EarlyDiff>): void {
  if (args.length !== RAW_AND_PATCH.length || args.some((a, i) => a !== RAW_AND_PATCH[i])) return;
  const out = early.then(({ stdout, started, ended }) => {
    recordElapsed('git diff', started, ended - started);
    return stdout ?? gitBuffer(RAW_AND_PATCH, { cwd: root });
  });
  out.catch(() => undefined);
  prefetched = { root, out };
}

function stagedDiff(root: string): Promise<Buffer> {
  const early = prefetched?.root === root ? prefetched.out : null;
  prefetched = null;
  return early ?? gitBuffer(RAW_AND_PATCH, { cwd: root });
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
  const [both, mergeHead] = await Promise.all([stagedDiff(root), mergeHeadCommit(root)]);
  const { entries: staged, patchAt } = parseRaw(both);
  const patched = parseWholeFilePatch(both, patchAt);
  // git writes one patch section per raw entry; should that ever not hold, every file is read from its blob.
  const byEntry = patched.length === staged.length ? patched : null;
  const entries: (StagedEntry & { patched: PatchedFile | null })[] = [];
  for (const [i, e] of staged.entries()) {
    if (e.mode === '120000') {
      stats.skipped.symlink++;
      continue;
    }
    if (e.mode === '160000') continue; // submodule pointer
    if (isAllowedPath(e.path)) {
      stats.skipped.allowedPath++;
      continue;
    }
    entries.push({ ...e, patched: byEntry?.[i] ?? null });
  }
  const added = new Map(entries.map((e) => [e.path, e.patched?.added ?? new Set<number>()]));
  if (mergeHead) {
    const vsOther = parseAddedLines(
      (await gitBuffer([...DIFF, '-U0', '--no-textconv', mergeHead, '--'], { cwd: root })).toString('utf8'),
    );
    for (const [p, lines] of added) {
      const other = vsOther.get(p);
      for (const n of lines) if (!other?.has(n)) lines.delete(n);
    }
  }
  // Files the patch does not hold whole (a mode-only change, an empty file) are read with one cat-file call, which
  // drops those over the size limit as they stream past.
  const unread = entries.filter((e) => !e.patched?.binary && !e.patched?.content);
  const { blobs, tooLarge } =
    unread.length > 0
      ? await readBlobsUpTo(root, [...new Set(unread.map((e) => e.sha))], maxSize)
      : { blobs: new Map<string, Buffer>(), tooLarge: new Set<string>() };
  const fragments: Fragment[] = [];
  for (const e of entries) {
    if (e.patched?.binary) {
      stats.skipped.binary++;
      continue;
    }
    const buf = e.patched?.content ?? blobs.get(e.sha);
    if (tooLarge.has(e.sha) || (buf && buf.length > maxSize)) {
      stats.skipped.tooLarge++;
      continue;
    }
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
