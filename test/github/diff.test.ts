import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { classicBody, mergeRules, planProtection, rulesetRules } from '../../src/github/diff.js';
import { GITHUB_ACTIONS_APP_ID, desiredState } from '../../src/github/policy.js';
import { rulesFromClassic, rulesFromRuleset } from '../../src/github/read.js';
import type { BranchRules, LiveState } from '../../src/github/types.js';

function live(over: Partial<LiveState> = {}): LiveState {
  return {
    ref: { owner: 'o', repo: 'r' },
    enterprise: null,
    repo: {
      fullName: 'o/r',
      private: false,
      visibility: 'public',
      defaultBranch: 'main',
      ownerType: 'Organization',
      archived: false,
      admin: true,
      secretScanningAvailable: true,
    },
    plan: null,
    branch: 'main',
    branchExists: true,
    classic: null,
    classicRaw: null,
    classicPlanLimited: false,
    rulesetsAvailable: true,
    rulesetsPlanLimited: false,
    ruleset: null,
    otherRulesetRules: [],
    writers: 4,
    viewer: 'maintainer',
    actions: { enabled: true, allowed: 'all', selected: null },
    defaultSetup: 'not-configured',
    unreadable: {},
    codeScanningVariable: { value: null },
    settings: {
      dependabotAlerts: true,
      dependabotSecurityUpdates: true,
      secretScanning: true,
      secretScanningPushProtection: true,
      privateVulnerabilityReporting: true,
      workflowPermissions: 'read',
      actionsCanApprovePullRequests: false,
      allowRebaseMerge: false,
    },
    environment: null,
    auditToken: null,
    auditEnvironment: null,
    auditEnvironmentVariable: null,
    ...over,
  };
}

const want = (l: LiveState) => desiredState(defaultConfig().protection, { codeowners: '* @o/reviewers\n', live: l });

describe('field names differ between mechanisms and between GET and PUT', () => {
  test('the GitHub Actions app id goes to integration_id (rulesets) and app_id (classic)', () => {
    const rules = want(live()).rules;
    expect(rules.statusChecks!.checks[0]).toEqual({ context: 'security-gate', appId: GITHUB_ACTIONS_APP_ID });
    const rs = rulesetRules(rules, null, false);
    expect(rs.find((r) => r.type === 'required_status_checks')!.parameters).toMatchObject({
      required_status_checks: [{ context: 'security-gate', integration_id: 15368 }],
      strict_required_status_checks_policy: true,
    });
    expect(rs.find((r) => r.type === 'pull_request')!.parameters).toHaveProperty('require_code_owner_review', true);
    const body = classicBody(rules, null, true, false);
    expect(body.required_status_checks).toEqual({
      strict: true,
      checks: [{ context: 'security-gate', app_id: 15368 }],
    });
    expect(body.required_pull_request_reviews).toHaveProperty('require_code_owner_reviews', true);
    expect(body).toHaveProperty('required_conversation_resolution', true);
  });

  test('reading a ruleset and a classic GET gives the same vocabulary back', () => {
    const rules = want(live()).rules;
    const fromRuleset = rulesFromRuleset({
      rules: rulesetRules(rules, null, false),
      bypass_actors: rules.bypassActors,
    });
    // Rulesets say "admins are bound" through their bypass list, not a flag: the admin pull-request bypass reads as not enforced.
    expect({ ...fromRuleset, enforceAdmins: rules.enforceAdmins }).toEqual(rules);
    // The classic GET shape: booleans as {enabled}, checks with app_id.
    const get = {
      required_status_checks: {
        strict: true,
        contexts: ['security-gate'],
        checks: [{ context: 'security-gate', app_id: 15368 }],
      },
      enforce_admins: { enabled: true },
      required_pull_request_reviews: {
        dismiss_stale_reviews: true,
        require_code_owner_reviews: true,
        required_approving_review_count: 1,
        require_last_push_approval: true,
      },
      required_signatures: { enabled: true },
      required_linear_history: { enabled: false },
      allow_force_pushes: { enabled: false },
      allow_deletions: { enabled: false },
      required_conversation_resolution: { enabled: true },
    };
    // Classic protection has no bypass list, merge-method restriction or creation exemption: those are rulesets' own.
    expect(rulesFromClassic(get)).toEqual({
      ...rules,
      bypassActors: [],
      pullRequest: { ...rules.pullRequest!, allowedMergeMethods: null },
      statusChecks: { ...rules.statusChecks!, doNotEnforceOnCreate: false },
    });
  });
});

describe('merge never weakens without --prune', () => {
  const base = want(live()).rules;
  const stricter: BranchRules = {
    ...base,
    pullRequest: { ...base.pullRequest!, approvals: 3, lastPush: true },
    linearHistory: true,
    statusChecks: {
      strict: true,
      doNotEnforceOnCreate: true,
      checks: [...base.statusChecks!.checks, { context: 'e2e', appId: null }],
    },
    bypassActors: [{ actor_type: 'Team', actor_id: 9, bypass_mode: 'always' }],
  };
  test('stricter live values and extras stay', () => {
    const merged = mergeRules(stricter, base, false);
    expect(merged.pullRequest!.approvals).toBe(3);
    expect(merged.linearHistory).toBe(true);
    expect(merged.statusChecks!.checks.map((c) => c.context)).toEqual(['security-gate', 'e2e']);
    expect(merged.bypassActors).toHaveLength(2); // the policy's admin pull-request bypass and theirs
  });
  test('--prune gives exactly the policy', () => {
    expect(mergeRules(stricter, base, true)).toEqual(base);
  });
});

