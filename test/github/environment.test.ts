import { describe, expect, test } from 'vitest';
import { DEPLOY_ENVIRONMENT } from '../../src/config/policy.js';
import type { EnvironmentRecord, GitHubServer } from '../support/github-server.js';
import { cli, options, serverPool, session, tempDir, testEnv } from './helpers.js';

const start = serverPool({ ownerType: 'Organization', collaborators: 3 });

const ENV_ROUTE = 'PUT /repos/{owner}/{repo}/environments/{environment_name}';
const POLICIES = '/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies';
const POST_POLICY = `POST ${POLICIES}`;
const DELETE_POLICY = `DELETE ${POLICIES}/{branch_policy_id}`;
/** Writes to the deploy environment (the audit's environment is its own suite, test/github/audit-environment.test.ts). */
const deployWrites = (s: GitHubServer) =>
  s.writes().filter((w) => w.path?.startsWith(`/repos/octo/app/environments/${DEPLOY_ENVIRONMENT}`));
const envWrites = (s: GitHubServer) => deployWrites(s).filter((w) => w.route === ENV_ROUTE);
const policyWrites = (s: GitHubServer) =>
  deployWrites(s).filter((w) => w.route?.includes('/deployment-branch-policies'));
const CUSTOM = { protected_branches: false, custom_branch_policies: true };
/** The name patterns stored for the environment, as GitHub would list them. */
const patterns = (s: GitHubServer) =>
  (s.repo('octo', 'app').environments.get(DEPLOY_ENVIRONMENT)?.branch_policies ?? []).map((p) => `${p.type}:${p.name}`);
const byName = (changes: { target: string; action: string; reason: string }[]) =>
  Object.fromEntries(changes.map((c) => [c.target, c]));

/** An environment as a user might have set it up by hand on GitHub. */
function seed(s: GitHubServer, over: Partial<EnvironmentRecord>): void {
  const now = new Date().toISOString();
  s.repo('octo', 'app').environments.set(DEPLOY_ENVIRONMENT, {
    id: 9000,
    name: DEPLOY_ENVIRONMENT,
    created_at: now,
    updated_at: now,
    wait_timer: 0,
    prevent_self_review: false,
    reviewers: [],
    deployment_branch_policy: null,
    branch_policies: [],
    ...over,
  });
}

