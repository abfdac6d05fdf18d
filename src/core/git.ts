import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliError } from './errors.js';
import { timed } from './timing.js';

export interface GitOptions {
  cwd: string;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  /** Return null instead of throwing when git exits non-zero. */
  allowFailure?: boolean;
}

const MAX_BUFFER = 1024 * 1024 * 1024;

/** Runs git and returns stdout as a Buffer. Throws CliError (exit 2) on failure unless allowFailure. */
export function gitBuffer(args: string[], opts: GitOptions & { allowFailure: true }): Promise<Buffer | null>;
export function gitBuffer(args: string[], opts: GitOptions): Promise<Buffer>;
export function gitBuffer(args: string[], opts: GitOptions): Promise<Buffer | null> {
  return timed(`git ${args[0] ?? ''}`, () => runGit(args, opts));
}

function runGit(args: string[], opts: GitOptions): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd: opts.cwd, env: { ...process.env, ...opts.env }, maxBuffer: MAX_BUFFER, encoding: 'buffer' },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        if (opts.allowFailure) return resolve(null);
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(new CliError('git is not installed or not on PATH.', 'Install git and try again.'));
        }
        const msg = stderr.toString('utf8').trim().split('\n').slice(-3).join(' ');
        reject(new CliError(`git ${args[0]} failed: ${msg || err.message}`));
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs git and returns stdout as UTF-8 text with the trailing newline removed. */
export function git(args: string[], opts: GitOptions & { allowFailure: true }): Promise<string | null>;
export function git(args: string[], opts: GitOptions): Promise<string>;
export async function git(args: string[], opts: GitOptions): Promise<string | null> {
  const out = await gitBuffer(args, opts);
  return out === null ? null : out.toString('utf8').replace(/\n$/, '');
}

/** The root of the work tree containing DIR, or null outside one. */
export function workTreeRoot(dir: string): Promise<string | null> {
  return git(['rev-parse', '--show-toplevel'], { cwd: dir, allowFailure: true });
}

/**
 * The work tree root and the absolute git dir (where per-clone caches live); null outside a work tree. git runs
 * hooks from the top of the work tree, so there the answer is on disk: DIR holds `.git`, a folder or a file naming
 * a linked worktree's git dir, and nothing in the environment points git elsewhere. Anywhere else: one git call.
 */
export async function repoDirs(dir: string): Promise<{ root: string; gitDir: string } | null> {
  if (!process.env.GIT_DIR && !process.env.GIT_WORK_TREE && !process.env.GIT_COMMON_DIR) {
    const dotGit = path.join(dir, '.git');
    const st = statSync(dotGit, { throwIfNoEntry: false });
    if (st?.isDirectory() && statSync(path.join(dotGit, 'HEAD'), { throwIfNoEntry: false })?.isFile())
      return { root: dir, gitDir: dotGit };
    if (st?.isFile()) {
      const named = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      if (named) return { root: dir, gitDir: path.resolve(dir, named) };
    }
  }
  const out = await git(['rev-parse', '--show-toplevel', '--absolute-git-dir'], { cwd: dir, allowFailure: true });
  const [root, gitDir] = out?.split('\n') ?? [];
  return root && gitDir ? { root, gitDir } : null;
}

/** The repository's shared git dir: a linked worktree's git dir names it in its `commondir` file. */
export function commonGitDir(gitDir: string): string {
  try {
    return path.resolve(gitDir, readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    return gitDir;
  }
}

/** True when DIR is inside a git work tree. */
export async function isWorkTree(dir: string): Promise<boolean> {
  return (await git(['rev-parse', '--is-inside-work-tree'], { cwd: dir, allowFailure: true })) === 'true';
}
