import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REQUIRED_CHECK_NAME } from '../../src/detect/checks.js';
import { RULESET_NAME } from '../../src/github/http.js';
import { cli, options, serverPool, session, tempDir, testEnv } from './helpers.js';

const start = serverPool();

type Json = Record<string, unknown>;
const ruleTypes = (rs: Json) => (rs.rules as Json[]).map((r) => r.type).sort();
const rule = (rs: Json, type: string) => (rs.rules as Json[]).find((r) => r.type === type)?.parameters as Json;

describe.concurrent('rulesets (auto mode)', () => {
  test('applies the whole policy, every request matches the OpenAPI description, and a re-run sends no write', async () => {
    const s = await start({ ownerType: 'Organization', collaborators: 4 });
    const sess = await session(options(s, await tempDir()));
    const first = await sess.run(false);
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
    expect(first.report.mechanism).toBe('rulesets');
    expect(first.report.verified).toBe(true);
    expect(first.report.changes.filter((c) => c.action === 'failed' || c.action === 'skip')).toEqual([]);

    const repo = s.repo('octo', 'app');
    expect(repo.rulesets).toHaveLength(1);
    const rs = repo.rulesets[0]!;
    expect(rs.name).toBe(RULESET_NAME);
    expect(rs.enforcement).toBe('active');
    // Four people with write access: reviews stay, and admins may bypass on a pull request (never on a push).
    expect(rs.bypass_actors).toEqual([{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'pull_request' }]);
    expect(rs.conditions).toEqual({ ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } });
    expect(ruleTypes(rs)).toEqual([
      'deletion',
      'non_fast_forward',
      'pull_request',
      'required_signatures',
      'required_status_checks',
    ]);
    expect(rule(rs, 'pull_request')).toMatchObject({
      required_approving_review_count: 1,
      dismiss_stale_reviews_on_push: true,
      require_code_owner_review: false, // no CODEOWNERS in the temp repo
      require_last_push_approval: true,
      required_review_thread_resolution: true,
      // Signed commits: squash only, the method whose commit GitHub signs.
      allowed_merge_methods: ['squash'],
    });
    expect(rule(rs, 'required_status_checks')).toEqual({
      strict_required_status_checks_policy: true,
      do_not_enforce_on_create: true,
      required_status_checks: [{ context: REQUIRED_CHECK_NAME }],
    });
    expect(repo.vulnerabilityAlerts && repo.automatedSecurityFixes && repo.secretScanning && repo.pushProtection).toBe(
      true,
    );
    expect(repo.privateVulnerabilityReporting).toBe(true);
    expect(repo.workflow).toEqual({ default_workflow_permissions: 'read', can_approve_pull_request_reviews: false });
    expect(repo.allowRebaseMerge).toBe(false);

    const writesBefore = s.writes().length;
    const second = await sess.run(false);
    expect(s.writes().length).toBe(writesBefore);
    expect(second.report.writes).toBe(0);
    expect(second.report.changes.every((c) => c.action === 'unchanged')).toBe(true);
  });

  test('works before the branch exists (empty repository)', async () => {
    const s = await start({ branches: [] });
    const r = await (await session(options(s, await tempDir()))).run(false);
    expect(r.report.mechanism).toBe('rulesets');
    expect(s.repo('octo', 'app').rulesets).toHaveLength(1);
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
  });

  test('keeps bypass actors and extra checks the user added; --prune removes them', async () => {
    const s = await start({ ownerType: 'Organization', collaborators: 3 });
    const dir = await tempDir();
    await (await session(options(s, dir))).run(false);
    const repo = s.repo('octo', 'app');
    const rs = repo.rulesets[0]!;
    rs.bypass_actors = [{ actor_id: 7, actor_type: 'Team', bypass_mode: 'pull_request' }];
    (rule(rs, 'required_status_checks').required_status_checks as Json[]).push({ context: 'ci/legacy' });
    rule(rs, 'pull_request').required_approving_review_count = 3;

    // Theirs is kept, the admin pull-request bypass the policy asks for is put back, nothing is weakened.
    const kept = await (await session(options(s, dir))).run(false);
    expect(kept.report.writes).toBe(1);
    expect(repo.rulesets[0]!.bypass_actors).toEqual([
      { actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'pull_request' },
      { actor_id: 7, actor_type: 'Team', bypass_mode: 'pull_request' },
    ]);
    expect(rule(repo.rulesets[0]!, 'pull_request').required_approving_review_count).toBe(3);
    expect((await (await session(options(s, dir))).run(false)).report.writes).toBe(0);

    const pruned = await (await session(options(s, dir, { prune: true }))).run(false);
    expect(pruned.report.writes).toBe(1);
    const after = repo.rulesets[0]!;
    expect(after.bypass_actors).toEqual([{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'pull_request' }]);
    expect(rule(after, 'required_status_checks').required_status_checks).toEqual([{ context: REQUIRED_CHECK_NAME }]);
    expect(rule(after, 'pull_request').required_approving_review_count).toBe(1);
    expect(pruned.report.changes.find((c) => c.target === 'bypass-actors')?.action).toBe('update');
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
  });

  test('a ruleset changed on GitHub is put back with one PUT, not duplicated', async () => {
    const s = await start({ ownerType: 'Organization', collaborators: 3 });
    const dir = await tempDir();
    await (await session(options(s, dir))).run(false);
    const repo = s.repo('octo', 'app');
    repo.rulesets[0]!.rules = (repo.rulesets[0]!.rules as Json[]).filter((r) => r.type !== 'required_signatures');
    const r = await (await session(options(s, dir))).run(false);
    expect(r.report.changes.find((c) => c.target === 'signed-commits')).toMatchObject({
      action: 'update',
      reason: 'off → on',
    });
    expect(s.writes().slice(-1)[0]!.route).toBe('PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}');
    expect(repo.rulesets).toHaveLength(1);
    expect(ruleTypes(repo.rulesets[0]!)).toContain('required_signatures');
  });
});

