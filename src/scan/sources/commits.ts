import { CliError } from '../../core/errors.js';
import { git } from '../../core/git.js';
import type { Fragment } from '../types.js';
import { combinedAdditions, combinedRuns } from './combined.js';
import type { GitOutput } from './git-output.js';
import { parseHunkHeader, pathFromPlusHeader, startsWithAt, unquoteGitPath, type SourceStats } from './fragments.js';
import { looksLikePartialKeyBody, type KeyBlockCandidate } from './key-blocks.js';
import { closeHistoryLog, newestFirst, startHistoryLog, takeHistoryLog } from './history-log.js';
import { DIFF, NL_DIFF, NL_MARK, patchBlocks } from './patch-blocks.js';

export interface CommitScanOptions {
  root: string;
  /** Revision arguments for git log: `--all`, `A..B`, `<sha> --not --remotes=origin`. */
  revs: string[];
  maxSize: number;
  stats: SourceStats;
  isAllowedPath: (p: string) => boolean;
  onFragment: (f: Fragment) => void;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Held-back output above which it is joined and searched for a boundary again (tests lower it). */
  maxPending?: number;
  /** Largest read of git's output (tests lower it, so that reads end anywhere in the patch). */
  readBytes?: number;
  /**
   * Read the merges' combined diffs from a second git process running alongside (see MergeStream). Worth it for
   * long histories; a push of a few commits keeps to one process.
   */
  mergesApart?: boolean;
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

/**
 * Past this much output held back with no boundary seen (one huge file, or a boundary split between two reads), it
 * is joined and searched again.
 */
const MAX_PENDING = 32 * 1024 * 1024;

const NL = 10;
const BACKSLASH = 92; // `\ No newline at end of file`
const AT = 64;
const SPACE = 32;
const D = 100; // `d` of `diff --`

/**
 * Streams `git log -p -U0` and turns each commit's added lines per file into one fragment, with a line map back to
 * the file's line numbers. Commits come newest first unless file versions are read (then oldest first); the result
 * says which, for the caller to order what it found. The output is parsed as bytes: only headers and added lines
 * are ever decoded (removed lines, half the patch, are skipped by their newlines). It is parsed as it is read, up
 * to the last file boundary of each read (see patchBlocks), so memory stays bounded whatever the history's length.
 */
export async function scanCommits(o: CommitScanOptions): Promise<{ newestFirst: boolean }> {
  const raw = o.versions !== undefined;
  const apart = o.mergesApart === true;
  const log =
    takeHistoryLog(o.root, o.revs, raw, apart) ??
    (await startHistoryLog(o.root, o.revs, raw, apart, o.readBytes)) ??
    notARepository();
  // (counted while git already runs: a second walk of the graph, for the progress bar only)
  const total = o.onProgress ? await countCommits(o.root, o.revs) : 0;
  const maxPending = o.maxPending ?? MAX_PENDING;
  const out = log.main;
  // Combined diffs cost git about half as much again as the rest of the patch where merges are many (rename
  // detection against every parent): a second process computes them on the other core while this one reads the rest.
  const merges = log.merges ? new MergeStream(log.merges, maxPending) : null;
  const state: BlockState = { commit: null, total, mergesApart: merges !== null };
  try {
    for await (const block of patchBlocks(out.chunks, maxPending)) {
      for (let from = 0; (from = scanBlock(block, o, state, from)) !== -1;) await merges!.scan(state.commit!, o);
    }
    await failed(out);
    if (merges) await merges.finish();
  } finally {
    closeHistoryLog(log);
  }
  return { newestFirst: newestFirst(raw) };
}

function notARepository(): never {
  throw new CliError('not a git repository: a commit scan reads git history.', 'Run it inside a git work tree.');
}

/** Throws the error git reported, if it failed. */
async function failed(out: GitOutput): Promise<void> {
  const { code, stderr } = await out.result();
  if (code === 0) return;
  const msg = stderr.trim().split('\n').slice(-2).join(' ');
  throw new CliError(
    `git log failed: ${msg || `exit code ${code}`}.`,
    'Check the range or refs you passed (e.g. `main..HEAD`), and that the history is not a shallow clone missing them.',
  );
}

const changedWhileRead = (): CliError =>
  new CliError(
    'the history changed while it was read: the two git processes that read it saw different merges (a ref moved).',
    'Run the scan again once fetches or commits in this repository have finished.',
  );

/**
 * The merges' combined diffs, from `git log --merges --cc` over the same revisions and in the same order: git sorts
 * the whole graph and leaves the other commits out only as it writes, so the merges come in the order the main
 * stream names them. Each is scanned when the main stream reaches it, so findings keep their order.
 */
class MergeStream {
  private readonly blocks: AsyncGenerator<Buffer, void, undefined>;
  private rest: Buffer | null = null;

