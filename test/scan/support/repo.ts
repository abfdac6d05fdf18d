import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng, type Rng } from '../../../src/scan/secrets/random.js';
import { BUILTIN_RULES } from '../../../src/scan/secrets/rules/index.js';

/**
 * Git in tests never sees the developer's config: HOME and GIT_CONFIG_GLOBAL point into a temp folder, set for
 * this test process (vitest runs each file in its own fork) and for every git the scanner spawns.
 */
export async function isolateGit(): Promise<string> {
  const home = await fsp.mkdtemp(path.join(os.tmpdir(), 'sr-home-'));
  process.env.HOME = home;
  process.env.GIT_CONFIG_GLOBAL = path.join(home, '.gitconfig');
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  delete process.env.GIT_DIR;
  await fsp.writeFile(
    process.env.GIT_CONFIG_GLOBAL,
    '[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n',
  );
  return home;
}

export function sh(cwd: string, cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function gitIn(cwd: string, ...args: string[]): string {
  return sh(cwd, 'git', args).trim();
}

export async function newRepo(prefix = 'sr-repo-'): Promise<string> {
  const dir = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), prefix)));
  gitIn(dir, 'init', '-q');
  return dir;
}

export async function write(dir: string, rel: string, content: string | Buffer): Promise<void> {
  await fsp.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await fsp.writeFile(path.join(dir, rel), content);
}

/** Writes FILES (path → text) and commits everything with MESSAGE; returns the new commit's id. */
export async function commitFiles(dir: string, files: Record<string, string>, message: string): Promise<string> {
  for (const [rel, text] of Object.entries(files)) await write(dir, rel, text);
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-qm', message);
  return gitIn(dir, 'rev-parse', 'HEAD');
}

/** Format-valid credentials minted at run time, so the repository never holds a literal one. */
export function mint(ruleId: string, seed = 1): string {
  const rule = BUILTIN_RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule.sample(createRng(seed));
}

export function rng(seed: number): Rng {
  return createRng(seed);
}
