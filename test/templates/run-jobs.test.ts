import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { defaultConfig } from '../../src/config/defaults.js';
import { detect } from '../../src/detect/index.js';
import type { Detection } from '../../src/detect/types.js';
import { applicableStages, planTemplates } from '../../src/templates/index.js';
import { CODE_SCANNING } from '../../src/templates/context.js';
import { toolLockIntents } from '../../src/templates/files/tool-lock.js';
import type { Config } from '../../src/config/types.js';
import { npmEnv, PROJECT } from '../e2e/packed.js';
import { tempRepo, type TempRepo } from '../support/repo.js';
import { runJob, type JobRun, type Stubs } from '../support/workflow-runner.js';
import { SAMPLES, type Sample } from './runnable-samples.js';

type Obj = Record<string, any>;

/**
 * "Run what the workflows run": for each sample repository, init's templates are rendered from a real detect(), and
 * every lint, test, scan and audit job is executed here with the tools it calls. `uses:` steps are replaced by what
 * they provide (setup-* puts the tool on PATH, uploads check their file was written). The scanner is installed
 * exactly as the job says, from the packed tarball this build makes (the package is not on npm yet).
 *
 * Stand-ins, said plainly: PyPI is out of reach here, so pip resolves from packages installed from Debian
 * (PIP_NO_INDEX, no build isolation) in a venv standing for setup-python; Go is Debian's 1.19, so the Go sample's
 * go.mod says 1.19 (GOPROXY=off: no module downloads); the repository is private without code scanning, so every
 * SARIF goes the artifact way.
 */

const CONDITIONS: Record<string, boolean> = {
  '!cancelled()': true,
  [`!cancelled() && !${CODE_SCANNING}`]: true,
};

let tarball = '';
let python: string | null = null;
const repos: TempRepo[] = [];

function goBin(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' });
  return r.status === 0 ? path.dirname(realpathSync(r.stdout.trim())) : null;
}

beforeAll(() => {
  if (!existsSync(path.join(PROJECT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'csr-runjobs-')));
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: PROJECT, env: npmEnv(process.env), stdio: ['ignore', 'pipe', 'pipe'] });
  tarball = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  // setup-python's stand-in: a venv over Debian's Python, which has pytest and setuptools (.ci/run installs them).
  const system = '/usr/bin/python3';
  if (spawnSync(system, ['-c', 'import pytest, setuptools'], { encoding: 'utf8' }).status === 0) {
    const venv = path.join(dir, 'venv');
    execFileSync(system, ['-m', 'venv', '--system-site-packages', venv]);
    python = path.join(venv, 'bin');
  }
}, 300_000);
afterAll(() => repos.forEach((r) => r.cleanup()));

interface Prepared {
  repo: TempRepo;
  det: Detection;
  config: Config;
  files: Map<string, string>;
  reasons: Map<string, string>;
  env: NodeJS.ProcessEnv;
  stubs: Stubs;
  values: { expressions: Record<string, string>; conditions: Record<string, boolean> };
}

