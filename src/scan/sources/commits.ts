import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../../core/errors.js';
import { commonGitDir, git, repoDirs } from '../../core/git.js';
import type { Fragment } from '../types.js';
import { combinedAdditions, combinedRuns } from './combined.js';
import { gitOutput, MIN_FREE_BYTES } from './git-output.js';
import { parseHunkHeader, pathFromPlusHeader, unquoteGitPath, type SourceStats } from './fragments.js';
import { looksLikePartialKeyBody, type KeyBlockCandidate } from './key-blocks.js';

const COMMIT_MARK = '\x01';

export interface CommitScanOptions {
  root: string;
  /** Revision arguments for git log: `--all`, `A..B`, `<sha> --not --remotes=origin`. */
  revs: string[];
  maxSize: number;
  stats: SourceStats;
  isAllowedPath: (p: string) => boolean;
  onFragment: (f: Fragment) => void;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Unparsed output above which a commit is processed file by file (tests lower it). */
  maxPending?: number;
  /**
   * When given, filled with the newest version of each file changed in the scanned commits: its blob, the commit
   * and the lines that commit added (so SAST can run on whole files and blame only new lines).
   */
  versions?: Map<string, FileVersion>;
  /** When given, filled with hunks that rewrite part of a private key block (see key-blocks.ts). */
  keyBlocks?: KeyBlockCandidate[];
}

export interface FileVersion {
  blob: string;
  commit: string;
  added: Set<number>;
}

/** How many commits the revision arguments select (for the progress bar). */
async function countCommits(root: string, revs: string[]): Promise<number> {
  const out = await git(['rev-list', '--count', ...revs], { cwd: root });
  return Number(out.trim()) || 0;
}

/** Past this much unparsed output, a commit is processed file by file instead of whole. */
const MAX_PENDING = 32 * 1024 * 1024;

/** The arguments of the scan's `git log` (the tests parse its output the old way too, to compare). */
export function commitLogArgs(revs: string[], raw: boolean): string[] {
  return [
    '-c',
    'core.quotePath=true',
    // Parents before children (--reverse of topological order), so the first commit to show a secret introduced it.
    // --cc: merges as combined diffs, showing what a merge wrote itself (see combined.ts).
    // --full-index: the new blob of a file whose key block was rewritten in place is read by its full id.
    'log',
    '-p',
    '--cc',
    '-U0',
    '--reverse',
    '--topo-order',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--full-index',
    ...(raw ? ['--raw', '--no-abbrev'] : []),
    `--format=${COMMIT_MARK}%H`,
    ...revs,
    '--',
  ];
}

// Byte patterns of the patch (ASCII: never part of a UTF-8 sequence, so they are found where the text has them).
const NL_MARK = Buffer.from(`\n${COMMIT_MARK}`);
const DIFF = Buffer.from('diff --');
const NL_DIFF = Buffer.from('\ndiff --');
const NL_HUNK = Buffer.from('\n@@');
const NL = 10;
const BACKSLASH = 92; // `\ No newline at end of file`
const AT = 64;
const SPACE = 32;

/**
 * One buffer of consecutive chunks. Chunks read into the same buffer one after the other (see git-output.ts) lie
 * side by side in memory and are joined without a copy.
 */
function join(parts: Buffer[], bytes: number): Buffer {
  if (parts.length === 1) return parts[0]!;
  const first = parts[0]!;
  let next = first.byteOffset + first.length;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.buffer !== first.buffer || p.byteOffset !== next) return Buffer.concat(parts, bytes);
    next += p.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, bytes);
}

/**
 * How much free room the temp folder needs before git's output goes there: the usual floor, or 16 times the
 * repository's packed objects when that is more. A history's zero-context patch has measured 0.5 to 4 times its
 * packs (requests, gin, gitleaks); a large repository (a pack of gigabytes) is read through the pipe instead of
 * filling a disk, or a RAM-backed /tmp, with its whole patch.
 */
export async function roomFor(root: string): Promise<number> {
  const dirs = await repoDirs(root);
  let packs = 0;
  try {
    const dir = path.join(commonGitDir(dirs?.gitDir ?? path.join(root, '.git')), 'objects', 'pack');
    for (const f of readdirSync(dir)) if (f.endsWith('.pack')) packs += statSync(path.join(dir, f)).size;
  } catch {
    // no packs yet: the floor
  }
  return Math.max(MIN_FREE_BYTES, 16 * packs);
}

