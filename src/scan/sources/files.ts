import {
  closeSync,
  constants as fsConstants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  type Dirent,
} from 'node:fs';
import path from 'node:path';
import { CliError } from '../../core/errors.js';
import { toPosix } from '../../core/fs.js';
import { gitBuffer } from '../../core/git.js';
import type { Fragment } from '../types.js';
import { isBinary, type SourceStats } from './fragments.js';

export interface FileEntry {
  /** Root-relative POSIX path. */
  rel: string;
  abs: string;
  /** Bytes, when the listing learnt them anyway; otherwise reading the file tells (see readFragment). */
  size?: number;
}

/** Root-relative pathspecs for the PATH arguments (relative to cwd); refuses paths outside the root. */
function pathspecs(root: string, cwd: string, paths: string[] | undefined): string[] {
  const list = paths && paths.length > 0 ? paths : ['.'];
  return list.map((p) => {
    const abs = path.resolve(cwd, p);
    // A mistyped path must not look like a clean scan.
    if (!existsSync(abs) && !lstatOrNull(abs))
      throw new CliError(`${p}: no such file or directory.`, 'Check the path and try again.');
    const rel = path.relative(root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new CliError(
        `${p} is outside the repository being scanned (${root}).`,
        'Run the scan from inside that repository, or pass paths within it.',
      );
    }
    return rel === '' ? '.' : toPosix(rel);
  });
}

/**
 * Candidate files: inside a git work tree, the tracked files plus untracked ones git does not ignore;
 * elsewhere, every regular file under each path. Symlinks are never followed (counted as skipped).
 * `onListed` sees the paths as soon as they are known, before their types are checked (a large tree can start its
 * scan workers then).
 */
export async function listFiles(
  root: string,
  cwd: string,
  paths: string[] | undefined,
  inGit: boolean,
  stats: SourceStats,
  onListed?: (candidates: readonly FileEntry[]) => void,
): Promise<FileEntry[]> {
  const specs = pathspecs(root, cwd, paths);
  const entries: FileEntry[] = [];
  if (!inGit) {
    for (const spec of specs) walk(root, spec === '.' ? '' : spec, entries, stats);
    onListed?.(entries);
    return entries;
  }
  const out = await gitBuffer(
    ['--literal-pathspecs', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...specs],
    { cwd: root },
  );
  // git's paths are normalised already: joining by hand spares path.join's normalisation on every file.
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  const seen = new Set<string>();
  const candidates: FileEntry[] = [];
  for (const rel of out.toString('utf8').split('\0')) {
    if (!rel || seen.has(rel)) continue;
    seen.add(rel);
    candidates.push({ rel, abs: `${base}${rel}` });
  }
  onListed?.(candidates);
  // Opening each file tells symlinks and directories apart (see readWhole). Elsewhere file types come from one
  // readdir per directory rather than one lstat per file: on a large tree the stat calls cost more than reading
  // the files does.
  if (OPEN_TELLS_TYPE) return candidates;
  const dirs = new Map<string, Map<string, Dirent>>();
  for (const e of candidates) {
    const rel = e.rel;
    const slash = rel.lastIndexOf('/');
    const dir = slash === -1 ? '' : rel.slice(0, slash);
    let listing = dirs.get(dir);
    if (listing === undefined) {
      listing = direntsByName(path.join(root, dir));
      dirs.set(dir, listing);
    }
    const d = listing.get(rel.slice(slash + 1));
    if (!d) continue; // deleted in the work tree but still in the index
    if (d.isSymbolicLink()) {
      stats.skipped.symlink++;
      continue;
    }
    if (!d.isFile()) continue; // submodules, sockets
    entries.push(e);
  }
  return entries;
}

function direntsByName(dir: string): Map<string, Dirent> {
  const byName = new Map<string, Dirent>();
  try {
    for (const d of readdirSync(dir, { withFileTypes: true })) byName.set(d.name, d);
  } catch {
    // a directory gone since git listed it: its files count as deleted
  }
  return byName;
}

function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

