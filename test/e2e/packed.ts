import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { requireFreshBuild } from '../support/dist.js';
import { isolatedEnv, tempRepo, type TempRepo } from '../support/repo.js';

export const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** npm's cache for these tests: outside the source tree and outside $HOME, reused between runs. */
export const NPM_CACHE = path.join(os.tmpdir(), 'secure-repo-e2e-npm-cache');

export function npmEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...base,
    npm_config_cache: NPM_CACHE,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

export interface Packed {
  dir: string;
  tarball: string;
  /** The CLI entry of the tarball installed into a tool prefix (what `npx create-secure-repo` would run). */
  cli: string;
  /** bin folder of the tool prefix (lefthook is there too). */
  bin: string;
}

/** `npm pack` the built package once, and install the tarball (plus lefthook) into a throwaway prefix. */
export function packAndInstall(env: NodeJS.ProcessEnv): Packed {
  requireFreshBuild();
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'csr-e2e-')));
  const packDir = path.join(dir, 'pack');
  mkdirSync(packDir);
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], {
    cwd: PROJECT,
    env: npmEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tgz = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error('npm pack produced no tarball');
  const tarball = path.join(packDir, tgz);
  const prefix = path.join(dir, 'tool');
  mkdirSync(prefix);
  execFileSync(
    'npm',
    ['install', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball, 'lefthook@2.2.1'],
    { env: npmEnv(env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return {
    dir,
    tarball,
    cli: path.join(prefix, 'node_modules', 'create-secure-repo', 'bin', 'secure-repo.js'),
    bin: path.join(prefix, 'node_modules', '.bin'),
  };
}

/**
 * For a suite that runs the packed tarball: packs and installs it once before the suite, and removes it and the
 * suite's repositories (collected in `repos`) after. Returns the installed tool, available inside the tests.
 */
export function usePackedTarball(repos: TempRepo[]): () => Packed {
  let packed: Packed | undefined;
  beforeAll(() => {
    const scratch = tempRepo({ git: false });
    repos.push(scratch);
    packed = packAndInstall(isolatedEnv(scratch.home));
  }, 240_000);
  afterAll(() => {
    for (const r of repos.splice(0)) r.cleanup();
    if (packed) rmSync(packed.dir, { recursive: true, force: true });
  });
  return () => {
    if (!packed) throw new Error('the packed tarball is not installed (beforeAll did not run)');
    return packed;
  };
}