  constructor(
    private readonly out: GitOutput,
    maxPending: number,
  ) {
    this.blocks = patchBlocks(out.chunks, maxPending);
  }

  private async take(): Promise<Buffer | null> {
    if (this.rest) {
      const r = this.rest;
      this.rest = null;
      return r;
    }
    const next = await this.blocks.next();
    return next.done ? null : next.value;
  }

  /** Scans the next merge's combined diff, which must be `commit`'s. */
  async scan(commit: string, o: CommitScanOptions): Promise<void> {
    let b = await this.take();
    if (!b || b[0] !== 1) {
      await failed(this.out);
      throw changedWhileRead();
    }
    const headerEnd = nextLine(b, 0, b.length);
    if (commitOf(b.toString('latin1', 1, headerEnd - 1)) !== commit) throw changedWhileRead();
    let pos = headerEnd;
    for (;;) {
      const next = b.indexOf(NL_MARK, Math.max(0, pos - 1));
      if (next !== -1) {
        scanCommitPatch(b, pos, next + 1, commit, o);
        this.rest = b.subarray(next + 1);
        return;
      }
      scanCommitPatch(b, pos, b.length, commit, o);
      const more = await this.take();
      if (!more) return;
      if (more[0] === 1) {
        this.rest = more;
        return;
      }
      b = more;
      pos = 0;
    }
  }

