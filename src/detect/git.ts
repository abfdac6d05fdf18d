import path from 'node:path';
import { promises as fsp, constants } from 'node:fs';
import { CliError } from '../core/errors.js';
import { git } from '../core/git.js';

export interface GitBasics {
  root: string;
  gitDir: string;
  gitCommonDir: string;
  head: { branch: string | null; detached: boolean; hasCommits: boolean; sha: string | null };
  defaultBranch: string;
  dirty: string[];
}

/**
 * Whether DIR is a usable folder, or does not exist yet (init creates new projects). A file or an unreadable
 * folder is an error with a message that says what to do.
 */
export async function folderState(dir: string): Promise<'folder' | 'missing'> {
  const st = await fsp.stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new CliError(`cannot read ${dir} (${err.code}).`, 'Check the path and its permissions.');
  });
  if (st === null) return 'missing';
  if (!st.isDirectory())
    throw new CliError(`${dir} is a file, not a folder.`, 'Pass the folder of the repository to set up.');
  await fsp.access(dir, constants.R_OK | constants.X_OK).catch(() => {
    throw new CliError(`${dir} is not readable.`, 'Check its permissions (and that you own it).');
  });
  return 'folder';
}

/** Checks DIR is an existing, usable folder before anything else. */
export async function checkDir(dir: string): Promise<void> {
  if ((await folderState(dir)) === 'missing')
    throw new CliError(`${dir} does not exist.`, 'Create it, or pass a folder that exists.');
}

/** A bare repository has no work tree: nothing to set up there. */
export async function refuseBare(dir: string): Promise<void> {
  if (await isBare(dir))
    throw new CliError(
      `${dir} is a bare repository: it has no work tree to set up.`,
      'Clone it (git clone) and run this in the clone.',
    );
}

export { isWorkTree } from '../core/git.js';

async function isBare(dir: string): Promise<boolean> {
  return (await git(['rev-parse', '--is-bare-repository'], { cwd: dir, allowFailure: true })) === 'true';
}

export async function readGitBasics(dir: string): Promise<GitBasics> {
  await refuseBare(dir);
  const out = await git(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir'], {
    cwd: dir,
    allowFailure: true,
  });
  if (out === null)
    throw new CliError(
      `${dir} is not inside a git repository.`,
      'Run `git init` there first, or pass --yes to let init do it.',
    );
  const [root = dir, gitDir = '', commonRaw = ''] = out.split('\n');
  const gitCommonDir = path.resolve(dir, commonRaw);
  const branch = await git(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: root, allowFailure: true });
  const sha = await git(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], { cwd: root, allowFailure: true });
  const originHead = await git(['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD'], {
    cwd: root,
    allowFailure: true,
  });
  const initDefault = await git(['config', '--get', 'init.defaultBranch'], { cwd: root, allowFailure: true });
  const defaultBranch = originHead?.replace(/^origin\//, '') || branch || initDefault || 'main';
  const status =
    (await git(['status', '--porcelain=v1', '-z', '--untracked-files=no'], {
      cwd: root,
      allowFailure: true,
      env: { GIT_OPTIONAL_LOCKS: '0' },
    })) ?? '';
  const dirty = status
    .split('\0')
    .filter(Boolean)
    .map((l) => l.slice(3));
  return {
    root,
    gitDir,
    gitCommonDir,
    head: { branch: branch || null, detached: !branch, hasCommits: Boolean(sha), sha: sha || null },
    defaultBranch,
    dirty,
  };
}
