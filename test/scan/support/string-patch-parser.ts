/**
 * The commit-patch parser as it was before it worked on bytes: the whole `git log` output decoded to one string,
 * then parsed as text. Tests run it beside the byte parser on the same output and expect the same fragments,
 * counters, key-block candidates and file versions, so any change in what the byte parser reads shows up here.
 * One fix is carried over (see the hunk loop): added lines that begin with a backslash are kept.
 */
import { finishFile, type FileVersion } from '../../../src/scan/sources/commits.js';
import { combinedAdditions, combinedRuns } from '../../../src/scan/sources/combined.js';
import {
  parseHunkHeader,
  pathFromPlusHeader,
  unquoteGitPath,
  type SourceStats,
} from '../../../src/scan/sources/fragments.js';
import { looksLikePartialKeyBody, type KeyBlockCandidate } from '../../../src/scan/sources/key-blocks.js';
import type { Fragment } from '../../../src/scan/types.js';

const COMMIT_MARK = '\x01';

export interface OracleOptions {
  maxSize: number;
  stats: SourceStats;
  isAllowedPath: (p: string) => boolean;
  onFragment: (f: Fragment) => void;
  onProgress?: ((done: number, total: number) => void) | undefined;
  versions?: Map<string, FileVersion>;
  keyBlocks?: KeyBlockCandidate[];
}

/** Parses the whole output of the scan's `git log` (as bytes, decoded here at once, as the stream decoder did). */
export function parseWholeLog(output: Buffer, o: OracleOptions): void {
  const state: BlockState = { commit: null, total: 0 };
  const text = output.toString('utf8');
  if (text) scanBlock(text, o, state);
}

/** Index just past the line that contains `pos` (or `end`). */
function nextLine(text: string, pos: number, end: number): number {
  const nl = text.indexOf('\n', pos);
  return nl === -1 || nl >= end ? end : nl + 1;
}

interface BlockState {
  /** The commit whose patch is being read (output of one commit can span blocks). */
  commit: string | null;
  total: number;
}

/** Scans a run of complete file sections: the rest of the current commit, then whole commits (marker line first). */
function scanBlock(text: string, o: OracleOptions, state: BlockState): void {
  let pos = 0;
  if (text.charCodeAt(0) !== 1) {
    const next = text.indexOf(`\n${COMMIT_MARK}`);
    const end = next === -1 ? text.length : next + 1;
    if (state.commit !== null) scanCommitPatch(text, 0, end, state.commit, o);
    pos = next === -1 ? -1 : next + 1;
  }
  while (pos !== -1 && pos < text.length) {
    const headerEnd = nextLine(text, pos, text.length);
    state.commit = text
      .slice(pos + 1, headerEnd - 1)
      .trim()
      .split(' ')[0]!;
    o.stats.commits++;
    o.onProgress?.(o.stats.commits, state.total);
    const next = text.indexOf(`\n${COMMIT_MARK}`, headerEnd - 1);
    const end = next === -1 ? text.length : next + 1;
    scanCommitPatch(text, headerEnd, end, state.commit, o);
    pos = next === -1 ? -1 : next + 1;
  }
}

/**
 * `--raw` lines (`:old new oldsha newsha status<TAB>path[<TAB>path]`) name the blob of each file's new version.
 * A deleted file has no version any more.
 */
