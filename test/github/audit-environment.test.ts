import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { githubFindings } from '../../src/audit/github.js';
import { AUDIT_ENVIRONMENT, AUDIT_ENVIRONMENT_VARIABLE, AUDIT_TOKEN_SECRET } from '../../src/config/policy.js';
import type { GitHubServer } from '../support/github-server.js';
import { environmentSecretsOf, environmentVerdict, jobSecrets } from '../support/github-server/environments.js';
import { operateData } from '../support/github-server/operate.js';
import { variablesOf } from '../support/github-server/variables.js';
import { configFor, detection } from '../templates/fixtures.js';
import { renderAll } from '../templates/render.js';
import { cli, options, serverPool, session, tempDir, testEnv } from './helpers.js';

const start = serverPool({ ownerType: 'Organization', collaborators: 3 });

const auditPath = `/repos/octo/app/environments/${AUDIT_ENVIRONMENT}`;
/** Writes that make the audit environment or its variable, in order. */
const auditWrites = (s: GitHubServer) =>
  s
    .writes()
    .filter((w) => w.path?.startsWith(auditPath) || w.route?.includes('/actions/variables'))
    .filter((w) => !JSON.stringify(w.body ?? {}).includes('SECURE_REPO_CODE_SCANNING'))
    .map((w) => `${w.route?.split(' ')[0]} ${w.path}`);
const byName = (changes: { target: string; action: string; reason: string }[]) =>
  Object.fromEntries(changes.map((c) => [c.target, c]));
const variable = (s: GitHubServer) => variablesOf(s.repo('octo', 'app')).get(AUDIT_ENVIRONMENT_VARIABLE)?.value;
const CUSTOM = { protected_branches: false, custom_branch_policies: true };
const noOperate = { configure: (c: { stages: string[] }) => (c.stages = c.stages.filter((x) => x !== 'operate')) };