/** Writes the sample, commits it twice (so a push has a range), detects it and renders what init would write. */
async function prepare(sample: Sample): Promise<Prepared> {
  const repo = tempRepo();
  repos.push(repo);
  const env: NodeJS.ProcessEnv = {
    ...npmEnv(repo.env),
    GOPATH: path.join(repo.home, 'go'),
    GOCACHE: path.join(repo.home, 'go-cache'),
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOFLAGS: '',
    PIP_NO_INDEX: '1',
    PIP_NO_BUILD_ISOLATION: '0',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    // The same packages every time: npm's cache answers before the registry is asked.
    npm_config_prefer_offline: 'true',
  };
  repo.write({ 'README.md': `# ${sample}\n` });
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'start');
  const before = repo.git('rev-parse', 'HEAD');
  repo.write(SAMPLES[sample]);
  if (sample === 'node-locked') {
    // The project depends on us and its lockfile pins us, as init leaves a Node project that uses husky.
    const pkg = JSON.parse(readFileSync(path.join(repo.dir, 'package.json'), 'utf8'));
    pkg.devDependencies = { 'create-secure-repo': `file:${tarball}` };
    writeFileSync(path.join(repo.dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
    execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: repo.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  }
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'the project');
  const saved = { ...process.env };
  Object.assign(process.env, { HOME: repo.home, GIT_CONFIG_GLOBAL: repo.env.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: '1' });
  let det: Detection;
  try {
    det = await detect(repo.dir);
  } finally {
    process.env = saved;
  }
  const config = defaultConfig();
  config.stages = applicableStages(det);
  const files = new Map<string, string>();
  const reasons = new Map<string, string>();
  for (const intent of planTemplates(det, config)) {
    const r = intent.render(null);
    reasons.set(intent.path, intent.reason);
    if ('content' in r) files.set(intent.path, r.content);
  }
  // What init does for the scanner in CI when the project's lockfile does not pin it: the manifest, then npm's lockfile.
  for (const intent of toolLockIntents(det, config, { packageSpec: tarball, install: true })) {
    if (intent.kind === 'file') {
      const r = intent.render(null);
      if ('content' in r) repo.write({ [intent.path]: r.content });
    } else if (intent.kind === 'command') {
      execFileSync(intent.argv[0]!, intent.argv.slice(1), { cwd: path.join(repo.dir, intent.cwd), env, stdio: ['ignore', 'pipe', 'pipe'] });
    }
  }
  const head = repo.git('rev-parse', 'HEAD');
  // The GitHub CLI's stand-in: the API as it is before a first audit (no earlier run to restore state from).
  const ghDir = path.join(repo.home, 'gh-stub');
  mkdirSync(ghDir);
  writeFileSync(path.join(ghDir, 'gh'), '#!/bin/sh\ncase "$1 $2" in\n  "run list") exit 0 ;;\n  *) echo "gh $*: no GitHub API here" >&2; exit 1 ;;\nesac\n', { mode: 0o755 });
  env.PATH = `${ghDir}:${env.PATH}`;
  return {
    repo,
    det,
    config,
    files,
    reasons,
    env,
    stubs: { ...(python ? { pythonBin: python } : {}), ...(goBin() ? { goBin: goBin()! } : {}) },
    values: {
      expressions: {
        'github.event_name': 'push',
        'github.event.pull_request.base.sha': '',
        'github.event.pull_request.head.sha': '',
        'github.event.merge_group.base_sha': '',
        'github.event.merge_group.head_sha': '',
        'github.event.before': before,
        'github.sha': head,
        'secrets.SECURE_REPO_AUDIT_TOKEN || github.token': '',
        'github.token': '',
        'github.repository': 'acme/sample',
        'github.run_id': '1',
      },
      conditions: CONDITIONS,
    },
  };
}

const workflow = (p: Prepared, name: string): Obj => parse(p.files.get(`.github/workflows/secure-repo-${name}.yml`)!);
const ran = (r: JobRun) => r.steps.filter((s) => s.kind === 'run').map((s) => s.name);

/** The jobs of the PR, build and operate workflows that lint, test, scan or audit, with what must have run in each. */
function jobsToRun(p: Prepared, sample: Sample): [string, Obj][] {
  const code = workflow(p, 'code');
  const out: [string, Obj][] = Object.entries<Obj>(code.jobs).map(([id, j]) => [`code/${id}`, j]);
  out.push(['build/secret-history', workflow(p, 'build').jobs['secret-history']]);
  // The audit's two jobs (default token; admin token from the audit environment): exactly one runs on GitHub. Their
  // steps are the same but for the token (test/audit/operate-workflow.test.ts), so the second runs on one sample.
  out.push(['audit/posture-audit', workflow(p, 'audit').jobs['posture-audit']]);
  if (sample === 'node-locked') out.push(['audit/posture-audit-admin', workflow(p, 'audit').jobs['posture-audit-admin']]);
  return out;
}

