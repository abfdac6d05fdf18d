import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
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
  size: number;
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
 */
export async function listFiles(
  root: string,
  cwd: string,
  paths: string[] | undefined,
  inGit: boolean,
  stats: SourceStats,
): Promise<FileEntry[]> {
  const specs = pathspecs(root, cwd, paths);
  const rels: string[] = [];
  if (inGit) {
    const out = await gitBuffer(
      ['--literal-pathspecs', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...specs],
      { cwd: root },
    );
    const seen = new Set<string>();
    for (const p of out.toString('utf8').split('\0')) {
      if (p && !seen.has(p)) {
        seen.add(p);
        rels.push(p);
      }
    }
  } else {
    for (const spec of specs) walk(root, spec === '.' ? '' : spec, rels, stats);
  }
  const entries: FileEntry[] = [];
  for (const rel of rels) {
    const abs = path.join(root, rel);
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      continue; // deleted in the work tree but still in the index
    }
    if (st.isSymbolicLink()) {
      stats.skipped.symlink++;
      continue;
    }
    if (!st.isFile()) continue; // submodules, sockets
    entries.push({ rel, abs, size: st.size });
  }
  return entries;
}

function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

function walk(root: string, rel: string, out: string[], stats: SourceStats): void {
  const abs = path.join(root, rel);
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    throw new CliError(`${rel || root}: no such file or directory.`, 'Check the path and try again.');
  }
  if (st.isSymbolicLink()) {
    out.push(rel); // counted as a skipped symlink by listFiles
    return;
  }
  if (st.isFile()) {
    out.push(rel);
    return;
  }
  if (!st.isDirectory()) return;
  for (const d of readdirSync(abs, { withFileTypes: true })) {
    if (d.name === '.git') continue;
    const child = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) walk(root, child, out, stats);
    else out.push(child);
  }
}

/** Reads one file as a fragment; null (and counted) when it is too large or binary. */
export function readFragment(entry: FileEntry, maxSize: number, stats: SourceStats): Fragment | null {
  if (entry.size > maxSize) {
    stats.skipped.tooLarge++;
    return null;
  }
  let buf: Buffer;
  try {
    buf = readFileSync(entry.abs);
  } catch {
    return null;
  }
  if (buf.length > maxSize) {
    stats.skipped.tooLarge++;
    return null;
  }
  if (isBinary(buf)) {
    stats.skipped.binary++;
    return null;
  }
  stats.files++;
  stats.bytes += buf.length;
  return { path: entry.rel, text: buf.toString('utf8'), commit: null };
}