function recordRawLines(
  text: string,
  start: number,
  end: number,
  commit: string,
  versions: Map<string, FileVersion>,
): void {
  let q = start;
  while (q < end) {
    const lineEnd = nextLine(text, q, end);
    if (text.charCodeAt(q) === 58 /* : */) {
      const fields = text.slice(q, lineEnd).replace(/\n$/, '').split('\t');
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
    q = lineEnd;
  }
}

/**
 * One commit's zero-context patch: per file, the added lines of every hunk (found by the hunk header's counts, so
 * no per-line string work), joined with a blank line between hunks, plus the map back to file line numbers.
 */
function scanCommitPatch(text: string, start: number, end: number, commit: string, o: OracleOptions): void {
  // File sections: `diff --git` (one parent or none) or `diff --cc` (a merge).
  let p = text.indexOf('diff --', start);
  if (o.versions) recordRawLines(text, start, p === -1 || p > end ? end : p, commit, o.versions);
  while (p !== -1 && p < end) {
    const nextDiff = text.indexOf('\ndiff --', p);
    const fileEnd = nextDiff === -1 || nextDiff >= end ? end : nextDiff + 1;
    scanFilePatch(text, p, fileEnd, commit, o);
    p = fileEnd < end ? fileEnd : -1;
  }
}

function scanFilePatch(text: string, start: number, end: number, commit: string, o: OracleOptions): void {
  const firstHunk = text.indexOf('\n@@', start); // `@@ ` or, for merges, `@@@ `
  const headerEnd = firstHunk === -1 || firstHunk >= end ? end : firstHunk + 1;
  // Header checks look at the header alone: an unbounded indexOf would rescan the rest of the block per file.
  const header = text.slice(start, headerEnd);
  if (header.includes('\nBinary files ')) {
    o.stats.skipped.binary++;
    const plusPath = text.indexOf('\n+++ ', start);
    if (o.versions && plusPath !== -1 && plusPath < headerEnd) {
      const p = pathFromPlusHeader(text.slice(plusPath + 1, nextLine(text, plusPath + 1, headerEnd) - 1));
      if (p !== null) o.versions.delete(p);
    }
    return;
  }
  // A symlink's blob is its target path, not content: never scanned (`new file mode 120000`, `index a..b 120000`).
  if (header.includes(' 120000') && /^(?:new file mode|new mode|index \S+) 120000$/m.test(header)) {
    o.stats.skipped.symlink++;
    return;
  }
  const plus = text.indexOf('\n+++ ', start);
  if (plus === -1 || plus >= headerEnd) return; // rename, mode change or deletion only
  const path = pathFromPlusHeader(text.slice(plus + 1, nextLine(text, plus + 1, headerEnd) - 1));
  if (path === null) return;
  if (o.isAllowedPath(path)) {
    o.stats.skipped.allowedPath++;
    return;
  }
  const parts: string[] = [];
  const map: number[] = [];
  if (text.startsWith('diff --cc ', start)) {
    const merged = combinedAdditions(text, headerEnd, end);
    if (merged.bytes > o.maxSize) {
      o.stats.skipped.tooLarge++;
      o.versions?.delete(path);
      return;
    }
    combinedRuns(merged, parts, map);
    finishFile(path, parts, map, merged.bytes, commit, o);
    return;
  }
  let size = 0;
  let partialKey = false;
  let q = headerEnd;
  while (q < end && text.startsWith('@@ ', q)) {
    const lineEnd = nextLine(text, q, end);
    const h = parseHunkHeader(text.slice(q, lineEnd));
    q = lineEnd;
    if (!h) break;
    for (let k = 0; k < h.removed && q < end;) {
      if (text.charCodeAt(q) !== 92 /* \ no newline marker */) k++;
      q = nextLine(text, q, end);
    }
    while (q < end && text.charCodeAt(q) === 92) q = nextLine(text, q, end);
    const addStart = q;
    for (let k = 0; k < h.count && q < end;) {
      if (text.charCodeAt(q) !== 92) k++;
      q = nextLine(text, q, end);
    }
    const addEnd = q;
    while (q < end && text.charCodeAt(q) === 92) q = nextLine(text, q, end);
    if (h.count === 0) continue;
    size += addEnd - addStart;
    if (size > o.maxSize) {
      o.stats.skipped.tooLarge++;
      o.versions?.delete(path);
      return;
    }
    const added = text
      .slice(addStart + 1, text.charCodeAt(addEnd - 1) === 10 ? addEnd - 1 : addEnd)
      .replace(/\n\+/g, '\n');
    // (the one change since: added lines that begin with a backslash were dropped here as if they were `\ No
    // newline` markers, which the loops above never leave in the range)
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