describe('the plan is data', () => {
  test('nothing differs: no operation', () => {
    const l = live();
    const w = want(l);
    const withRuleset = live({
      ruleset: {
        id: 5,
        rules: w.rules,
        raw: {
          enforcement: 'active',
          target: 'branch',
          conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
          bypass_actors: w.rules.bypassActors,
          rules: rulesetRules(w.rules, null, false),
        },
      },
    });
    const plan = planProtection(withRuleset, w, { mode: 'auto', prune: false });
    expect(plan.operations).toEqual([]);
    expect(plan.changes.every((c) => c.action === 'unchanged')).toBe(true);
  });

  test('security updates are enabled after alerts, and each operation names its settings', () => {
    const l = live({ settings: { ...live().settings, dependabotAlerts: false, dependabotSecurityUpdates: false } });
    const plan = planProtection(l, want(l), { mode: 'rulesets', prune: false });
    // The whole list, in order: a missing request fails here (indexOf would have compared -1).
    expect(plan.operations.map((o) => o.route)).toEqual([
      'POST /repos/{owner}/{repo}/rulesets',
      'PUT /repos/{owner}/{repo}/vulnerability-alerts',
      'PUT /repos/{owner}/{repo}/automated-security-fixes',
    ]);
    expect(plan.operations.slice(1).map((o) => o.settings)).toEqual([
      ['dependabot-alerts'],
      ['dependabot-security-updates'],
    ]);
    expect(plan.operations[0]!.settings).toContain('signed-commits');
  });

  test('signing required → rebase merging off, with the reason', () => {
    const l = live({ settings: { ...live().settings, allowRebaseMerge: true } });
    const plan = planProtection(l, want(l), { mode: 'rulesets', prune: false });
    expect(plan.operations).toContainEqual(
      expect.objectContaining({
        route: 'PATCH /repos/{owner}/{repo}',
        params: { owner: 'o', repo: 'r', allow_rebase_merge: false },
      }),
    );
    expect(plan.changes.find((c) => c.target === 'rebase-merging-off')!.reason).toMatch(/cannot sign rebased commits/);
  });

  test('a non-default branch is targeted by its ref, not ~DEFAULT_BRANCH', () => {
    const l = live({ branch: 'release' });
    const plan = planProtection(l, want(l), { mode: 'rulesets', prune: false });
    const post = plan.operations.find((o) => o.route === 'POST /repos/{owner}/{repo}/rulesets')!;
    expect(post.params.conditions).toEqual({ ref_name: { include: ['refs/heads/release'], exclude: [] } });
  });
});

test('a check left open to any app and pinned by GitHub afterwards is not a difference', () => {
  const base = want(live()).rules;
  const open: BranchRules = {
    ...base,
    statusChecks: { strict: true, doNotEnforceOnCreate: true, checks: [{ context: 'security-gate', appId: null }] },
  };
  const pinnedLive: BranchRules = {
    ...open,
    statusChecks: { strict: true, doNotEnforceOnCreate: true, checks: [{ context: 'security-gate', appId: 15368 }] },
  };
  for (const prune of [false, true])
    expect(mergeRules(pinnedLive, open, prune).statusChecks).toEqual(pinnedLive.statusChecks);
});

/** Branches the mutation pass over src/github showed no test would notice removing (see the README's test notes). */
describe('plan branches a mutation showed untested', () => {
  test('a private repository: vulnerability reporting is skipped with the reason, and no request is planned', () => {
    const l = live({
      repo: { ...live().repo, private: true, visibility: 'private' },
      settings: { ...live().settings, privateVulnerabilityReporting: false },
    });
    const plan = planProtection(l, want(l), { mode: 'rulesets', prune: false });
    expect(plan.changes.find((c) => c.target === 'private-vulnerability-reporting')).toMatchObject({
      action: 'skip',
      reason: expect.stringMatching(/public repositories only/),
    });
    expect(plan.operations.map((o) => o.route)).not.toContain(
      'PUT /repos/{owner}/{repo}/private-vulnerability-reporting',
    );
  });

  test('classic protection with --prune and signatures no longer wanted: the signatures requirement is deleted', () => {
    const config = defaultConfig();
    config.protection.requireSignedCommits = false;
    const l0 = live({ rulesetsAvailable: false });
    const w = desiredState(config.protection, { codeowners: '* @o/reviewers\n', live: l0 });
    const l = live({ rulesetsAvailable: false, classic: { ...w.rules, signatures: true }, classicRaw: {} });
    const plan = planProtection(l, w, { mode: 'classic', prune: true });
    expect(plan.operations.filter((o) => o.settings.includes('signed-commits')).map((o) => o.route)).toEqual([
      'DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures',
    ]);
    // Without --prune nothing is weakened.
    expect(planProtection(l, w, { mode: 'classic', prune: false }).operations.map((o) => o.route)).not.toContain(
      'DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures',
    );
  });

  test('our ruleset with matching rules but another enforcement is restored, and the report says why', () => {
    const l = live();
    const w = want(l);
    const raw = {
      enforcement: 'evaluate',
      target: 'branch',
      conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
      bypass_actors: w.rules.bypassActors,
      rules: rulesetRules(w.rules, null, false),
    };
    const plan = planProtection(live({ ruleset: { id: 5, rules: w.rules, raw } }), w, { mode: 'auto', prune: false });
    expect(plan.changes).toContainEqual({
      target: 'ruleset-target',
      action: 'update',
      reason: 'enforcement or target branch differs from the policy',
    });
    expect(plan.operations.map((o) => [o.route, o.settings])).toEqual([
      ['PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}', ['ruleset-target']],
    ]);
  });
});
