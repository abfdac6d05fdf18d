import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GitHubServer } from '../support/github-server.js';
import { requireFreshBuild } from '../support/dist.js';
import { FAKE_TOKEN, tempDir, withServer } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/secure-repo.js', import.meta.url));

interface Proc {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI as a real process, with only the environment we give it (no gh on PATH, git config in temp). */
function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Proc> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env }, (err, stdout, stderr) =>
      resolve({
        code: err ? (typeof err.code === 'number' ? err.code : 2) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      }),
    );
  });
}

let home: string;
let baseEnv: NodeJS.ProcessEnv;
const servers: GitHubServer[] = [];

beforeAll(async () => {
  requireFreshBuild();
  home = await tempDir('secure-repo-audit-home-');
  await fsp.writeFile(
    path.join(home, '.gitconfig'),
    '[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n',
  );
  baseEnv = {
    PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: home,
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    NO_COLOR: '1',
  };
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function git(args: string[], cwd: string): Promise<void> {
  await promisify(execFile)('git', args, { cwd, env: baseEnv });
}

async function repo(): Promise<string> {
  const dir = path.join(await tempDir('secure-repo-audit-'), 'app');
  await fsp.mkdir(dir);
  await git(['init', '-q', '-b', 'main'], dir);
  await fsp.writeFile(path.join(dir, 'README.md'), '# app\n');
  await git(['add', '.'], dir);
  await git(['commit', '-qm', 'first'], dir);
  await git(['remote', 'add', 'origin', 'https://github.com/octo/app.git'], dir);
  return dir;
}

/**
 * Writes every file init would generate, as init's apply would (render of the current content), until nothing
 * changes: generated files can change what detect finds (deploy/k8s manifests make IaC scanning apply), so this
 * mirrors running init until it reports everything unchanged.
 */
async function writeTemplates(root: string): Promise<void> {
  for (let pass = 0; pass < 4; pass++) if (!(await writeTemplatesOnce(root))) return;
  throw new Error('templates did not settle after 4 passes');
}

async function writeTemplatesOnce(root: string): Promise<boolean> {
  let changed = false;
  const prev = { ...process.env };
  Object.assign(process.env, { GIT_CONFIG_GLOBAL: baseEnv.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: '1' });
  try {
    // The same build the spawned CLI runs, so both sides generate the same bytes.
    const { detect } = (await import(
      String(new URL('../../dist/detect/index.js', import.meta.url))
    )) as typeof import('../../src/detect/index.js');
    const { loadConfig } = (await import(
      String(new URL('../../dist/config/load.js', import.meta.url))
    )) as typeof import('../../src/config/load.js');
    const { planTemplates } = (await import(
      String(new URL('../../dist/templates/index.js', import.meta.url))
    )) as typeof import('../../src/templates/index.js');
    const det = await detect(root);
    const { config } = await loadConfig(root);
    for (const intent of planTemplates(det, config)) {
      const file = path.join(root, intent.path);
      const current = await fsp.readFile(file, 'utf8').catch(() => null);
      const r = intent.render(current);
      if ('content' in r && r.content !== current) {
        await fsp.mkdir(path.dirname(file), { recursive: true });
        await fsp.writeFile(file, r.content);
        changed = true;
      }
    }
  } finally {
    process.env = prev;
  }
  return changed;
}

const drift = (r: Report) => r.checks.filter((f) => f.status === 'fail');
const exitFor = (r: Report) => (r.checks.some((f) => f.status === 'fail') ? 1 : 0);

type Report = {
  summary: { fail: number; warn: number };
  github: { checked: boolean; reason: string };
  checks: { area: string; id: string; status: string; target: string }[];
};

describe.concurrent('audit', () => {
  test('a repository that was never set up drifts: missing files and no hooks (exit 1)', async () => {
    const dir = await repo();
    const r = await run(['audit', '--no-github', '--format', 'json'], dir, baseEnv);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.checks).toContainEqual(
      expect.objectContaining({
        area: 'files',
        id: 'file-missing',
        status: 'fail',
        target: '.github/workflows/secure-repo-ci.yml',
      }),
    );
    expect(report.checks).toContainEqual(
      expect.objectContaining({ area: 'hooks', id: 'hook-installed', status: 'fail' }),
    );
    expect(report.github).toEqual({ checked: false, reason: 'disabled by --no-github' });
  });

  test('set up: no drift (exit 0); an edited generated file is a warning; a deleted one is drift', async () => {
    const dir = await repo();
    await writeTemplates(dir);
    const inst = await run(['hook', 'install', '--hooks', 'git', '--no-install'], dir, baseEnv);
    expect(inst.code).toBe(0);
    const clean = await run(['audit', '--no-github', '--format', 'json'], dir, baseEnv);
    const report = JSON.parse(clean.stdout) as Report;
    // No drift at all, the scanner's own checks included: the exit code is 0, not whatever the report says.
    expect(drift(report)).toEqual([]);
    for (const check of ['hook-installed', 'hook-active', 'hook-runnable', 'hook-self-test']) {
      expect(report.checks).toContainEqual(expect.objectContaining({ id: check, status: 'pass' }));
    }
    expect(report.summary.fail).toBe(0);
    expect(clean.code).toBe(0);

    await fsp.appendFile(path.join(dir, 'SECURITY.md'), '\nOur own note.\n');
    const edited = await run(['audit', '--no-github', '--format', 'json'], dir, baseEnv);
    expect(drift(JSON.parse(edited.stdout) as Report)).toEqual([]);
    expect(edited.code).toBe(0);
    expect((JSON.parse(edited.stdout) as Report).checks).toContainEqual(
      expect.objectContaining({ id: 'file-edited', status: 'warn', target: 'SECURITY.md' }),
    );

    await fsp.rm(path.join(dir, '.github', 'dependabot.yml'));
    const removed = await run(['audit', '--no-github'], dir, baseEnv);
    expect(removed.code).toBe(1);
    expect(removed.stdout).toMatch(/✗ \.github\/dependabot\.yml: missing/);
  });

  test('with a token: live settings are compared; protect removes the drift; the token never shows', async () => {
    const server = await withServer([{ owner: 'octo', name: 'app', ownerType: 'Organization', collaborators: 3 }]);
    servers.push(server);
    const dir = await repo();
    await writeTemplates(dir);
    expect((await run(['hook', 'install', '--hooks', 'git', '--no-install'], dir, baseEnv)).code).toBe(0);
    const env = { ...baseEnv, GITHUB_TOKEN: FAKE_TOKEN, GITHUB_API_URL: server.url };

    const before = await run(['audit', '--format', 'json'], dir, env);
    expect(before.code).toBe(1);
    const rb = JSON.parse(before.stdout) as Report;
    expect(rb.github.reason).toBe('');
    expect(rb.github.checked).toBe(true);
    expect(rb.checks).toContainEqual(
      expect.objectContaining({ area: 'github', id: 'github-signed-commits', status: 'fail' }),
    );
    // Files and hooks are set up: what drifts is on GitHub's side (settings, Actions settings).
    expect(drift(rb).filter((f) => f.area === 'files' || f.area === 'hooks')).toEqual([]);
    expect(drift(rb).length).toBeGreaterThan(0);
    expect(server.writes()).toEqual([]);

    const prot = await run(['protect'], dir, env);
    expect(prot.code).toBe(0);
    expect(prot.stdout).toMatch(/octo\/app @ main/);

    const after = await run(['audit', '--format', 'json'], dir, env);
    const ra = JSON.parse(after.stdout) as Report;
    expect(ra.github.checked).toBe(true);
    // Only information left: no audit token stored in the audit environment yet (optional, never drift).
    expect(ra.checks.filter((f) => f.area === 'github' && f.status !== 'pass').map((f) => [f.id, f.status])).toEqual([
      ['github-audit-token', 'info'],
    ]);
    expect(drift(ra)).toEqual([]);
    expect(after.code).toBe(0);
    const text = await run(['audit'], dir, env);
    // Nothing but the information that no audit token is stored in its environment yet.
    expect(text.stdout).toMatch(
      /GitHub settings \(octo\/app @ main\)\n {2}· audit-token: not stored in environment "secure-repo-audit"[^\n]*\n {2}✓ \d+ check\(s\) ok\n/,
    );
    for (const out of [before, prot, after, text]) expect(out.stdout + out.stderr).not.toContain(FAKE_TOKEN);
    expect(server.invalid).toEqual([]);
  });

  test('the deploy environment: missing or opened to any branch is drift; protect fixes it; reviewers are never drift', async () => {
    const server = await withServer([{ owner: 'octo', name: 'app', ownerType: 'Organization', collaborators: 3 }]);
    servers.push(server);
    const dir = await repo();
    const env = { ...baseEnv, GITHUB_TOKEN: FAKE_TOKEN, GITHUB_API_URL: server.url };
    const githubDrift = async () => {
      const r = await run(['audit', '--format', 'json'], dir, env);
      const report = JSON.parse(r.stdout) as Report;
      expect(r.code).toBe(exitFor(report));
      return report.checks.filter((f) => f.area === 'github' && f.status === 'fail').map((f) => f.id);
    };
    expect(await githubDrift()).toEqual(
      expect.arrayContaining(['github-deploy-environment', 'github-environment-branch-policy']),
    );
    expect(server.writes()).toEqual([]);

    expect((await run(['protect'], dir, env)).code).toBe(0);
    expect(await githubDrift()).toEqual([]);

    // Someone lets every branch deploy: drift, and the fix names the setting page.
    const stored = server.repo('octo', 'app').environments.get('production')!;
    expect(stored.deployment_branch_policy).toEqual({ protected_branches: false, custom_branch_policies: true });
    stored.deployment_branch_policy = null;
    const r = await run(['audit', '--format', 'json'], dir, env);
    expect(r.code).toBe(1);
    const finding = (
      JSON.parse(r.stdout) as { checks: { id: string; status: string; message: string; fix?: string }[] }
    ).checks.find((f) => f.id === 'github-environment-branch-policy');
    expect(finding).toMatchObject({
      status: 'fail',
      message: 'differs: any branch may deploy → only branch main (custom deployment branch policy)',
    });
    expect(finding!.fix).toMatch(/Settings → Environments → production/);

    // "Protected branches only" is drift too: with rulesets it may not hold.
    stored.deployment_branch_policy = { protected_branches: true, custom_branch_policies: false };
    expect(await githubDrift()).toEqual(['github-environment-branch-policy']);

    // Back to our pattern, plus one of the user's: protect keeps it, but another branch may deploy, so audit says drift.
    stored.deployment_branch_policy = { protected_branches: false, custom_branch_policies: true };
    stored.branch_policies!.push({ id: 4242, node_id: 'DBP_4242', name: 'release/*', type: 'branch' });
    const extra = await run(['audit', '--format', 'json'], dir, env);
    const other = (
      JSON.parse(extra.stdout) as { checks: { id: string; status: string; message: string; fix?: string }[] }
    ).checks.find((f) => f.id === 'github-environment-other-branches');
    expect(other).toMatchObject({ status: 'fail', message: expect.stringMatching(/^release\/\* may also deploy/) });
    expect(other!.fix).toMatch(/protect --prune --repo octo\/app/);
    expect(extra.code).toBe(1);
    expect((await run(['protect', '--prune'], dir, env)).code).toBe(0);
    expect(stored.branch_policies!.map((p) => p.name)).toEqual(['main']);

    // Reviewers someone added are theirs: not drift, and protect keeps them.
    stored.reviewers = [{ type: 'Team', id: 12 }];
    expect(await githubDrift()).toEqual([]);
    expect(server.invalid).toEqual([]);
  });

  test('without a token the GitHub part is skipped and said so; sarif and markdown formats', async () => {
    const dir = await repo();
    const json = JSON.parse((await run(['audit', '--format', 'json'], dir, baseEnv)).stdout) as Report;
    expect(json.github.checked).toBe(false);
    expect(json.github.reason).toMatch(/no token/);

    const sarifRun = await run(['audit', '--format', 'sarif'], dir, baseEnv);
    expect(sarifRun.code).toBe(1);
    const sarif = JSON.parse(sarifRun.stdout) as {
      version: string;
      runs: {
        results: { ruleId: string; level: string; locations: unknown[] }[];
        tool: { driver: { rules: { id: string }[] } };
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0]!.results;
    expect(results.length).toBe(json.summary.fail + json.summary.warn);
    expect(
      results.every((x) => x.locations.length === 1 && sarif.runs[0]!.tool.driver.rules.some((r) => r.id === x.ruleId)),
    ).toBe(true);

    const md = await run(['audit', '--format', 'markdown'], dir, baseEnv);
    expect(md.stdout).toMatch(/^## secure-repo audit/);
    expect(md.stdout).toMatch(/\| ❌ fail \| Files \| `file-missing` \| SECURITY\.md \|/);

    const out = path.join(dir, 'audit.md');
    expect((await run(['audit', '--format', 'markdown', '--output', out], dir, baseEnv)).code).toBe(1);
    expect(await fsp.readFile(out, 'utf8')).toBe(md.stdout);
  });
});