/**
 * Streams `git log -p -U0` oldest first and turns each commit's added lines per file into one fragment, with a
 * line map back to the file's line numbers. The output is parsed as bytes: only headers and added lines are ever
 * decoded (removed lines, half the patch, are skipped by their newlines). It is parsed a commit at a time (a file at
 * a time for huge commits), so memory stays bounded whatever the length of the history.
 */
export async function scanCommits(o: CommitScanOptions): Promise<void> {
  const total = o.onProgress ? await countCommits(o.root, o.revs) : 0;
  const out = gitOutput(commitLogArgs(o.revs, o.versions !== undefined), o.root, await roomFor(o.root));
  const maxPending = o.maxPending ?? MAX_PENDING;
  const state: BlockState = { commit: null, total };
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // A cut that finds no file boundary (one huge file) is retried only once as much again has come (copies stay
  // linear in the size of the file).
  let nextCut = maxPending;
  let endsWithNewline = false;
  for await (const chunk of out.chunks) {
    if (chunk.length === 0) continue;
    // Commits start at a marker line; what was pending had none, so only the new chunk is searched.
    const atStart = endsWithNewline && chunk[0] === 1;
    endsWithNewline = chunk[chunk.length - 1] === NL;
    const last = chunk.lastIndexOf(NL_MARK);
    if (last === -1 && !atStart) {
      // Still inside one commit; a huge one is cut between files.
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes > nextCut) {
        const whole = join(pending, pendingBytes);
        const cut = whole.lastIndexOf(NL_DIFF);
        if (cut > 0) {
          scanBlock(whole.subarray(0, cut + 1), o, state);
          pending = [whole.subarray(cut + 1)];
          pendingBytes = whole.length - cut - 1;
          nextCut = maxPending;
        } else {
          pending = [whole];
          nextCut = pendingBytes * 2;
        }
      }
      continue;
    }
    // The pending commit ends where the chunk's first marker starts; only it is copied into one buffer. The whole
    // commits after it are scanned in place, and the last, incomplete one waits for the next chunk.
    const firstStart = atStart ? 0 : chunk.indexOf(NL_MARK) + 1;
    const lastStart = last === -1 ? 0 : last + 1;
    if (pendingBytes + firstStart > 0) {
      pending.push(chunk.subarray(0, firstStart));
      scanBlock(join(pending, pendingBytes + firstStart), o, state);
    }
    if (lastStart > firstStart) scanBlock(chunk.subarray(firstStart, lastStart), o, state);
    pending = [chunk.subarray(lastStart)];
    pendingBytes = chunk.length - lastStart;
    nextCut = maxPending;
  }
  if (pendingBytes > 0) scanBlock(join(pending, pendingBytes), o, state);
  const { code, stderr } = await out.result();
  if (code !== 0) {
    const msg = stderr.trim().split('\n').slice(-2).join(' ');
    throw new CliError(
      `git log failed: ${msg || `exit code ${code}`}.`,
      'Check the range or refs you passed (e.g. `main..HEAD`), and that the history is not a shallow clone missing them.',
    );
  }
}

/** Index just past the line that contains `pos` (or `end`). */
function nextLine(b: Buffer, pos: number, end: number): number {
  const nl = b.indexOf(NL, pos);
  return nl === -1 || nl >= end ? end : nl + 1;
}

interface BlockState {
  /** The commit whose patch is being read (output of one commit can span blocks). */
  commit: string | null;
  total: number;
}

/** Scans a run of complete file sections: the rest of the current commit, then whole commits (marker line first). */
function scanBlock(b: Buffer, o: CommitScanOptions, state: BlockState): void {
  let pos = 0;
  if (b[0] !== 1) {
    const next = b.indexOf(NL_MARK);
    const end = next === -1 ? b.length : next + 1;
    if (state.commit !== null) scanCommitPatch(b, 0, end, state.commit, o);
    pos = next === -1 ? -1 : next + 1;
  }
  while (pos !== -1 && pos < b.length) {
    const headerEnd = nextLine(b, pos, b.length);
    state.commit = b.toString('utf8', pos + 1, headerEnd - 1).trim();
    o.stats.commits++;
    o.onProgress?.(o.stats.commits, state.total);
    const next = b.indexOf(NL_MARK, headerEnd - 1);
    const end = next === -1 ? b.length : next + 1;
    scanCommitPatch(b, headerEnd, end, state.commit, o);
    pos = next === -1 ? -1 : next + 1;
  }
}

/**
 * `--raw` lines (`:old new oldsha newsha status<TAB>path[<TAB>path]`) name the blob of each file's new version.
 * A deleted file has no version any more.
 */
