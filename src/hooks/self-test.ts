import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { git } from '../core/git.js';
import { fakeGitHubToken } from './fake-token.js';

export interface SelfTestOutcome {
  /** pass: git refused the commit and our hook named the staged token. */
  status: 'pass' | 'fail';
  detail: string;
  fix?: string;
}

export interface SelfTestOptions {
  /** Work-tree files to stage in the scratch index as they are now (the files init just wrote, not yet committed). */
  stage?: string[];
  /** The pre-commit framework runs every hook in its config: the others are skipped (SKIP) so none edits a file. */
  preCommitConfig?: string | null;
}

interface Proc {
  code: number;
  output: string;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Proc> {
  return new Promise((resolve) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (output += b.toString('utf8')));
    child.on('error', (err) => resolve({ code: 127, output: output + err.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Hook ids in a pre-commit config other than ours, for SKIP. */
function otherPreCommitIds(text: string | null): string[] {
  if (!text) return [];
  try {
    const data = parseDocument(text).toJSON() as { repos?: { hooks?: { id?: string }[] }[] } | null;
    const ids = (data?.repos ?? [])
      .flatMap((r) => (r?.hooks ?? []).map((h) => h?.id))
      .filter((id): id is string => typeof id === 'string');
    return [...new Set(ids.filter((id) => !id.startsWith('secure-repo')))];
  } catch {
    return [];
  }
}

/**
 * The self-test: a real `git commit` of a staged, format-valid GitHub token must be refused by the hooks.
 *
 * It goes through git itself (core.hooksPath, husky, the pre-commit framework, lefthook: whatever this clone really
 * runs), yet leaves no trace: git runs with a scratch git dir that shares this repository's config, hooks and objects
 * (a `commondir` file, the way linked worktrees do) but has its own detached HEAD, index, COMMIT_EDITMSG and
 * reflog, and every object it writes goes to a scratch object store. Even a commit that gets through lands only
 * there: no branch, ref, reflog entry, index or work-tree file of the repository changes.
 */
export async function commitSelfTest(
  root: string,
  env: NodeJS.ProcessEnv,
  opts: SelfTestOptions = {},
): Promise<SelfTestOutcome> {
  const common = path.resolve(root, await git(['rev-parse', '--git-common-dir'], { cwd: root }));
  const realIndex = path.resolve(root, await git(['rev-parse', '--git-path', 'index'], { cwd: root }));
  const head = await git(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { cwd: root, allowFailure: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'secure-repo-self-test-'));
  const file = `secure-repo-self-test-${randomBytes(4).toString('hex')}.env`;
  // The pre-commit framework stashes work-tree changes it sees against the index; the token file is put in the
  // work tree too for the duration, so the framework finds nothing to stash for it.
  const workFile = opts.preCommitConfig !== undefined ? path.join(root, file) : null;
  try {
    const gitDir = path.join(tmp, 'git');
    const objects = path.join(tmp, 'objects');
    mkdirSync(gitDir);
    mkdirSync(objects);
    writeFileSync(path.join(gitDir, 'commondir'), `${common}\n`);
    // A per-worktree ref (refs/worktree/*) for an unborn repository, so nothing could ever create a shared branch.
    writeFileSync(path.join(gitDir, 'HEAD'), head ? `${head}\n` : 'ref: refs/worktree/secure-repo-self-test\n');
    try {
      copyFileSync(realIndex, path.join(gitDir, 'index'));
    } catch {
      // no index yet: git starts from an empty one
    }
    const base: NodeJS.ProcessEnv = { ...env };
    for (const k of Object.keys(base))
      if (k.startsWith('GIT_') && k !== 'GIT_CONFIG_GLOBAL' && k !== 'GIT_CONFIG_NOSYSTEM' && k !== 'GIT_CONFIG_SYSTEM')
        delete base[k];
    delete base.SECURE_REPO_SKIP;
    const scratch: NodeJS.ProcessEnv = {
      ...base,
      GIT_DIR: gitDir,
      GIT_WORK_TREE: root,
      GIT_OBJECT_DIRECTORY: objects,
      GIT_ALTERNATE_OBJECT_DIRECTORIES: path.join(common, 'objects'),
    };
    const token = `GITHUB_TOKEN = "${fakeGitHubToken()}"\n`;
    if (opts.stage && opts.stage.length > 0) await git(['add', '-f', '--', ...opts.stage], { cwd: root, env: scratch });
    const blob = await git(['hash-object', '-w', '--stdin'], { cwd: root, env: scratch, input: token });
    await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`], { cwd: root, env: scratch });
    if (workFile) writeFileSync(workFile, token);

    const hookEnv: NodeJS.ProcessEnv = {
      ...scratch,
      NO_COLOR: '1',
      // Our runner does not chain to the hooks that ran before it: the test is about ours, and theirs must not see
      // a scratch index.
      SECURE_REPO_SELFTEST: '1',
      GIT_AUTHOR_NAME: env.GIT_AUTHOR_NAME ?? 'secure-repo self-test',
      GIT_AUTHOR_EMAIL: env.GIT_AUTHOR_EMAIL ?? 'self-test@secure-repo.invalid',
      GIT_COMMITTER_NAME: env.GIT_COMMITTER_NAME ?? 'secure-repo self-test',
      GIT_COMMITTER_EMAIL: env.GIT_COMMITTER_EMAIL ?? 'self-test@secure-repo.invalid',
    };
    const skip = otherPreCommitIds(opts.preCommitConfig ?? null);
    if (skip.length > 0) hookEnv.SKIP = skip.join(',');
    const r = await run(
      [
        '-c',
        'gc.auto=0',
        '-c',
        'maintenance.auto=false',
        '-c',
        'commit.gpgsign=false',
        'commit',
        '-q',
        '-m',
        'secure-repo self-test',
      ],
      root,
      hookEnv,
    );
    const named = r.output.includes(file) && /secure-repo/.test(r.output);
    if (r.code !== 0 && named)
      return {
        status: 'pass',
        detail: 'a real `git commit` of a staged GitHub token was refused by the pre-commit hook',
      };
    if (r.code === 0) {
      return {
        status: 'fail',
        detail:
          'a real `git commit` of a staged GitHub token went through: the hooks did not block it (the commit was made in a scratch copy and discarded)',
      };
    }
    const first = r.output.trim().split('\n').filter(Boolean).slice(0, 3).join(' / ');
    return {
      status: 'fail',
      detail: `the commit of a staged GitHub token failed, but not because of secure-repo (exit ${r.code}: ${first})`,
    };
  } finally {
    if (workFile) rmSync(workFile, { force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}
