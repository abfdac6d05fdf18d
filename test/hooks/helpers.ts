import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type RunResult, type TempRepo } from '../support/repo.js';

export const FAKE_CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/fake-cli.mjs');

/** Runs git in the repository with the repository's isolated environment (plus extra variables); never throws. */
export function gitRun(r: TempRepo, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): RunResult {
  const res = spawnSync('git', args, {
    cwd: r.dir,
    env: { ...r.env, ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

export function cli(r: TempRepo, args: string[], env: NodeJS.ProcessEnv = {}): RunResult {
  return runCli(args, { cwd: r.dir, env: { ...r.env, ...env } });
}

/** A hook script that appends its name and arguments (and stdin for pre-push) to a log file. */
export function writeLoggingHook(file: string, name: string, log: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const stdin = name.endsWith('pre-push') ? `echo "${name}-stdin $(cat)" >> "${log}"\n` : '';
  writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> "${log}"\n${stdin}`);
  chmodSync(file, 0o755);
}

export function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** A PATH with git and the POSIX tools hooks use, but no node: what a GUI git client may give a hook. */
export function pathWithoutNode(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of ['git', 'sh', 'dirname', 'cat', 'mktemp', 'rm', 'basename']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, path.join(dir, tool));
  }
  return dir;
}

export function headSha(r: TempRepo): string {
  return r.git('rev-parse', 'HEAD');
}