describe.concurrent('the deploy environment', () => {
  test('is created with one branch policy naming the protected branch, no invented reviewers; a re-run sends no write', async () => {
    const s = await start();
    const sess = await session(options(s, await tempDir()));
    const first = await sess.run(false);
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
    expect(first.report.verified).toBe(true);

    const env = s.repo('octo', 'app').environments.get(DEPLOY_ENVIRONMENT);
    expect(env).toMatchObject({ name: 'production', deployment_branch_policy: CUSTOM, reviewers: [], wait_timer: 0 });
    expect(patterns(s)).toEqual(['branch:main']);
    expect(envWrites(s)).toHaveLength(1);
    expect(envWrites(s)[0]!.path).toBe('/repos/octo/app/environments/production');
    // The pattern goes in after the PUT: GitHub refuses patterns while custom branch policies are off.
    const order = deployWrites(s)
      .map((w) => w.route)
      .filter((r) => r === ENV_ROUTE || r === POST_POLICY);
    expect(order).toEqual([ENV_ROUTE, POST_POLICY]);
    expect(policyWrites(s)[0]).toMatchObject({
      path: '/repos/octo/app/environments/production/deployment-branch-policies',
      body: { name: 'main', type: 'branch' },
      status: 200,
    });
    const by = byName(first.report.changes);
    expect(by['deploy-environment']).toMatchObject({ action: 'create' });
    expect(by['environment-branch-policy']).toMatchObject({
      action: 'create',
      reason: 'only branch main (custom deployment branch policy)',
    });
    expect(by['environment-other-branches']).toBeUndefined();
    // The policy asks for a review (1 approval, 3 collaborators): we point at the setting instead of picking people.
    expect(by['environment-reviewers']).toMatchObject({ action: 'unchanged', reason: 'none' });
    expect(first.report.notes.join('\n')).toMatch(/Settings → Environments → production → Required reviewers/);

    const n = s.writes().length;
    const second = await sess.run(false);
    expect(s.writes().length).toBe(n);
    expect(second.report.writes).toBe(0);
    expect(byName(second.report.changes)['deploy-environment']).toMatchObject({ action: 'unchanged' });
    expect(byName(second.report.changes)['environment-branch-policy']).toMatchObject({
      action: 'unchanged',
      reason: 'only branch main (custom deployment branch policy)',
    });
    expect(
      s.requests.filter((r) => r.route === 'GET /repos/{owner}/{repo}/environments/{environment_name}').length,
    ).toBeGreaterThanOrEqual(3);
    // With custom policies on, every read lists the patterns too (plan, read-back, second run).
    expect(s.requests.filter((r) => r.route === `GET ${POLICIES}`).length).toBeGreaterThanOrEqual(2);
  });

  test('a non-default protected branch is the one named; a branch name with a slash stays one pattern', async () => {
    const s = await start({ branches: ['main', 'release/v2'] });
    const r = await (await session(options(s, await tempDir(), { branch: 'release/v2' }))).run(false);
    expect(s.invalid).toEqual([]);
    expect(r.report.verified).toBe(true);
    expect(patterns(s)).toEqual(['branch:release/v2']);
    expect(byName(r.report.changes)['environment-branch-policy']).toMatchObject({
      action: 'create',
      reason: 'only branch release/v2 (custom deployment branch policy)',
    });
  });

  test('"protected branches only" (what earlier versions set) is switched, and the report line says why', async () => {
    const s = await start();
    seed(s, { deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } });
    const dir = await tempDir();
    const dry = await (await session(options(s, dir))).run(true);
    expect(s.writes()).toEqual([]);
    expect(dry.report.requests.map((q) => q.route)).toEqual(expect.arrayContaining([ENV_ROUTE, POST_POLICY]));
    const r = await (await session(options(s, dir))).run(false);
    expect(s.invalid).toEqual([]);
    expect(r.report.verified).toBe(true);
    expect(byName(r.report.changes)['environment-branch-policy']).toMatchObject({
      action: 'update',
      reason:
        'protected branches only → only branch main (custom deployment branch policy); "protected branches only" may not cover a branch protected by a ruleset alone',
    });
    expect(s.repo('octo', 'app').environments.get(DEPLOY_ENVIRONMENT)!.deployment_branch_policy).toEqual(CUSTOM);
    expect(patterns(s)).toEqual(['branch:main']);
    const n = s.writes().length;
    const again = await (await session(options(s, dir))).run(false);
    expect(again.report.writes).toBe(0);
    expect(s.writes().length).toBe(n);
  });

  test('keeps the reviewers, self-review rule and wait timer the user set; --prune resets them', async () => {
    const s = await start();
    seed(s, {
      wait_timer: 15,
      prevent_self_review: true,
      reviewers: [
        { type: 'User', id: 41 },
        { type: 'Team', id: 7 },
      ],
    });
    const dir = await tempDir();
    const r = await (await session(options(s, dir))).run(false);
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
    expect(envWrites(s)).toHaveLength(1);
    expect(envWrites(s)[0]!.body).toEqual({
      wait_timer: 15,
      prevent_self_review: true,
      reviewers: [
        { type: 'User', id: 41 },
        { type: 'Team', id: 7 },
      ],
      deployment_branch_policy: CUSTOM,
    });
    const env = s.repo('octo', 'app').environments.get(DEPLOY_ENVIRONMENT)!;
    expect(env.reviewers).toEqual([
      { type: 'User', id: 41 },
      { type: 'Team', id: 7 },
    ]);
    expect(env.wait_timer).toBe(15);
    const by = byName(r.report.changes);
    expect(by['environment-branch-policy']).toMatchObject({
      action: 'update',
      reason: 'any branch may deploy → only branch main (custom deployment branch policy)',
    });
    expect(by['environment-reviewers']).toMatchObject({
      action: 'unchanged',
      reason: 'user reviewer-41, team team-7 (kept)',
    });
    expect(by['environment-wait-timer']).toMatchObject({ action: 'unchanged' });
    expect(r.report.notes.join('\n')).not.toMatch(/Required reviewers/);

    const pruned = await (await session(options(s, dir, { prune: true }))).run(false);
    // The pattern is already there: only the PUT resetting reviewers and timer.
    expect(pruned.report.writes).toBe(1);
    expect(patterns(s)).toEqual(['branch:main']);
    expect(s.repo('octo', 'app').environments.get(DEPLOY_ENVIRONMENT)).toMatchObject({
      reviewers: [],
      wait_timer: 0,
      prevent_self_review: false,
    });
    expect(byName(pruned.report.changes)['environment-reviewers']).toMatchObject({ action: 'update' });
    expect(s.invalid).toEqual([]);
  });

  test('custom patterns of the user are merged (ours added, theirs kept); --prune deletes the others; re-runs send nothing', async () => {
    const s = await start();
    seed(s, {
      deployment_branch_policy: CUSTOM,
      branch_policies: [
        { id: 501, node_id: 'DBP_501', name: 'release/*', type: 'branch' },
        { id: 502, node_id: 'DBP_502', name: 'v*', type: 'tag' },
      ],
    });
    const dir = await tempDir();
    const merged = await (await session(options(s, dir))).run(false);
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
    // Already custom: no PUT, just the missing pattern.
    expect(envWrites(s)).toHaveLength(0);
    expect(policyWrites(s).map((w) => w.route)).toEqual([POST_POLICY]);
    expect(patterns(s)).toEqual(['branch:release/*', 'tag:v*', 'branch:main']);
    const by = byName(merged.report.changes);
    expect(by['environment-branch-policy']).toMatchObject({
      action: 'update',
      reason: 'branches and tags matching release/*, tag v* → only branch main (custom deployment branch policy)',
    });
    expect(by['environment-other-branches']).toMatchObject({
      action: 'unchanged',
      reason: 'release/*, tag v* may also deploy (your patterns, kept; --prune removes them)',
    });
    expect(merged.report.notes.join('\n')).toMatch(
      /also lets release\/\*, tag v\* deploy .*--prune removes them so only main can deploy/,
    );
    expect(merged.report.verified).toBe(true);

    const kept = await (await session(options(s, dir))).run(false);
    expect(kept.report.writes).toBe(0);
    expect(byName(kept.report.changes)['environment-branch-policy']).toMatchObject({ action: 'unchanged' });

    const pruned = await (await session(options(s, dir, { prune: true }))).run(false);
    expect(s.invalid).toEqual([]);
    expect(pruned.report.verified).toBe(true);
    expect(envWrites(s)).toHaveLength(0);
    const deletes = policyWrites(s).filter((w) => w.route === DELETE_POLICY);
    expect(deletes.map((w) => w.path).sort()).toEqual([
      '/repos/octo/app/environments/production/deployment-branch-policies/501',
      '/repos/octo/app/environments/production/deployment-branch-policies/502',
    ]);
    expect(byName(pruned.report.changes)['environment-other-branches']).toMatchObject({
      action: 'update',
      reason: 'release/*, tag v* → removed (only main may deploy)',
    });
    expect(patterns(s)).toEqual(['branch:main']);

    const after = await (await session(options(s, dir, { prune: true }))).run(false);
    expect(after.report.writes).toBe(0);
    expect(byName(after.report.changes)['environment-other-branches']).toBeUndefined();
  });

  test('a user pattern that also matches the branch (main*) is not ours: ours is added, theirs reported as other', async () => {
    const s = await start();
    seed(s, {
      deployment_branch_policy: CUSTOM,
      branch_policies: [{ id: 601, node_id: 'DBP_601', name: 'main*', type: 'branch' }],
    });
    const r = await (await session(options(s, await tempDir()))).run(false);
    expect(patterns(s)).toEqual(['branch:main*', 'branch:main']);
    expect(byName(r.report.changes)['environment-other-branches']).toMatchObject({
      action: 'unchanged',
      reason: expect.stringMatching(/^main\* may also deploy/),
    });
  });

  test('more than one page of patterns: all are read, none re-added', async () => {
    const s = await start();
    const many = Array.from({ length: 150 }, (_, i) => ({
      id: 700 + i,
      node_id: `DBP_${700 + i}`,
      name: `feature-${i}`,
      type: 'branch' as const,
    }));
    seed(s, {
      deployment_branch_policy: CUSTOM,
      branch_policies: [...many, { id: 999, node_id: 'DBP_999', name: 'main', type: 'branch' }],
    });
    const r = await (await session(options(s, await tempDir()))).run(false);
    expect(s.invalid).toEqual([]);
    expect(policyWrites(s)).toEqual([]);
    expect(byName(r.report.changes)['environment-branch-policy']).toMatchObject({ action: 'unchanged' });
    // Each read (plan, then read-back after the other writes) takes page 1 then page 2.
    const pages = s.requests
      .filter((q) => q.route === `GET ${POLICIES}` && q.path.includes(`/environments/${DEPLOY_ENVIRONMENT}/`))
      .map((q) => q.query.page);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages).toEqual(pages.map((_, i) => String((i % 2) + 1)));
  });

  test('deploy stage not selected: the environment is neither read nor written', async () => {
    const s = await start();
    const r = await (
      await session(
        options(s, await tempDir(), { configure: (c) => (c.stages = c.stages.filter((x) => x !== 'deploy')) }),
      )
    ).run(false);
    expect(r.report.writes).toBeGreaterThan(0);
    expect(s.requests.filter((q) => q.path.includes(`/environments/${DEPLOY_ENVIRONMENT}`))).toEqual([]);
    expect(s.repo('octo', 'app').environments.has(DEPLOY_ENVIRONMENT)).toBe(false);
    expect(
      r.report.changes.filter((c) => c.target === 'deploy-environment' || c.target.startsWith('environment-')),
    ).toEqual([]);
  });

  test('private repository on the Free plan (plan visible): skipped with the reason, no request to write it', async () => {
    const s = await start({ private: true, plan: 'free', ownerType: 'User', collaborators: 1 });
    const r = await cli(['protect', '--repo', 'octo/app'], testEnv(s), await tempDir());
    expect(r.code).toBe(2); // branch protection itself could not be applied: the plan rules it out
    expect(r.stdout).toMatch(/deployment environments on a private repository need GitHub Pro/);
    expect(envWrites(s)).toEqual([]);
    expect(s.invalid).toEqual([]);
  });

  test('private repository whose plan the token cannot see: a 403 plan answer fails only the environment; exit 2', async () => {
    // Branch rules are allowed here (a paid plan), but the environment write is refused as on a plan without them.
    const s = await start({ private: true, plan: 'pro', planVisible: false, advancedSecurity: true });
    s.inject({ route: ENV_ROUTE, fault: 'plan' });
    const r = await cli(['protect', '--repo', 'octo/app', '--json'], testEnv(s), await tempDir());
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { changes: { target: string; action: string; reason: string }[] };
    const by = byName(report.changes);
    expect(by['deploy-environment']).toMatchObject({ action: 'failed' });
    expect(by['deploy-environment']!.reason).toMatch(/not available on this plan \(403: Upgrade to GitHub Pro/);
    expect(by['environment-branch-policy']).toMatchObject({ action: 'failed' });
    expect(by['signed-commits']).toMatchObject({ action: 'create' });
    expect(s.repo('octo', 'app').rulesets).toHaveLength(1);
    expect(r.stderr).toMatch(/deploy-environment/);
    expect(r.stderr).toMatch(/deployment environments/);
    expect(s.invalid).toEqual([]);
  });

  test("a 422 on the environment is reported with GitHub's message; the rest is applied", async () => {
    const s = await start();
    s.inject({ route: ENV_ROUTE, fault: 'unprocessable', times: 1 });
    const r = await cli(['protect', '--repo', 'octo/app', '--json'], testEnv(s), await tempDir());
    expect(r.code).toBe(2);
    const by = byName(
      (JSON.parse(r.stdout) as { changes: { target: string; action: string; reason: string }[] }).changes,
    );
    expect(by['deploy-environment']).toMatchObject({
      action: 'failed',
      reason: expect.stringMatching(/422: Validation Failed; Injected validation failure/),
    });
    expect(by['signed-commits']).toMatchObject({ action: 'create' });
    // The pattern builds on the environment: not sent after the PUT failed, and its line keeps the PUT's reason.
    expect(policyWrites(s)).toEqual([]);
    expect(by['environment-branch-policy']).toMatchObject({ action: 'failed', reason: expect.stringMatching(/422/) });
    // The next run creates it: only what still differs is sent.
    const again = await cli(['protect', '--repo', 'octo/app', '--json'], testEnv(s), await tempDir());
    expect(again.code).toBe(0);
    expect(envWrites(s)).toHaveLength(2);
    expect(s.repo('octo', 'app').environments.has(DEPLOY_ENVIRONMENT)).toBe(true);
    expect(patterns(s)).toEqual(['branch:main']);
  });

  test('a refused pattern write fails only the branch-policy line, and the next run adds just the pattern', async () => {
    const s = await start();
    s.inject({ route: POST_POLICY, fault: 'forbidden-admin', times: 1 });
    const r = await cli(['protect', '--repo', 'octo/app', '--json'], testEnv(s), await tempDir());
    expect(r.code).toBe(2);
    const by = byName(
      (JSON.parse(r.stdout) as { changes: { target: string; action: string; reason: string }[] }).changes,
    );
    expect(by['deploy-environment']).toMatchObject({ action: 'create' });
    expect(by['environment-branch-policy']).toMatchObject({ action: 'failed' });
    // Custom policies on with no pattern: nothing may deploy until the next run, never everything.
    expect(patterns(s)).toEqual([]);
    const again = await cli(['protect', '--repo', 'octo/app', '--json'], testEnv(s), await tempDir());
    expect(again.code).toBe(0);
    expect(envWrites(s)).toHaveLength(1);
    expect(patterns(s)).toEqual(['branch:main']);
  });

  test('patterns the token cannot list: the environment is left alone and reported as not checked', async () => {
    const s = await start();
    seed(s, { deployment_branch_policy: CUSTOM });
    s.inject({ route: `GET ${POLICIES}`, fault: 'forbidden-admin' });
    const r = await (await session(options(s, await tempDir()))).run(false);
    expect(policyWrites(s)).toEqual([]);
    expect(envWrites(s)).toEqual([]);
    expect(byName(r.report.changes)['environment-branch-policy']).toMatchObject({
      action: 'skip',
      reason: expect.stringMatching(/could not read environment "production"/),
    });
  });

  test('an environment the token cannot read is left alone and reported as not checked', async () => {
    const s = await start();
    s.inject({ route: 'GET /repos/{owner}/{repo}/environments/{environment_name}', fault: 'forbidden-admin' });
    const r = await (await session(options(s, await tempDir()))).run(false);
    expect(envWrites(s)).toEqual([]);
    expect(byName(r.report.changes)['deploy-environment']).toMatchObject({
      action: 'skip',
      reason: expect.stringMatching(/could not read environment "production"/),
    });
    expect(byName(r.report.changes)['signed-commits']).toMatchObject({ action: 'create' });
  });

  test("the mock holds PUT to GitHub's rule that the two branch-policy flags differ", async () => {
    const s = await start();
    const res = await fetch(`${s.url}/repos/octo/app/environments/production`, {
      method: 'PUT',
      headers: { authorization: `token ${testEnv(s).GITHUB_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deployment_branch_policy: { protected_branches: true, custom_branch_policies: true } }),
    });
    expect(res.status).toBe(422);
    const bad = await fetch(`${s.url}/repos/octo/app/environments/production`, {
      method: 'PUT',
      headers: { authorization: `token ${testEnv(s).GITHUB_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reviewers: [{ type: 'Robot', id: 1 }] }),
    });
    expect(bad.status).toBe(422);
    expect(s.invalid).toHaveLength(1);
  });

  test("the mock holds the pattern routes to GitHub's rules: 404 while custom policies are off, 303 on a duplicate, schema-checked bodies", async () => {
    const s = await start();
    seed(s, { deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } });
    const url = `${s.url}/repos/octo/app/environments/production/deployment-branch-policies`;
    const headers = { authorization: `token ${testEnv(s).GITHUB_TOKEN}`, 'content-type': 'application/json' };
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', headers, body: JSON.stringify(body), redirect: 'manual' });
    expect((await post({ name: 'main', type: 'branch' })).status).toBe(404);
    s.repo('octo', 'app').environments.get(DEPLOY_ENVIRONMENT)!.deployment_branch_policy = CUSTOM;
    const made = await post({ name: 'main', type: 'branch' });
    expect(made.status).toBe(200);
    const policy = (await made.json()) as { id: number; name: string; type: string };
    expect(policy).toMatchObject({ name: 'main', type: 'branch' });
    expect((await post({ name: 'main', type: 'branch' })).status).toBe(303);
    expect(s.invalid).toEqual([]);
    expect((await post({ name: 'main', type: 'commit' })).status).toBe(422);
    expect((await post({ type: 'branch' })).status).toBe(422);
    expect(s.invalid).toHaveLength(2);
    const list = (await (await fetch(url, { headers })).json()) as {
      total_count: number;
      branch_policies: { id: number }[];
    };
    expect(list).toMatchObject({ total_count: 1, branch_policies: [{ id: policy.id }] });
    expect((await fetch(`${url}/${policy.id}`, { method: 'DELETE', headers })).status).toBe(204);
    expect((await fetch(`${url}/${policy.id}`, { method: 'DELETE', headers })).status).toBe(404);
    expect(patterns(s)).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
  });
});