function recordRawLines(text: string, commit: string, versions: Map<string, FileVersion>): void {
  for (const line of text.split('\n')) {
    if (line.charCodeAt(0) !== 58 /* : */) continue;
    const fields = line.split('\t');
    const target = unquoteGitPath(fields[fields.length - 1]!);
    const colons = /^:+/.exec(fields[0]!)![0].length;
    if (colons > 1) {
      // A merge (`::m1 m2 m ob1 ob2 new MM`): the result's mode and blob come after the parents' ones.
      const meta = fields[0]!.slice(colons).split(' ');
      const mode = meta[colons]!;
      const blob = meta[2 * colons + 1]!;
      if (mode === '000000' || mode === '160000' || mode === '120000') versions.delete(target);
      else versions.set(target, { blob, commit, added: new Set() });
    } else {
      const meta = fields[0]!.split(' ');
      if (meta[4]?.startsWith('D') || meta[1] === '160000' || meta[1] === '120000') versions.delete(target);
      else versions.set(target, { blob: meta[3]!, commit, added: new Set() });
      if (meta[4]?.startsWith('R') && fields.length > 2) versions.delete(unquoteGitPath(fields[1]!));
    }
  }
}

/**
 * One commit's zero-context patch, `b[start, end)`: per file, the added lines of every hunk (found by the hunk
 * header's counts), joined with a blank line between hunks, plus the map back to file line numbers.
 */
function scanCommitPatch(b: Buffer, start: number, end: number, commit: string, o: CommitScanOptions): void {
  // File sections: `diff --git` (one parent or none) or `diff --cc` (a merge).
  let p = b.indexOf(DIFF, start);
  if (o.versions) recordRawLines(b.toString('utf8', start, p === -1 || p > end ? end : p), commit, o.versions);
  while (p !== -1 && p < end) {
    const nextDiff = b.indexOf(NL_DIFF, p);
    const fileEnd = nextDiff === -1 || nextDiff >= end ? end : nextDiff + 1;
    scanFilePatch(b, p, fileEnd, commit, o);
    p = fileEnd < end ? fileEnd : -1;
  }
}

function scanFilePatch(b: Buffer, start: number, end: number, commit: string, o: CommitScanOptions): void {
  const firstHunk = b.indexOf(NL_HUNK, start); // `@@ ` or, for merges, `@@@ `
  const headerEnd = firstHunk === -1 || firstHunk >= end ? end : firstHunk + 1;
  // The header alone is decoded; the checks below look at it, never further.
  const header = b.toString('utf8', start, headerEnd);
  const plus = header.indexOf('\n+++ ');
  const plusPath = (): string | null => {
    const lineEnd = header.indexOf('\n', plus + 1);
    return pathFromPlusHeader(header.slice(plus + 1, lineEnd === -1 ? header.length - 1 : lineEnd));
  };
  if (header.includes('\nBinary files ')) {
    o.stats.skipped.binary++;
    if (o.versions && plus !== -1) {
      const p = plusPath();
      if (p !== null) o.versions.delete(p);
    }
    return;
  }
  // A symlink's blob is its target path, not content: never scanned (`new file mode 120000`, `index a..b 120000`).
  if (header.includes(' 120000') && /^(?:new file mode|new mode|index \S+) 120000$/m.test(header)) {
    o.stats.skipped.symlink++;
    return;
  }
  if (plus === -1) return; // rename, mode change or deletion only
  const path = plusPath();
  if (path === null) return;
  if (o.isAllowedPath(path)) {
    o.stats.skipped.allowedPath++;
    return;
  }
  const parts: string[] = [];
  const map: number[] = [];
  if (header.startsWith('diff --cc ')) {
    const body = b.toString('utf8', headerEnd, end);
    const merged = combinedAdditions(body, 0, body.length);
    if (merged.bytes > o.maxSize) {
      o.stats.skipped.tooLarge++;
      o.versions?.delete(path);
      return;
    }
    combinedRuns(merged, parts, map);
    finishFile(path, parts, map, merged.bytes, commit, o);
    return;
  }
  // Sizes count characters of the patch text (UTF-16 units), as they did when the whole patch was decoded.
  let size = 0;
  let partialKey = false;
  let q = headerEnd;
  while (q < end && b[q] === AT && b[q + 1] === AT && b[q + 2] === SPACE) {
    const lineEnd = nextLine(b, q, end);
    // (the numbers come first; whatever follows the closing `@@` is the function name git found)
    const h = parseHunkHeader(b.toString('latin1', q, Math.min(lineEnd, q + 96)));
    q = lineEnd;
    if (!h) break;
    for (let k = 0; k < h.removed && q < end;) {
      if (b[q] !== BACKSLASH) k++;
      q = nextLine(b, q, end);
    }
    while (q < end && b[q] === BACKSLASH) q = nextLine(b, q, end);
    const addStart = q;
    for (let k = 0; k < h.count && q < end;) {
      if (b[q] !== BACKSLASH) k++;
      q = nextLine(b, q, end);
    }
    const addEnd = q;
    while (q < end && b[q] === BACKSLASH) q = nextLine(b, q, end);
    if (h.count === 0) continue;
    // The added lines without the first `+` and the last newline.
    const textEnd = b[addEnd - 1] === NL ? addEnd - 1 : addEnd;
    // A NUL byte makes the file binary, as it does in a files scan (git shows a file as text when its first 8 KB
    // hold none). Such lines (images and PDFs saved as .ai, .eps, .svgz) were most of the time some histories took
    // to decode: UTF-8 decoding of invalid bytes is slow.
    if (b.subarray(addStart, textEnd).indexOf(0) !== -1) {
      o.stats.skipped.binary++;
      o.versions?.delete(path);
      return;
    }
    const text = b.toString('utf8', addStart + 1, textEnd);
    size += addEnd - addStart - Math.max(0, textEnd - addStart - 1) + text.length;
    if (size > o.maxSize) {
      o.stats.skipped.tooLarge++;
      o.versions?.delete(path);
      return;
    }
    // (every line in the range is an added line: the loops above left the `\ No newline` markers out)
    const added = text.replace(/\n\+/g, '\n');
    if (parts.length > 0) map.push(h.start);
    if (o.keyBlocks && h.removed > 0 && !partialKey) partialKey = looksLikePartialKeyBody(added);
    parts.push(added);
    for (let k = 0; k < h.count; k++) map.push(h.start + k);
  }
  if (partialKey && o.keyBlocks) {
    const blob = /^index [0-9a-f]+\.\.([0-9a-f]{40,64})/m.exec(header)?.[1];
    if (blob) o.keyBlocks.push({ commit, path, blob, added: new Set(map) });
  }
  finishFile(path, parts, map, size, commit, o);
}