function walk(root: string, rel: string, out: FileEntry[], stats: SourceStats): void {
  const abs = path.join(root, rel);
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    throw new CliError(`${rel || root}: no such file or directory.`, 'Check the path and try again.');
  }
  if (st.isSymbolicLink()) stats.skipped.symlink++;
  else if (st.isFile()) out.push({ rel, abs, size: st.size });
  else if (st.isDirectory()) walkDir(root, rel, out, stats);
}

function walkDir(root: string, rel: string, out: FileEntry[], stats: SourceStats): void {
  for (const d of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    if (d.name === '.git') continue;
    const child = rel ? `${rel}/${d.name}` : d.name;
    if (d.isSymbolicLink()) stats.skipped.symlink++;
    else if (d.isDirectory()) walkDir(root, child, out, stats);
    else if (d.isFile()) out.push({ rel: child, abs: path.join(root, child) });
  }
}

/** Reused across files: a scan reads thousands of small files, and one buffer spares an allocation per file. */
let scratch = Buffer.allocUnsafe(256 * 1024);

/**
 * Opening with O_NOFOLLOW refuses a symlink (ELOOP) and O_NONBLOCK never waits on a FIFO, so opening a listed path
 * tells its type: the listing need not read every directory to find symlinks. Not on Windows (no O_NOFOLLOW).
 */
const NOFOLLOW = fsConstants.O_NOFOLLOW as number | undefined;
const OPEN_FLAGS = NOFOLLOW === undefined ? 'r' : fsConstants.O_RDONLY | NOFOLLOW | (fsConstants.O_NONBLOCK ?? 0);
const OPEN_TELLS_TYPE = NOFOLLOW !== undefined;

/** readWhole's answer for a symlink (only where OPEN_TELLS_TYPE). */
const SYMLINK = -2;

/**
 * Reads a whole file with as few system calls as it can: open, one read (a short read is the end of a regular
 * file), close. Only a file that fills the buffer is measured (fstat), so a huge one is never read, and only an
 * empty read checks that it was a regular file (a FIFO reads as empty). Returns the byte count, maxSize + 1 for a
 * file over the limit, SYMLINK, or -1 when it cannot be read (a directory, a socket, gone).
 */
function readWhole(abs: string, maxSize: number): number {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ELOOP' && OPEN_TELLS_TYPE ? SYMLINK : -1;
  }
  try {
    let n = 0;
    for (;;) {
      if (n === scratch.length) {
        if (n > maxSize) return maxSize + 1;
        const size = fstatSync(fd).size;
        if (size > maxSize) return maxSize + 1;
        const bigger = Buffer.allocUnsafe(Math.min(Math.max(scratch.length * 2, size + 1), maxSize + 1));
        scratch.copy(bigger, 0, 0, n);
        scratch = bigger;
      }
      const want = scratch.length - n;
      const got = readSync(fd, scratch, n, want, null);
      n += got;
      if (got < want) {
        if (n === 0 && !fstatSync(fd).isFile()) return -1;
        return n > maxSize ? maxSize + 1 : n;
      }
    }
  } catch {
    return -1; // a directory, or an I/O error
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads one file's bytes: a view on a buffer shared by every read, valid until the next one. Null (and counted)
 * when the file is too large or binary.
 */
export function readFileBytes(entry: FileEntry, maxSize: number, stats: SourceStats): Buffer | null {
  if (entry.size !== undefined && entry.size > maxSize) {
    stats.skipped.tooLarge++;
    return null;
  }
  const n = readWhole(entry.abs, maxSize);
  if (n === SYMLINK) stats.skipped.symlink++;
  if (n < 0) return null;
  if (n > maxSize) {
    stats.skipped.tooLarge++;
    return null;
  }
  const bytes = scratch.subarray(0, n);
  if (isBinary(bytes)) {
    stats.skipped.binary++;
    return null;
  }
  stats.files++;
  stats.bytes += n;
  return bytes;
}

/** Reads one file as a fragment; null (and counted) when it is too large or binary. */
export function readFragment(entry: FileEntry, maxSize: number, stats: SourceStats): Fragment | null {
  const bytes = readFileBytes(entry, maxSize, stats);
  return bytes && { path: entry.rel, text: bytes.toString('utf8'), commit: null, disk: entry.abs };
}