describe.concurrent('classic branch protection', () => {
  test('PUT protection + POST required_signatures, GET reflects it, re-run sends nothing', async () => {
    // GitHub pins a check sent without app_id to the app that reported it last; that must not cause a rewrite.
    const s = await start({
      ownerType: 'Organization',
      collaborators: 2,
      recentCheckApps: { [REQUIRED_CHECK_NAME]: 15368 },
    });
    const sess = await session(options(s, await tempDir(), { mode: 'classic' }));
    const first = await sess.run(false);
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
    expect(first.report.mechanism).toBe('classic');
    const routes = s.writes().map((w) => w.route);
    expect(routes.indexOf('PUT /repos/{owner}/{repo}/branches/{branch}/protection')).toBeLessThan(
      routes.indexOf('POST /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures'),
    );
    const put = s.writes().find((w) => w.route?.endsWith('/protection'))!.body as Json;
    // Classic names: plural code-owner key, top-level conversation resolution, checks not contexts.
    expect(put).toMatchObject({
      enforce_admins: true,
      allow_force_pushes: false,
      allow_deletions: false,
      required_conversation_resolution: true,
      required_linear_history: false,
      restrictions: null,
      required_status_checks: { strict: true, checks: [{ context: REQUIRED_CHECK_NAME }] },
      required_pull_request_reviews: {
        required_approving_review_count: 1,
        dismiss_stale_reviews: true,
        require_code_owner_reviews: false,
        require_last_push_approval: true,
      },
    });
    expect((put.required_status_checks as Json).contexts).toBeUndefined();
    const prot = s.repo('octo', 'app').protection.get('main')!;
    expect(prot.required_signatures).toMatchObject({ enabled: true });
    expect((prot.required_status_checks as Json).checks).toEqual([{ context: REQUIRED_CHECK_NAME, app_id: 15368 }]);

    const n = s.writes().length;
    const again = await sess.run(false);
    expect(again.report.writes).toBe(0);
    expect(s.writes().length).toBe(n);
  });

  test('keeps extra checks, reviewers and stricter values unless --prune', async () => {
    const s = await start({ ownerType: 'Organization', collaborators: 5 });
    const dir = await tempDir();
    // Someone set protection by hand: an extra check, 2 approvals, a dismissal-restricted team, linear history.
    s.setProtection(
      'octo',
      'app',
      'main',
      {
        required_status_checks: {
          strict: true,
          checks: [{ context: REQUIRED_CHECK_NAME }, { context: 'ci/legacy', app_id: 42 }],
        },
        enforce_admins: true,
        required_pull_request_reviews: {
          dismiss_stale_reviews: true,
          require_code_owner_reviews: false,
          required_approving_review_count: 2,
          require_last_push_approval: true,
          dismissal_restrictions: { users: ['alice'], teams: ['core'] },
        },
        restrictions: null,
        required_linear_history: true,
        allow_force_pushes: false,
        allow_deletions: false,
        required_conversation_resolution: false,
      },
      true,
    );

    const merged = await (await session(options(s, dir, { mode: 'classic' }))).run(false);
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
    const branchRules = [
      'pull-request-required',
      'required-approvals',
      'dismiss-stale-reviews',
      'code-owner-reviews',
      'last-push-approval',
      'conversation-resolution',
      'required-status-checks',
      'signed-commits',
      'linear-history',
      'block-force-pushes',
      'block-deletions',
      'include-administrators',
    ];
    expect(merged.report.changes.filter((c) => branchRules.includes(c.target)).map((c) => c.target)).toEqual(
      branchRules,
    );
    expect(
      merged.report.changes.filter((c) => c.action === 'update' && branchRules.includes(c.target)).map((c) => c.target),
    ).toEqual(['conversation-resolution']);
    expect(s.writes().some((w) => w.route?.endsWith('/required_signatures'))).toBe(false);
    const body = s.writes().find((w) => w.route?.endsWith('/protection'))!.body as Json;
    expect((body.required_status_checks as Json).checks).toEqual([
      { context: REQUIRED_CHECK_NAME },
      { context: 'ci/legacy', app_id: 42 },
    ]);
    expect((body.required_pull_request_reviews as Json).required_approving_review_count).toBe(2);
    expect((body.required_pull_request_reviews as Json).dismissal_restrictions).toEqual({
      users: ['alice'],
      teams: ['core'],
      apps: [],
    });
    expect(body.required_linear_history).toBe(true);

    await (await session(options(s, dir, { mode: 'classic', prune: true }))).run(false);
    const pruned = s.writes().slice(-1)[0]!.body as Json;
    expect((pruned.required_status_checks as Json).checks).toEqual([{ context: REQUIRED_CHECK_NAME }]);
    expect((pruned.required_pull_request_reviews as Json).required_approving_review_count).toBe(1);
    expect((pruned.required_pull_request_reviews as Json).dismissal_restrictions).toBeUndefined();
    expect(pruned.required_linear_history).toBe(false);
  });

  test('empty repository: classic mode explains and sends nothing', async () => {
    const s = await start({ branches: [] });
    const r = await (await session(options(s, await tempDir(), { mode: 'classic' }))).run(false);
    const branchRules = r.report.changes.filter(
      (c) => c.target === 'signed-commits' || c.target === 'required-status-checks',
    );
    expect(branchRules.every((c) => c.action === 'skip' && /does not exist yet.*--mode rulesets/.test(c.reason))).toBe(
      true,
    );
    expect(s.writes().some((w) => w.route?.includes('/branches/'))).toBe(false);
    expect(r.report.mechanism).toBe('none');
  });

  test('a GitHub Enterprise Server without rulesets gets classic protection in auto mode', async () => {
    const server = await start(
      { rulesetsApi: false, ownerType: 'Organization', collaborators: 2 },
      { spec: 'ghes-3.17', basePath: '/api/v3' },
    );
    const r = await (await session(options(server, await tempDir()))).run(false);
    expect(server.invalid).toEqual([]);
    expect(server.invalidResponses).toEqual([]);
    expect(r.report.mechanism).toBe('classic');
    expect(server.url.endsWith('/api/v3')).toBe(true);
    expect(server.repo('octo', 'app').protection.get('main')).toBeDefined();
    // The environment endpoints are validated against the GHES description too.
    expect(server.repo('octo', 'app').environments.get('production')?.deployment_branch_policy).toEqual({
      protected_branches: false,
      custom_branch_policies: true,
    });
    expect(
      server
        .repo('octo', 'app')
        .environments.get('production')
        ?.branch_policies?.map((p) => p.name),
    ).toEqual(['main']);
  });
});

