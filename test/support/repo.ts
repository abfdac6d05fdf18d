import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireFreshBuild } from './dist.js';

/** An isolated HOME and git config, so tests never read or change the developer's own. */
export function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const gitconfig = path.join(home, '.gitconfig');
  writeFileSync(
    gitconfig,
    '[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n',
  );
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GITHUB_TOKEN: '',
    GH_TOKEN: '',
    CI: '1',
    NO_COLOR: '1',
  };
}

export interface TempRepo {
  dir: string;
  home: string;
  env: NodeJS.ProcessEnv;
  git(...args: string[]): string;
  write(files: Record<string, string>): void;
  cleanup(): void;
}

/** A fresh directory (optionally a git repository) with its own HOME. */
export function tempRepo(opts: { git?: boolean; name?: string } = {}): TempRepo {
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'csr-')));
  const home = path.join(base, 'home');
  mkdirSync(home);
  const dir = path.join(base, opts.name ?? 'repo');
  mkdirSync(dir);
  const env = isolatedEnv(home);
  const repo: TempRepo = {
    dir,
    home,
    env,
    git: (...args) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim(),
    write(files) {
      for (const [rel, content] of Object.entries(files)) {
        const file = path.join(dir, rel);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
  if (opts.git !== false) repo.git('init', '-q', '-b', 'main');
  return repo;
}

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/secure-repo.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would. */
export function runCli(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): RunResult {
  requireFreshBuild();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env: opts.env,
    input: opts.input ?? '',
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