describe.each(Object.keys(SAMPLES) as Sample[])('%s: the generated jobs, executed', (sample) => {
  let p: Prepared;
  const results = new Map<string, JobRun>();
  beforeAll(async () => {
    p = await prepare(sample);
  }, 300_000);

  test('every lint, test, scan and audit job succeeds', () => {
    const jobs = jobsToRun(p, sample);
    expect(jobs.length).toBeGreaterThanOrEqual(sample === 'node-locked' ? 4 : 3);
    for (const [id, job] of jobs) {
      const r = runJob(job, p.repo.dir, p.env, p.stubs, p.values);
      results.set(id, r);
      expect(r.code, `${sample} ${id}: ${r.failure}`).toBe(0);
      expect(ran(r).length, `${sample} ${id} ran no command`).toBeGreaterThan(0);
    }
    // Each language's own lint and test commands ran (not only the scanner).
    const lang = [...results.keys()].filter((k) => k.startsWith('code/lint-test-'));
    expect(lang.length).toBe(sample === 'infra' ? 0 : 1);
    for (const k of lang) expect(ran(results.get(k)!).some((n) => /^(Test|Lint)/.test(n)), k).toBe(true);
  }, 600_000);

  test('the scanner is installed pinned: from a lockfile with integrity hashes, never a floating npx', () => {
    const text = [...p.files].filter(([f]) => f.startsWith('.github/workflows/')).map(([, t]) => t).join('\n');
    expect(text).not.toMatch(/npx --yes/);
    const viaOwn = sample === 'node-locked';
    const lockText = readFileSync(path.join(p.repo.dir, viaOwn ? 'package-lock.json' : '.github/secure-repo/package-lock.json'), 'utf8');
    const entry = JSON.parse(lockText).packages['node_modules/create-secure-repo'];
    expect(entry.integrity).toMatch(/^sha512-/);
    expect(text).toContain(viaOwn ? 'npx --no-install secure-repo' : 'npm ci --prefix .github/secure-repo');
  });

  test('the scan jobs really scanned, and the history SARIF was kept as an artifact (no code scanning here)', () => {
    const scan = results.get('code/secret-scan')!;
    expect(scan.steps.map((s) => s.output).join('\n')).toMatch(/Scanned 1 commits\./);
    const history = results.get('build/secret-history')!;
    const kept = history.steps.find((s) => s.name.startsWith('Keep the SARIF'))!;
    expect(kept.kind).toBe('uses');
    expect(kept.output).toContain('secure-repo-history.sarif exists');
    expect(history.steps.find((s) => s.name === 'Upload SARIF to code scanning')!.kind).toBe('skipped');
  });
});

describe('what each sample gets, and what the plan says about it', () => {
  test('no lockfile: an unlocked npm install, said in the plan', async () => {
    const p = await prepare('node-no-lockfile');
    const lint = workflow(p, 'code').jobs['lint-test-node'];
    expect(lint.steps.map((s: Obj) => s.run).join('\n')).toContain('npm install --no-package-lock');
    expect(lint.steps.map((s: Obj) => s.run).join('\n')).not.toMatch(/\bnpm ci\b/);
    expect(p.reasons.get('.github/workflows/secure-repo-code.yml')).toMatch(/no npm lockfile/);
  }, 300_000);

  test('editable requirements: no --require-hashes, the file installed as is, said in the plan', async () => {
    const p = await prepare('python-editable-requirements');
    const install = workflow(p, 'code').jobs['lint-test-python'].steps.find((s: Obj) => /^Install/.test(s.name));
    expect(install.run).toBe('python -m pip install -r requirements-dev.txt');
    expect(p.reasons.get('.github/workflows/secure-repo-code.yml')).toMatch(/requirements-dev\.txt has editable \(-e\) lines/);
  }, 300_000);

  test('pyproject only: the project with its test extra', async () => {
    const p = await prepare('python-pyproject');
    const install = workflow(p, 'code').jobs['lint-test-python'].steps.find((s: Obj) => /^Install/.test(s.name));
    expect(install.run).toBe('python -m pip install --editable ".[test]"');
  }, 300_000);
});