describe.concurrent('who reviews', () => {
  test('a solo maintainer gets pull requests with 0 approvals, said plainly', async () => {
    const s = await start({ ownerType: 'User', collaborators: 1 });
    const r = await (await session(options(s, await tempDir()))).run(false);
    expect(rule(s.repo('octo', 'app').rulesets[0]!, 'pull_request')).toMatchObject({
      required_approving_review_count: 0,
      require_last_push_approval: false,
    });
    expect(r.report.notes.join(' ')).toMatch(
      /one person \(@octo\) has write access here, so pull requests are required with 0 approvals/,
    );
    expect(s.repo('octo', 'app').rulesets[0]!.bypass_actors).toEqual([]);
  });

  test('an approvals count written in .secure-repo.yml wins over the solo default', async () => {
    const s = await start({ ownerType: 'User', collaborators: 1 });
    const dir = await tempDir();
    await fsp.writeFile(path.join(dir, '.secure-repo.yml'), 'version: 1\nprotection:\n  requiredApprovals: 2\n');
    await (await session(options(s, dir, { configure: (c) => (c.protection.requiredApprovals = 2) }))).run(false);
    expect(rule(s.repo('octo', 'app').rulesets[0]!, 'pull_request').required_approving_review_count).toBe(2);
  });

  test('code-owner review is required when a CODEOWNERS file exists', async () => {
    const s = await start({ ownerType: 'Organization', collaborators: 3 });
    const dir = await tempDir();
    await fsp.mkdir(path.join(dir, '.github'));
    await fsp.writeFile(path.join(dir, '.github', 'CODEOWNERS'), '* @octo/core\n');
    await (await session(options(s, dir))).run(false);
    expect(rule(s.repo('octo', 'app').rulesets[0]!, 'pull_request').require_code_owner_review).toBe(true);
  });
});