  /** After the main stream: no merge may be left over, and git must have succeeded. */
  async finish(): Promise<void> {
    const left = await this.take();
    await failed(this.out);
    if (left && left.length > 0) throw changedWhileRead();
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
  /** Merges' patches come from the second process: scanning stops after each merge's marker line. */
  mergesApart: boolean;
}

/** The commit id of a marker line's text (`<id> <parent>...`). */
function commitOf(header: string): string {
  const space = header.indexOf(' ');
  return (space === -1 ? header : header.slice(0, space)).trim();
}

/**
 * Scans a run of complete sections from `from` on: the rest of the current commit, then whole commits (marker line
 * first). Returns -1 at the block's end, or, where merges come apart, where to go on after a merge (its own patch
 * is then read from the merges' stream).
 */
function scanBlock(b: Buffer, o: CommitScanOptions, state: BlockState, from: number): number {
  if (from >= b.length) return -1;
  let pos = from;
  if (b[pos] !== 1) {
    const next = b.indexOf(NL_MARK, pos);
    const end = next === -1 ? b.length : next + 1;
    if (state.commit !== null) scanCommitPatch(b, pos, end, state.commit, o);
    pos = next === -1 ? -1 : next + 1;
  }
  while (pos !== -1 && pos < b.length) {
    const headerEnd = nextLine(b, pos, b.length);
    // (ids and spaces only: latin1 decodes them as well as UTF-8 does, and faster)
    const header = b.toString('latin1', pos + 1, headerEnd - 1);
    state.commit = commitOf(header);
    o.stats.commits++;
    o.onProgress?.(o.stats.commits, state.total);
    const next = b.indexOf(NL_MARK, headerEnd - 1);
    const end = next === -1 ? b.length : next + 1;
    scanCommitPatch(b, headerEnd, end, state.commit, o);
    pos = next === -1 ? -1 : next + 1;
    // A merge: `<id> <parent> <parent>...`.
    if (state.mergesApart && header.trim().split(' ').length > 2) return pos === -1 ? b.length : pos;
  }
  return -1;
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
  while (p !== -1 && p < end) p = scanFilePatch(b, p, end, commit, o);
}

function isDiffLine(b: Buffer, at: number): boolean {
  return b[at] === D && startsWithAt(b, at, DIFF);
}

/** The start of the next file section after `from`, or `limit`, by search (for a section not walked hunk by hunk). */
function sectionEnd(b: Buffer, from: number, limit: number): number {
  if (from >= limit || isDiffLine(b, from)) return Math.min(from, limit);
  const next = b.indexOf(NL_DIFF, from);
  return next === -1 || next >= limit ? limit : next + 1;
}

/**
 * One file section from `start` (its `diff --` line), in a commit's patch that ends at `end`. Returns where the next
 * section starts (or `end`). The end is found by walking the hunks by their line counts, so the section's bytes are
 * not searched a second time for the next `diff --`; where the walk stops elsewhere, the search is the fallback.
 */
function scanFilePatch(b: Buffer, start: number, end: number, commit: string, o: CommitScanOptions): number {
  // The header runs to the first hunk (`@@ `, or `@@@ ` for merges) or to the next section, if it has no hunks.
  let headerEnd = nextLine(b, start, end);
  while (headerEnd < end && !(b[headerEnd] === AT && b[headerEnd + 1] === AT) && !isDiffLine(b, headerEnd)) {
    headerEnd = nextLine(b, headerEnd, end);
  }
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
    return sectionEnd(b, headerEnd, end);
  }
  // A symlink's blob is its target path, not content: never scanned (`new file mode 120000`, `index a..b 120000`).
  if (header.includes(' 120000') && /^(?:new file mode|new mode|index \S+) 120000$/m.test(header)) {
    o.stats.skipped.symlink++;
    return sectionEnd(b, headerEnd, end);
  }
  if (plus === -1) return sectionEnd(b, headerEnd, end); // rename, mode change or deletion only
  const path = plusPath();
  if (path === null) return sectionEnd(b, headerEnd, end);
  if (o.isAllowedPath(path)) {
    o.stats.skipped.allowedPath++;
    return sectionEnd(b, headerEnd, end);
  }
  const parts: string[] = [];
  const map: number[] = [];
  if (header.startsWith('diff --cc ')) {
    const fileEnd = sectionEnd(b, headerEnd, end);
    const body = b.toString('utf8', headerEnd, fileEnd);
    const merged = combinedAdditions(body, 0, body.length);
    if (merged.bytes > o.maxSize) {
      o.stats.skipped.tooLarge++;
      o.versions?.delete(path);
      return fileEnd;
    }
    combinedRuns(merged, parts, map);
    finishFile(path, parts, map, merged.bytes, commit, o);
    return fileEnd;
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
      return sectionEnd(b, q, end);
    }
    const text = b.toString('utf8', addStart + 1, textEnd);
    size += addEnd - addStart - Math.max(0, textEnd - addStart - 1) + text.length;
    if (size > o.maxSize) {
      o.stats.skipped.tooLarge++;
      o.versions?.delete(path);
      return sectionEnd(b, q, end);
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
  return sectionEnd(b, q, end);
}

/**
 * Records a file's added lines for SAST and hands its fragment (hunks joined by a blank line) to the detectors.
 * (The tests' string parser, which checks this one's reading of the patch, hands its files over through it too.)
 */
export function finishFile(
  path: string,
  parts: string[],
  map: number[],
  size: number,
  commit: string,
  o: Pick<CommitScanOptions, 'versions' | 'stats' | 'onFragment'>,
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
