import { afterAll, describe, expect, test } from 'vitest';
import { DEPLOY_ENVIRONMENT } from '../../src/templates/workflows/deploy.js';
import type { EnvironmentRecord, GitHubServer, RepoInit } from '../support/github-server.js';
import { cli, options, session, tempDir, testEnv, withServer } from './helpers.js';

const servers: GitHubServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function start(repo: Partial<RepoInit> = {}): Promise<GitHubServer> {
  const server = await withServer([{ owner: 'octo', name: 'app', ownerType: 'Organization', collaborators: 3, ...repo }]);
  servers.push(server);
  return server;
}

const ENV_ROUTE = 'PUT /repos/{owner}/{repo}/environments/{environment_name}';
const envWrites = (s: GitHubServer) => s.writes().filter((w) => w.route === ENV_ROUTE);
const byName = (changes: { setting: string; action: string; reason: string }[]) => Object.fromEntries(changes.map((c) => [c.setting, c]));

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
    ...over,
  });
}

describe.concurrent('the deploy environment', () => {
  test('is created limited to protected branches, with no invented reviewers; a re-run sends no write', async () => {
    const s = await start();
    const sess = await session(options(s, await tempDir()));
    const first = await sess.run(false);
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
    expect(first.report.verified).toBe(true);

    const env = s.repo('octo', 'app').environments.get(DEPLOY_ENVIRONMENT);
    expect(env).toMatchObject({ name: 'production', deployment_branch_policy: { protected_branches: true, custom_branch_policies: false }, reviewers: [], wait_timer: 0 });
    expect(envWrites(s)).toHaveLength(1);
    expect(envWrites(s)[0]!.path).toBe('/repos/octo/app/environments/production');
    const by = byName(first.report.changes);
    expect(by['deploy-environment']).toMatchObject({ action: 'create' });
    expect(by['environment-branch-policy']).toMatchObject({ action: 'create', reason: 'protected branches only' });
    // The policy asks for a review (1 approval, 3 collaborators): we point at the setting instead of picking people.
    expect(by['environment-reviewers']).toMatchObject({ action: 'unchanged', reason: 'none' });
    expect(first.report.notes.join('\n')).toMatch(/Settings → Environments → production → Required reviewers/);

    const n = s.writes().length;
    const second = await sess.run(false);
    expect(s.writes().length).toBe(n);
    expect(second.report.writes).toBe(0);
    expect(byName(second.report.changes)['deploy-environment']).toMatchObject({ action: 'unchanged' });
    expect(s.requests.filter((r) => r.route === 'GET /repos/{owner}/{repo}/environments/{environment_name}').length).toBeGreaterThanOrEqual(3);
  });

  test('keeps the reviewers, self-review rule and wait timer the user set; --prune resets them', async () => {
    const s = await start();
    seed(s, { wait_timer: 15, prevent_self_review: true, reviewers: [{ type: 'User', id: 41 }, { type: 'Team', id: 7 }] });
    const dir = await tempDir();
    const r = await (await session(options(s, dir))).run(false);
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
    expect(envWrites(s)).toHaveLength(1);
    expect(envWrites(s)[0]!.body).toEqual({
      wait_timer: 15,
      prevent_self_review: true,
      reviewers: [{ type: 'User', id: 41 }, { type: 'Team', id: 7 }],
      deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
    });
    const env = s.repo('octo', 'app').environments.get(DEPLOY_ENVIRONMENT)!;
    expect(env.reviewers).toEqual([{ type: 'User', id: 41 }, { type: 'Team', id: 7 }]);
    expect(env.wait_timer).toBe(15);
    const by = byName(r.report.changes);
    expect(by['environment-branch-policy']).toMatchObject({ action: 'update', reason: 'any branch may deploy → protected branches only' });
    expect(by['environment-reviewers']).toMatchObject({ action: 'unchanged', reason: 'user reviewer-41, team team-7 (kept)' });
    expect(by['environment-wait-timer']).toMatchObject({ action: 'unchanged' });
    expect(r.report.notes.join('\n')).not.toMatch(/Required reviewers/);

    const pruned = await (await session(options(s, dir, { prune: true }))).run(false);
    expect(pruned.report.writes).toBe(1);
    expect(s.repo('octo', 'app').environments.get(DEPLOY_ENVIRONMENT)).toMatchObject({ reviewers: [], wait_timer: 0, prevent_self_review: false });
    expect(byName(pruned.report.changes)['environment-reviewers']).toMatchObject({ action: 'update' });
    expect(s.invalid).toEqual([]);
  });

  test('custom deployment branch patterns stay without --prune (no write); --prune switches to protected branches', async () => {
    const s = await start();
    seed(s, { deployment_branch_policy: { protected_branches: false, custom_branch_policies: true } });
    const dir = await tempDir();
    await (await session(options(s, dir))).run(false);
    const kept = await (await session(options(s, dir))).run(false);
    expect(envWrites(s)).toHaveLength(0);
    expect(kept.report.notes.join('\n')).toMatch(/keeps its custom deployment branch patterns/);
    expect(byName(kept.report.changes)['environment-branch-policy']).toMatchObject({ action: 'unchanged' });

    await (await session(options(s, dir, { prune: true }))).run(false);
    expect(envWrites(s)).toHaveLength(1);
    expect(s.repo('octo', 'app').environments.get(DEPLOY_ENVIRONMENT)!.deployment_branch_policy).toEqual({ protected_branches: true, custom_branch_policies: false });
    expect(s.invalid).toEqual([]);
  });

  test('deploy stage not selected: the environment is neither read nor written', async () => {
    const s = await start();
    const r = await (await session(options(s, await tempDir(), { configure: (c) => (c.stages = c.stages.filter((x) => x !== 'deploy')) }))).run(false);
    expect(r.report.writes).toBeGreaterThan(0);
    expect(s.requests.filter((q) => q.route?.includes('/environments/'))).toEqual([]);
    expect(s.repo('octo', 'app').environments.size).toBe(0);
    expect(r.report.changes.filter((c) => c.setting.includes('environment'))).toEqual([]);
  });

  test('private repository on the Free plan (plan visible): skipped with the reason, no request to write it', async () => {
    const s = await start({ private: true, plan: 'free', ownerType: 'User', collaborators: 1 });
    const r = await cli(['protect', '--repo', 'octo/app'], testEnv(s), await tempDir());
    expect(r.code).toBe(0);
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
    const report = JSON.parse(r.stdout) as { changes: { setting: string; action: string; reason: string }[] };
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

  test('a 422 on the environment is reported with GitHub\'s message; the rest is applied', async () => {
    const s = await start();
    s.inject({ route: ENV_ROUTE, fault: 'unprocessable', times: 1 });
    const r = await cli(['protect', '--repo', 'octo/app', '--json'], testEnv(s), await tempDir());
    expect(r.code).toBe(2);
    const by = byName((JSON.parse(r.stdout) as { changes: { setting: string; action: string; reason: string }[] }).changes);
    expect(by['deploy-environment']).toMatchObject({ action: 'failed', reason: expect.stringMatching(/422: Validation Failed; Injected validation failure/) });
    expect(by['signed-commits']).toMatchObject({ action: 'create' });
    // The next run creates it: only what still differs is sent.
    const again = await cli(['protect', '--repo', 'octo/app', '--json'], testEnv(s), await tempDir());
    expect(again.code).toBe(0);
    expect(envWrites(s)).toHaveLength(2);
    expect(s.repo('octo', 'app').environments.has(DEPLOY_ENVIRONMENT)).toBe(true);
  });

  test('an environment the token cannot read is left alone and reported as not checked', async () => {
    const s = await start();
    s.inject({ route: 'GET /repos/{owner}/{repo}/environments/{environment_name}', fault: 'forbidden-admin' });
    const r = await (await session(options(s, await tempDir()))).run(false);
    expect(envWrites(s)).toEqual([]);
    expect(byName(r.report.changes)['deploy-environment']).toMatchObject({ action: 'skip', reason: expect.stringMatching(/could not read environment "production"/) });
    expect(byName(r.report.changes)['signed-commits']).toMatchObject({ action: 'create' });
  });

  test('the mock holds PUT to GitHub\'s rule that the two branch-policy flags differ', async () => {
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
});