describe.concurrent('the audit environment (protect)', () => {
  test('public repository: created, only main may use it, then the variable says so; a re-run writes nothing', async () => {
    const s = await start();
    const dir = await tempDir();
    const first = await (await session(options(s, dir))).run(false);
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
    expect(first.report.verified).toBe(true);
    const env = s.repo('octo', 'app').environments.get(AUDIT_ENVIRONMENT);
    expect(env).toMatchObject({ name: AUDIT_ENVIRONMENT, deployment_branch_policy: CUSTOM, reviewers: [] });
    expect(env!.branch_policies!.map((p) => `${p.type}:${p.name}`)).toEqual(['branch:main']);
    // The variable goes last: it never points the workflow at an environment that is not there yet.
    expect(auditWrites(s)).toEqual([
      `PUT ${auditPath}`,
      `POST ${auditPath}/deployment-branch-policies`,
      'POST /repos/octo/app/actions/variables',
    ]);
    expect(variable(s)).toBe('true');
    const by = byName(first.report.changes);
    expect(by['audit-environment']).toMatchObject({ action: 'create' });
    expect(by['audit-environment-branch-policy']).toMatchObject({
      action: 'create',
      reason: 'only branch main (custom deployment branch policy)',
    });
    expect(by['audit-variable']).toMatchObject({ action: 'create' });
    expect(by['audit-variable']!.reason).toBe(
      `${AUDIT_ENVIRONMENT_VARIABLE}: unset → true: the audit's admin-read job runs in environment "${AUDIT_ENVIRONMENT}"`,
    );
    // No token stored yet: said, with the command that stores it in the environment.
    expect(by['audit-token']).toMatchObject({ action: 'unchanged', reason: expect.stringMatching(/^not stored/) });
    expect(first.report.notes.join('\n')).toContain(
      `gh secret set ${AUDIT_TOKEN_SECRET} --env ${AUDIT_ENVIRONMENT} --repo octo/app`,
    );
    // For the audit, no token yet is information, not drift.
    expect(githubFindings(first.report.changes, 'octo/app').find((f) => f.id === 'github-audit-token')).toMatchObject({
      status: 'info',
    });

    const again = await (await session(options(s, dir))).run(false);
    expect(again.report.writes).toBe(0);
    const by2 = byName(again.report.changes);
    for (const t of ['audit-environment', 'audit-environment-branch-policy', 'audit-variable'])
      expect(by2[t], t).toMatchObject({ action: 'unchanged' });
  });

  test('--dry-run --json shows the environment, its branch policy and the variable, and writes nothing', async () => {
    const s = await start();
    const r = await cli(['protect', '--repo', 'octo/app', '--dry-run', '--json'], testEnv(s), await tempDir());
    expect(r.code).toBe(0);
    expect(s.writes()).toEqual([]);
    const report = JSON.parse(r.stdout) as {
      changes: { target: string; action: string; reason: string }[];
      requests: { route: string; description: string }[];
    };
    const by = byName(report.changes);
    expect(by['audit-environment']).toMatchObject({ action: 'create' });
    expect(by['audit-variable']).toMatchObject({ action: 'create' });
    const described = report.requests.map((q) => q.description);
    expect(described).toContain(`create environment "${AUDIT_ENVIRONMENT}" (custom deployment branch policies)`);
    expect(described).toContain(`let only branch main deploy to environment "${AUDIT_ENVIRONMENT}"`);
    expect(described).toContain(`set ${AUDIT_ENVIRONMENT_VARIABLE}=true`);
    // The text plan says the same before anything is written.
    const text = await cli(['protect', '--repo', 'octo/app', '--dry-run'], testEnv(s), await tempDir());
    expect(text.stdout).toContain('audit-environment');
    expect(text.stdout).toContain(AUDIT_ENVIRONMENT);
    expect(s.writes()).toEqual([]);
  });

  test('private repository on GitHub Free: no environment, no variable, and the plan reason is said', async () => {
    const s = await start({ private: true, plan: 'free', ownerType: 'User', collaborators: 1 });
    const r = await cli(['protect', '--repo', 'octo/app', '--json'], testEnv(s), await tempDir());
    expect(r.code).toBe(2); // branch protection itself cannot be applied on this plan (unchanged behaviour)
    const report = JSON.parse(r.stdout) as { changes: { target: string; action: string; reason: string }[] };
    const by = byName(report.changes);
    expect(by['audit-environment']).toMatchObject({
      action: 'skip',
      reason: expect.stringMatching(/^deployment environments on a private repository need GitHub Pro/),
    });
    expect(by['audit-variable']).toMatchObject({
      action: 'unchanged',
      reason: `${AUDIT_ENVIRONMENT_VARIABLE}: unset (no environment on this plan: the audit runs with the default token)`,
    });
    expect(by['audit-token']).toBeUndefined();
    expect((report as unknown as { notes: string[] }).notes.join('\n')).toMatch(
      /the daily audit workflow runs with the default token and reports admin-only settings .* as not checked/,
    );
    expect(auditWrites(s)).toEqual([]);
    expect(s.repo('octo', 'app').environments.size).toBe(0);
    expect(s.invalid).toEqual([]);
  });

  test('private repository on GitHub Pro: the environment and the variable are made', async () => {
    const s = await start({ private: true, plan: 'pro', ownerType: 'User', collaborators: 1 });
    const r = await (await session(options(s, await tempDir()))).run(false);
    expect(s.invalid).toEqual([]);
    expect(byName(r.report.changes)['audit-environment']).toMatchObject({ action: 'create' });
    expect(s.repo('octo', 'app').environments.has(AUDIT_ENVIRONMENT)).toBe(true);
    expect(variable(s)).toBe('true');
  });

  test('made public then private on Free: the variable is set back to false, so the audit stops naming the environment', async () => {
    const s = await start();
    const dir = await tempDir();
    await (await session(options(s, dir))).run(false);
    expect(variable(s)).toBe('true');
    Object.assign(s.repo('octo', 'app'), { private: true, plan: 'free', ownerType: 'User' });
    const r = await (await session(options(s, dir))).run(false);
    expect(byName(r.report.changes)['audit-variable']).toMatchObject({
      action: 'update',
      reason: `${AUDIT_ENVIRONMENT_VARIABLE}: true → false: no environment on this plan: the audit runs with the default token`,
    });
    expect(variable(s)).toBe('false');
  });

  test('the environment write refused: the variable is not set (never points at a missing environment)', async () => {
    const s = await start();
    s.inject({ route: 'PUT /repos/{owner}/{repo}/environments/{environment_name}', fault: 'plan' });
    const r = await (await session(options(s, await tempDir()))).run(false);
    const by = byName(r.report.changes);
    expect(by['audit-environment']).toMatchObject({ action: 'failed' });
    expect(by['audit-environment-branch-policy']!.action).toMatch(/^(failed|skip)$/);
    expect(by['audit-variable']).toMatchObject({ action: 'skip', reason: expect.stringMatching(/not attempted/) });
    expect(variable(s)).toBeUndefined();
  });

  test('a token stored as a repository secret is reported (and left); one in the environment is recognised', async () => {
    const s = await start();
    operateData(s.repo('octo', 'app')).secrets.push({ name: AUDIT_TOKEN_SECRET });
    const dir = await tempDir();
    const first = await (await session(options(s, dir))).run(false);
    const by = byName(first.report.changes);
    expect(by['audit-token-repository-secret']).toMatchObject({
      action: 'unchanged',
      reason: expect.stringMatching(/any branch can read it/),
    });
    expect(first.report.notes.join('\n')).toContain(`gh secret delete ${AUDIT_TOKEN_SECRET} --repo octo/app`);
    expect(operateData(s.repo('octo', 'app')).secrets).toHaveLength(1); // never deleted by protect
    // The audit turns it into a failing check with the fix.
    const finding = githubFindings(first.report.changes, 'octo/app').find(
      (f) => f.id === 'github-audit-token-repository-secret',
    );
    expect(finding).toMatchObject({ status: 'fail' });
    expect(finding!.fix).toContain(`--env ${AUDIT_ENVIRONMENT}`);

    // What `gh secret set NAME --env ENV` sends: the public key, then the secret.
    const env = testEnv(s);
    const headers = { authorization: `token ${env.GITHUB_TOKEN}`, 'content-type': 'application/json' };
    const key = await fetch(`${s.url}${auditPath}/secrets/public-key`, { headers });
    expect(key.status).toBe(200);
    const put = await fetch(`${s.url}${auditPath}/secrets/${AUDIT_TOKEN_SECRET}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ encrypted_value: 'c2VjcmV0', key_id: '568250167242549743' }),
    });
    expect(put.status).toBe(201);
    operateData(s.repo('octo', 'app')).secrets.length = 0;
    const after = await (await session(options(s, dir))).run(false);
    const by2 = byName(after.report.changes);
    expect(by2['audit-token']).toMatchObject({ reason: `stored in environment "${AUDIT_ENVIRONMENT}"` });
    expect(by2['audit-token-repository-secret']).toBeUndefined();
    expect(s.invalid).toEqual([]);
  });

  test('operate stage not selected: the audit environment is neither read nor written', async () => {
    const s = await start();
    const r = await (await session(options(s, await tempDir(), noOperate))).run(false);
    expect(r.report.writes).toBeGreaterThan(0);
    expect(s.requests.filter((q) => q.path.includes(AUDIT_ENVIRONMENT))).toEqual([]);
    expect(variable(s)).toBeUndefined();
    expect(r.report.changes.filter((c) => c.target.startsWith('audit-'))).toEqual([]);
  });
});

/**
 * The generated audit workflow against GitHub's environment rules (test/support/github-server/environments.ts):
 * which of its two jobs runs for a trigger, and whether that job can read the admin token.
 */
describe('the audit workflow and the environment rules', () => {
  type Obj = Record<string, any>;
  const workflow = (): Obj => {
    const det = detection('node-app');
    const { files } = renderAll(det, configFor(det));
    return parse(files.get('.github/workflows/secure-repo-audit.yml')!) as Obj;
  };

  /**
   * Evaluates the `if:` shapes the workflow uses: `!`, `&&`, parentheses and `a == b` over `vars.X`, `github.ref` and
   * string literals (GitHub compares strings case-insensitively; ours differ in more than case). Anything else throws.
   */
  function evaluate(expr: string, ctx: { vars: Record<string, string>; ref: string }): boolean {
    const tokens = expr.match(/\s*(!|&&|==|\(|\)|'[^']*'|vars\.[A-Z_]+|github\.ref)/gy)?.map((t) => t.trim()) ?? [];
    if (tokens.join('').replace(/\s/g, '') !== expr.replace(/\s/g, ''))
      throw new Error(`unexpected expression: ${expr}`);
    let i = 0;
    const value = (t: string): string =>
      t.startsWith("'") ? t.slice(1, -1) : t === 'github.ref' ? ctx.ref : (ctx.vars[t.slice('vars.'.length)] ?? '');
    const unary = (): boolean => {
      const t = tokens[i++]!;
      if (t === '!') return !unary();
      if (t === '(') {
        const v = and();
        if (tokens[i++] !== ')') throw new Error(`unbalanced: ${expr}`);
        return v;
      }
      if (tokens[i++] !== '==') throw new Error(`unexpected expression: ${expr}`);
      return value(t) === value(tokens[i++]!);
    };
    const and = (): boolean => {
      let v = unary();
      while (tokens[i] === '&&') {
        i++;
        v = unary() && v;
      }
      return v;
    };
    const result = and();
    if (i !== tokens.length) throw new Error(`unexpected expression: ${expr}`);
    return result;
  }

  /** The job that runs for `ref` with the repository's variables, and whether its token is the admin one. */
  function audit(s: GitHubServer, ref: string): { job: string; token: 'admin' | 'default' | 'refused' } {
    const r = s.repo('octo', 'app');
    const vars = Object.fromEntries([...variablesOf(r)].map(([k, v]) => [k, v.value]));
    const running = Object.entries<Obj>(workflow().jobs).filter(([, j]) => evaluate(String(j.if), { vars, ref }));
    expect(running.map(([id]) => id)).toHaveLength(1); // exactly one of the two jobs, always
    const [id, job] = running[0]!;
    const verdict = jobSecrets(r, job.environment?.name ?? null, ref);
    if (!verdict.runs) return { job: id, token: 'refused' };
    const audit = job.steps.find((st: Obj) => st.id === 'audit');
    const asks = String(audit.env.GITHUB_TOKEN).includes(`secrets.${AUDIT_TOKEN_SECRET}`);
    return { job: id, token: asks && verdict.secrets.includes(AUDIT_TOKEN_SECRET) ? 'admin' : 'default' };
  }

  test('only the job in the environment may name the token, and only on the protected branch', () => {
    const jobs = workflow().jobs as Obj;
    expect(Object.keys(jobs).sort()).toEqual(['posture-audit', 'posture-audit-admin']);
    expect(jobs['posture-audit-admin'].environment).toEqual({ name: AUDIT_ENVIRONMENT });
    expect(jobs['posture-audit'].environment).toBeUndefined();
    expect(JSON.stringify(jobs['posture-audit'])).not.toContain('secrets.');
    expect(jobs['posture-audit-admin'].if).toBe(
      `vars.${AUDIT_ENVIRONMENT_VARIABLE} == 'true' && github.ref == 'refs/heads/main'`,
    );
  });

  test('public repository after protect, token stored in the environment: main gets it, no other branch does', async () => {
    const s = await start();
    await (await session(options(s, await tempDir()))).run(false);
    environmentSecretsOf(s.repo('octo', 'app')).set(AUDIT_ENVIRONMENT, new Map([[AUDIT_TOKEN_SECRET, 'now']]));
    // The schedule and branch_protection_rule triggers run on the default branch.
    expect(audit(s, 'refs/heads/main')).toEqual({ job: 'posture-audit-admin', token: 'admin' });
    // workflow_dispatch on another branch: the plain job, default token.
    expect(audit(s, 'refs/heads/feature')).toEqual({ job: 'posture-audit', token: 'default' });
    // A workflow a writer pushes on a branch, naming the environment itself: GitHub refuses the job.
    expect(environmentVerdict(s.repo('octo', 'app'), AUDIT_ENVIRONMENT, 'refs/heads/feature')).toMatchObject({
      runs: false,
    });
    expect(environmentVerdict(s.repo('octo', 'app'), AUDIT_ENVIRONMENT, 'refs/tags/v1.0.0')).toMatchObject({
      runs: false,
    });
  });

  test('private repository on Free: the environment is never named; the audit runs with the default token', async () => {
    const s = await start({ private: true, plan: 'free', ownerType: 'User', collaborators: 1 });
    await cli(['protect', '--repo', 'octo/app'], testEnv(s), await tempDir());
    // Even with the token left behind as a repository secret, the job that runs never asks for it.
    operateData(s.repo('octo', 'app')).secrets.push({ name: AUDIT_TOKEN_SECRET });
    expect(audit(s, 'refs/heads/main')).toEqual({ job: 'posture-audit', token: 'default' });
  });

  test('the rule itself: a repository secret reaches every branch, an environment secret only the admitted ones', async () => {
    const s = await start();
    await (await session(options(s, await tempDir()))).run(false);
    const r = s.repo('octo', 'app');
    operateData(r).secrets.push({ name: 'PLAIN' });
    environmentSecretsOf(r).set(AUDIT_ENVIRONMENT, new Map([[AUDIT_TOKEN_SECRET, 'now']]));
    expect(jobSecrets(r, null, 'refs/heads/anything')).toMatchObject({ runs: true, secrets: ['PLAIN'] });
    expect(jobSecrets(r, AUDIT_ENVIRONMENT, 'refs/heads/main')).toMatchObject({
      runs: true,
      secrets: [AUDIT_TOKEN_SECRET, 'PLAIN'],
    });
    expect(jobSecrets(r, AUDIT_ENVIRONMENT, 'refs/heads/main-2')).toMatchObject({ runs: false });
  });
});
