import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { CliError } from '../../core/errors.js';
import { git } from '../../core/git.js';
import type { Fragment } from '../types.js';
import { parseHunkHeader, pathFromPlusHeader, type SourceStats } from './fragments.js';

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
}

/** How many commits the revision arguments select (for the progress bar). */
export async function countCommits(root: string, revs: string[]): Promise<number> {
  const out = await git(['rev-list', '--count', ...revs], { cwd: root });
  return Number(out.trim()) || 0;
}

/**
 * Streams `git log -p -U0` oldest first and turns each commit's added lines per file into one fragment, with a
 * line map back to the file's line numbers. Memory stays bounded by the largest single file change.
 */
export async function scanCommits(o: CommitScanOptions): Promise<void> {
  const total = o.onProgress ? await countCommits(o.root, o.revs) : 0;
  const args = [
    '-c', 'core.quotePath=true',
    'log', '-p', '-U0', '--reverse', '--no-color', '--no-ext-diff', '--no-textconv',
    `--format=${COMMIT_MARK}%H`, ...o.revs, '--',
  ];
  const child = spawn('git', args, { cwd: o.root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));

  let commit: string | null = null;
  let file: string | null = null;
  let inHunk = false;
  let nextLine = 0;
  let lines: string[] = [];
  let map: number[] = [];
  let size = 0;
  let tooLarge = false;

  const flush = (): void => {
    if (file !== null && commit !== null && lines.length > 0) {
      if (tooLarge) o.stats.skipped.tooLarge++;
      else {
        o.stats.files++;
        o.stats.bytes += size;
        o.onFragment({ path: file, text: lines.join('\n'), commit, lineMap: map });
      }
    }
    file = null;
    lines = [];
    map = [];
    size = 0;
    tooLarge = false;
  };

  const onLine = (line: string): void => {
    if (line.charCodeAt(0) === 1) {
      flush();
      commit = line.slice(1);
      inHunk = false;
      o.stats.commits++;
      o.onProgress?.(o.stats.commits, total);
      return;
    }
    if (line.startsWith('diff --git ')) {
      flush();
      inHunk = false;
      return;
    }
    if (!inHunk) {
      if (line.startsWith('+++ ')) {
        const p = pathFromPlusHeader(line);
        file = p !== null && !o.isAllowedPath(p) ? p : null;
        if (p !== null && file === null) o.stats.skipped.allowedPath++;
      } else if (line.startsWith('Binary files ')) {
        o.stats.skipped.binary++;
      } else if (line.startsWith('@@ ')) {
        inHunk = true;
        nextLine = parseHunkHeader(line)?.start ?? 1;
        if (lines.length > 0) (lines.push(''), map.push(nextLine));
      }
      return;
    }
    const c = line.charCodeAt(0);
    if (c === 43 /* + */) {
      if (file === null || tooLarge) {
        nextLine++;
        return;
      }
      const text = line.slice(1);
      size += text.length + 1;
      if (size > o.maxSize) {
        tooLarge = true;
        lines = [];
        map = [];
        return;
      }
      lines.push(text);
      map.push(nextLine++);
    } else if (line.startsWith('@@ ')) {
      nextLine = parseHunkHeader(line)?.start ?? nextLine;
      if (lines.length > 0) (lines.push(''), map.push(nextLine));
    }
  };

  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      onLine(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest) onLine(rest);
  flush();
  const code: number = await new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    const msg = stderr.trim().split('\n').slice(-2).join(' ');
    throw new CliError(`git log failed: ${msg || `exit code ${code}`}.`, 'Check the range or refs you passed (e.g. `main..HEAD`), and that the history is not a shallow clone missing them.');
  }
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
  for (const raw of input.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const parts = line.split(/\s+/);
    if (parts.length < 4) {
      throw new CliError(`unexpected pre-push input line: "${line.slice(0, 80)}".`, 'git passes "<local ref> <local sha> <remote ref> <remote sha>" lines; run this from a pre-push hook.');
    }
    const [, localSha, , remoteSha] = parts as [string, string, string, string];
    if (ZERO.test(localSha)) continue; // deleting a remote ref adds nothing
    include.push(localSha);
    if (!ZERO.test(remoteSha)) {
      const known = await git(['cat-file', '-e', `${remoteSha}^{commit}`], { cwd: root, allowFailure: true });
      if (known !== null) exclude.push(remoteSha);
    }
  }
  if (include.length === 0) return null;
  const remotes = (await git(['remote'], { cwd: root, allowFailure: true }))?.split('\n').filter(Boolean) ?? [];
  if (remote && remotes.includes(remote)) exclude.push(`--remotes=${remote}`);
  else if (!remote) exclude.push('--remotes');
  return [...include, '--not', ...exclude];
}
