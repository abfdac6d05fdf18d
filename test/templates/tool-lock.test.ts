import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { npmEnv, PROJECT } from '../e2e/packed.js';
import { runCli, tempRepo } from '../support/repo.js';

/**
 * init on a repository whose own lockfile cannot pin the scanner (no Node here): it writes the CI manifest and has
 * npm write its lockfile, with the unreleased tarball beside it; a second init changes nothing; uninstall takes
 * all three back. Through the built CLI, as a user runs it.
 */
describe('the scanner CI installs: .github/secure-repo', () => {
  const repo = tempRepo();
  const packDir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'csr-toollock-')));
  afterAll(() => repo.cleanup());

  test('init writes it, a second init changes nothing, uninstall takes it back', () => {
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: PROJECT, env: npmEnv(process.env), stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
    repo.write({ 'infra/main.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n' });
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'infra');
    repo.git('remote', 'add', 'origin', 'https://github.com/acme/edge.git');
    const env = npmEnv(repo.env);
    const init = runCli(['init', '--yes', '--no-github', '--package-spec', tarball], { cwd: repo.dir, env });
    expect(init.code, init.stderr + init.stdout).toBe(0);
    const dir = path.join(repo.dir, '.github/secure-repo');
    expect(readdirSync(dir).sort()).toEqual(['create-secure-repo.tgz', 'package-lock.json', 'package.json']);
    const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/create-secure-repo']).toMatchObject({ resolved: 'file:create-secure-repo.tgz', integrity: expect.stringMatching(/^sha512-/) });
    // Every dependency the scanner brings is pinned by hash too.
    const deps = Object.entries<Record<string, unknown>>(lock.packages).filter(([k]) => k.startsWith('node_modules/'));
    expect(deps.length).toBeGreaterThan(10);
    for (const [name, p] of deps) expect(p.integrity, name).toMatch(/^sha512-/);

    repo.git('add', '-A');
    repo.git('commit', '-q', '-n', '-m', 'secure-repo');
    const again = runCli(['init', '--yes', '--no-github', '--package-spec', tarball], { cwd: repo.dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to change');

    const un = runCli(['uninstall'], { cwd: repo.dir, env });
    expect(un.code, un.stderr).toBe(0);
    expect(existsSync(dir)).toBe(false);
  }, 300_000);

  test('without --package-spec, the running version is packed for CI (the package is not on npm yet)', () => {
    const fresh = tempRepo();
    try {
      fresh.write({ 'infra/main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n' });
      fresh.git('add', '-A');
      fresh.git('commit', '-q', '-m', 'infra');
      const init = runCli(['init', '--yes', '--no-github'], { cwd: fresh.dir, env: npmEnv(fresh.env) });
      expect(init.code, init.stderr + init.stdout).toBe(0);
      const dir = path.join(fresh.dir, '.github/secure-repo');
      const version = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')).version as string;
      expect(readdirSync(dir).sort()).toEqual([`create-secure-repo-${version}.tgz`, 'package-lock.json', 'package.json']);
      const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
      expect(lock.packages['node_modules/create-secure-repo'].integrity).toMatch(/^sha512-/);
    } finally {
      fresh.cleanup();
    }
  }, 300_000);
});