/** Records a file's added lines for SAST and hands its fragment (hunks joined by a blank line) to the detectors. */
function finishFile(
  path: string,
  parts: string[],
  map: number[],
  size: number,
  commit: string,
  o: CommitScanOptions,
): void {
  const version = o.versions?.get(path);
  if (version && version.commit === commit) {
    for (let k = 0; k < map.length; k++) version.added.add(map[k]!);
  }
  if (parts.length === 0) return;
  o.stats.files++;
  o.stats.bytes += size;
  o.onFragment({ path, text: parts.length === 1 ? parts[0]! : parts.join('\n\n'), commit, lineMap: map });
}

const ZERO = /^0+$/;

/**
 * Revisions a push would add to the remote, from git's pre-push stdin (`<local ref> <local sha> <remote ref>
 * <remote sha>` per line): every pushed commit not already on a remote-tracking ref of that remote and not
 * reachable from what the remote had. Deleted refs push nothing; new branches and force pushes are covered by
 * the same exclusion. Returns null when the push adds no commits.
 */
export async function prePushRevs(root: string, input: string, remote: string | undefined): Promise<string[] | null> {
  const include: string[] = [];
  const exclude: string[] = [];
  // Asked up front, alongside the checks below: each git call is a process, and they need not wait for each other.
  const remotesOut = git(['remote'], { cwd: root, allowFailure: true });
  for (const raw of input.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const parts = line.split(/\s+/);
    if (parts.length < 4) {
      throw new CliError(
        `unexpected pre-push input line: "${line.slice(0, 80)}".`,
        'git passes "<local ref> <local sha> <remote ref> <remote sha>" lines; run this from a pre-push hook.',
      );
    }
    const [, localSha, , remoteSha] = parts as [string, string, string, string];
    if (ZERO.test(localSha)) continue; // deleting a remote ref adds nothing
    include.push(localSha);
    if (!ZERO.test(remoteSha)) {
      const known = await git(['cat-file', '-e', `${remoteSha}^{commit}`], { cwd: root, allowFailure: true });
      if (known !== null) exclude.push(remoteSha);
    }
  }
  const remotes = (await remotesOut)?.split('\n').filter(Boolean) ?? [];
  if (include.length === 0) return null;
  if (remote && remotes.includes(remote)) exclude.push(`--remotes=${remote}`);
  else if (!remote) exclude.push('--remotes');
  return [...include, '--not', ...exclude];
}