describe.concurrent('plans and permissions', () => {
  test('a private repository on the Free plan: branch rules skipped with the reason, the rest applied, re-run silent', async () => {
    const s = await start({ private: true, plan: 'free' });
    const dir = await tempDir();
    const r = await cli(['protect', '--repo', 'octo/app', '--json'], testEnv(s), dir);
    // Branch protection, protect's whole purpose, could not be applied: exit 2, the report still on stdout.
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /branch protection could not be applied to octo\/app: .*GitHub Pro.*GitHub Free.*Ways out: make the repository public .* upgrade the account to GitHub Pro/,
    );
    const report = JSON.parse(r.stdout) as {
      changes: { target: string; action: string; reason: string }[];
      mechanism: string;
      blocked: { kind: string };
    };
    expect(report.blocked).toMatchObject({ kind: 'plan' });
    const by = Object.fromEntries(report.changes.map((c) => [c.target, c]));
    expect(by['signed-commits']).toMatchObject({ action: 'skip' });
    expect(by['signed-commits']!.reason).toMatch(/GitHub Pro/);
    expect(by['secret-scanning']).toMatchObject({ action: 'skip' });
    expect(by['secret-scanning']!.reason).toMatch(/Secret Protection/);
    expect(by['private-vulnerability-reporting']).toMatchObject({ action: 'skip' });
    expect(by['dependabot-alerts']).toMatchObject({ action: 'update' });
    expect(by['workflow-token-read-only']).toMatchObject({ action: 'update' });
    expect(s.writes().some((w) => w.route?.includes('rulesets') || w.route?.includes('protection'))).toBe(false);
    expect(s.invalid).toEqual([]);
    expect(s.invalidResponses).toEqual([]);
    const n = s.writes().length;
    const again = await cli(['protect', '--repo', 'octo/app'], testEnv(s), dir);
    expect(again.code).toBe(2);
    expect(s.writes().length).toBe(n);
    expect(again.stdout).toMatch(/no request was sent/);
  });

  test('plan not visible to the token: the 403 "Upgrade to GitHub Pro" on reading is enough to skip without a write', async () => {
    const s = await start({
      private: true,
      plan: 'free',
      planVisible: false,
      ownerType: 'Organization',
      collaborators: 3,
    });
    for (const mode of ['classic', 'rulesets']) {
      const r = await cli(['protect', '--repo', 'octo/app', '--mode', mode], testEnv(s), await tempDir());
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/needs? GitHub Team \(organizations\); the organization octo is on GitHub Free/);
      expect(r.stderr).toMatch(/upgrade the organization to GitHub Team/);
    }
    expect(s.writes().some((w) => w.route?.includes('rulesets') || w.route?.includes('protection'))).toBe(false);
  });

  test('a 403 plan answer to a write marks those settings failed, applies the rest, and exits 2 naming the plans', async () => {
    const s = await start({ ownerType: 'Organization', collaborators: 3 });
    s.inject({ route: 'POST /repos/{owner}/{repo}/rulesets', fault: 'plan' });
    const r = await cli(['protect', '--repo', 'octo/app'], testEnv(s), await tempDir());
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /✗ signed-commits\s+not available on this plan \(403: Upgrade to GitHub Pro or make this repository public/,
    );
    expect(r.stderr).toMatch(/GitHub Pro \(personal accounts\) or GitHub Team/);
    expect(s.repo('octo', 'app').vulnerabilityAlerts).toBe(true);
    expect(s.repo('octo', 'app').workflow.default_workflow_permissions).toBe('read');
  });

  test('no admin rights: exit 2 naming "Administration: write" and the `repo` scope, no write sent', async () => {
    const s = await start({ admin: false });
    const r = await cli(['protect', '--repo', 'octo/app'], testEnv(s), await tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Administration: write/);
    expect(r.stderr).toMatch(/`repo` scope/);
    expect(s.writes()).toEqual([]);
  });

  test('a write GitHub accepts but does not keep is reported as failed after the read-back', async () => {
    const s = await start();
    s.repo('octo', 'app').vulnerabilityAlerts = false;
    s.inject({ route: 'PUT /repos/{owner}/{repo}/vulnerability-alerts', fault: 'ignored' });
    const r = await (await session(options(s, await tempDir()))).run(false);
    expect(r.report.verified).toBe(false);
    expect(r.report.changes.find((c) => c.target === 'dependabot-alerts')).toMatchObject({
      action: 'failed',
      reason: expect.stringMatching(/GitHub accepted the request but the setting reads back unchanged/),
    });
  });

  test('no admin rights on an empty repository (nothing to read that would refuse): exit 2 before any write', async () => {
    // The branch protection read is what refuses a non-admin elsewhere; with no branch yet, only the admin check stops it.
    const s = await start({ admin: false, branches: [] });
    const r = await cli(['protect', '--repo', 'octo/app'], testEnv(s), await tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no admin rights/);
    expect(s.writes()).toEqual([]);
  });

  test('a token without the Administration permission (403 on reading protection): exit 2 with the same hint', async () => {
    const s = await start();
    s.inject({ route: 'GET /repos/{owner}/{repo}/branches/{branch}/protection', fault: 'forbidden-admin' });
    const r = await cli(['protect', '--repo', 'octo/app'], testEnv(s), await tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no admin rights.*Administration: write/s);
    expect(s.writes()).toEqual([]);
  });

  test('a private repository with Advanced Security on a paid plan gets everything but private vulnerability reporting', async () => {
    const s = await start({
      private: true,
      plan: 'team',
      ownerType: 'Organization',
      collaborators: 3,
      advancedSecurity: true,
    });
    const r = await (await session(options(s, await tempDir()))).run(false);
    const repo = s.repo('octo', 'app');
    expect(repo.secretScanning && repo.pushProtection).toBe(true);
    expect(repo.rulesets).toHaveLength(1);
    expect(r.report.changes.filter((c) => c.action === 'skip').map((c) => c.target)).toEqual([
      'private-vulnerability-reporting',
    ]);
    expect(s.invalid).toEqual([]);
  });

  test('an archived repository: exit 2 before any write', async () => {
    const s = await start({ archived: true });
    const r = await cli(['protect', '--repo', 'octo/app'], testEnv(s), await tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/archived.*Unarchive/);
    expect(s.writes()).toEqual([]);
  });

  test('an app installation token (no `permissions` on the repository) is let through; GitHub decides', async () => {
    const s = await start({ installationToken: true, ownerType: 'Organization', collaborators: 3 });
    const r = await (await session(options(s, await tempDir()))).run(false);
    expect(r.report.verified).toBe(true);
    expect(s.repo('octo', 'app').rulesets).toHaveLength(1);
  });
});
