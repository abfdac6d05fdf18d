import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { CLI, tempRepo, type TempRepo } from '../support/repo.js';
import { configFor, detection } from './fixtures.js';
import { renderAll } from './render.js';

// Built from pieces so this repository never holds a literal live-format key.
const STRIPE_KEY = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc'].join('_');

interface StepDef {
  run: string;
  env?: Record<string, string>;
}

/**
 * Runs the generated secret-scan job's shell steps the way a runner does (bash -eo pipefail, GITHUB_ENV carried
 * between steps) against a real repository, with `npx` resolved to this build of the CLI.
 */
describe('the generated PR secret-scan job, executed', () => {
  let repo: TempRepo;
  let shimDir: string;
  let steps: StepDef[];
  const sha: Record<string, string> = {};

  beforeAll(() => {
    repo = tempRepo();
    const commit = (name: string, files: Record<string, string>) => {
      repo.write(files);
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', name);
      sha[name] = repo.git('rev-parse', 'HEAD');
    };
    commit('base', { 'README.md': '# shop\n' });
    commit('clean', { 'src/app.js': 'export const port = 8080;\n' });
    commit('leak', { 'src/pay.js': `export const key = "${STRIPE_KEY}";\n` });
    // The installed scanner (.github/secure-repo/node_modules/.bin/secure-repo, what `npm ci` there puts in place)
    // is this build of the CLI; run-jobs.test.ts installs the real packed tarball instead.
    const shim = path.join(repo.dir, '.github/secure-repo/node_modules/.bin/secure-repo');
    mkdirSync(path.dirname(shim), { recursive: true });
    writeFileSync(shim, '#!/bin/sh\nexec node "$SECURE_REPO_CLI" "$@"\n');
    chmodSync(shim, 0o755);
    shimDir = repo.home;
    const det = detection('node-app', repo.dir);
    const code = parse(renderAll(det, configFor(det)).files.get('.github/workflows/secure-repo-code.yml')!);
    // The install step is what the shim above stands for.
    steps = code.jobs['secret-scan'].steps.filter((s: StepDef) => s.run && !s.run.startsWith('npm ci --prefix .github/secure-repo'));
  });
  afterAll(() => repo.cleanup());

  /** Substitutes the ${{ }} expressions the way the runner would from an event, then runs each step. */
  async function runJob(event: Record<string, string>): Promise<{ code: number; stdout: string; scanArgs: string }> {
    const envFile = path.join(repo.home, `github-env-${Math.random().toString(36).slice(2)}`);
    writeFileSync(envFile, '');
    let stdout = '';
    for (const step of steps) {
      const stepEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = v.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => event[expr] ?? '');
      const carried = Object.fromEntries(
        readFileSync(envFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      const env = { ...repo.env, ...carried, ...stepEnv, GITHUB_ENV: envFile, PATH: `${shimDir}:${process.env.PATH}`, SECURE_REPO_CLI: CLI };
      const r = await new Promise<{ code: number; out: string }>((resolve) =>
        execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd: repo.dir, env }, (err, out) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out })),
      );
      stdout += r.out;
      if (r.code !== 0) return { code: r.code, stdout, scanArgs: readFileSync(envFile, 'utf8') };
    }
    return { code: 0, stdout, scanArgs: readFileSync(envFile, 'utf8') };
  }

  const pr = (base: string, head: string) => ({
    'github.event_name': 'pull_request',
    'github.event.pull_request.base.sha': sha[base]!,
    'github.event.pull_request.head.sha': sha[head]!,
  });

  test('a clean pull request passes and says how many commits it scanned', async () => {
    const r = await runJob(pr('base', 'clean'));
    expect(r.scanArgs).toBe(`SCAN_ARGS=--range ${sha.base}..${sha.clean}\n`);
    expect(r.stdout).toContain('Scanned 1 commits.');
    expect(r.code).toBe(0);
  });

  test('a pull request that adds a secret fails with an annotation on the file and line', async () => {
    const r = await runJob(pr('base', 'leak'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Scanned 2 commits.');
    expect(r.stdout).toMatch(/^::error file=src\/pay\.js,line=1::stripe-secret-key: /m);
    expect(r.stdout).not.toContain(STRIPE_KEY);
  });

  test('a range with no commits fails instead of passing on nothing', async () => {
    const r = await runJob(pr('clean', 'clean'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('0 commits were scanned');
  });

  test('a push that creates a branch scans its whole history', async () => {
    const r = await runJob({ 'github.event_name': 'push', 'github.event.before': '0'.repeat(40), 'github.sha': sha.leak! });
    expect(r.scanArgs).toBe('SCAN_ARGS=--history\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Scanned 3 commits.');
  });
});

describe('the generated security-gate job, executed', () => {
  const det = detection('go-docker-tf-helm');
  const ci = parse(renderAll(det, configFor(det)).files.get('.github/workflows/secure-repo-ci.yml')!);
  const step = ci.jobs['security-gate'].steps.at(-1) as StepDef;

  const gate = (needs: Record<string, string>) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      const NEEDS = JSON.stringify(Object.fromEntries(Object.entries(needs).map(([k, result]) => [k, { result, outputs: {} }])));
      execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { env: { PATH: process.env.PATH, NEEDS } }, (err, out) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out }),
      );
    });

  test('passes when every job succeeded or was skipped by its own condition', async () => {
    expect(step.env?.NEEDS).toBe('${{ toJSON(needs) }}');
    expect((await gate({ code: 'success', build: 'success', test: 'skipped' })).code).toBe(0);
  });

  test('fails, naming them, when any job failed or was cancelled', async () => {
    const r = await gate({ code: 'success', build: 'failure', package: 'cancelled' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('::error::required jobs did not pass: build, package');
  });
});
