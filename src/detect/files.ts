import path from 'node:path';
import { readTextOrNull } from '../core/fs.js';
import { git } from '../core/git.js';

// .github/secure-repo holds the scanner CI installs (written by init): not part of the user's project.
const IGNORED_DIRS =
  /(^|\/)(node_modules|vendor|\.venv|venv|\.tox|target|dist|build|\.terraform)\/|^\.github\/secure-repo\//;

/** The repository's files as git sees them (tracked + untracked not ignored), minus dependency folders. */
export async function listRepoFiles(root: string): Promise<string[]> {
  const out =
    (await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, allowFailure: true })) ??
    '';
  const seen = new Set<string>();
  for (const f of out.split('\0')) if (f && !IGNORED_DIRS.test(f)) seen.add(f);
  return [...seen].sort();
}

/** A view over the file list with cached reads, so each detector asks questions instead of walking the tree. */
export class RepoFiles {
  private readonly cache = new Map<string, Promise<string | null>>();
  readonly set: Set<string>;
  constructor(
    readonly root: string,
    readonly files: string[],
  ) {
    this.set = new Set(files);
  }
  has(rel: string): boolean {
    return this.set.has(rel);
  }
  /** First of the candidates that exists. */
  first(...candidates: string[]): string | null {
    return candidates.find((c) => this.set.has(c)) ?? null;
  }
  byName(re: RegExp): string[] {
    return this.files.filter((f) => re.test(path.posix.basename(f)));
  }
  matching(re: RegExp): string[] {
    return this.files.filter((f) => re.test(f));
  }
  read(rel: string): Promise<string | null> {
    let p = this.cache.get(rel);
    if (!p) {
      p = readTextOrNull(path.join(this.root, rel)).catch(() => null);
      this.cache.set(rel, p);
    }
    return p;
  }
  async readJson<T>(rel: string): Promise<T | null> {
    const text = await this.read(rel);
    if (text === null) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }
}

export function dirOf(rel: string): string {
  const d = path.posix.dirname(rel);
  return d === '' ? '.' : d;
}

/** For a folder that is not a git repository yet: walk it (no symlinks, dependency folders skipped). */
export async function walkFiles(root: string, limit = 50_000): Promise<string[]> {
  const { promises: fsp } = await import('node:fs');
  const out: string[] = [];
  const queue = [''];
  while (queue.length > 0 && out.length < limit) {
    const rel = queue.shift()!;
    const entries = await fsp.readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== '.git' && !IGNORED_DIRS.test(`${child}/`)) queue.push(child);
      } else if (e.isFile()) out.push(child);
    }
  }
  return out.sort();
}
