import { PLAN_HINT } from './errors.js';
import { RULESET_NAME } from './read.js';
import type { BranchRules, BypassActor, DesiredState, LiveState, Mechanism, Operation, ProtectPlan, SettingChange, StatusCheck } from './types.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface DiffOptions {
  mode: 'auto' | Mechanism;
  /** Drop what the user added beyond the policy (extra checks, bypass actors, reviewers) and relax stricter values. */
  prune: boolean;
}

/** Which mechanism to use: rulesets where the server has them (they also work before the branch exists). */
export function chooseMechanism(live: LiveState, mode: DiffOptions['mode']): Mechanism {
  if (mode !== 'auto') return mode;
  return live.rulesetsAvailable || live.rulesetsPlanLimited ? 'rulesets' : 'classic';
}

const actorKey = (a: BypassActor) => `${a.actor_type}:${a.actor_id ?? ''}`;

/**
 * The rules to write: the policy merged over what is live. Without prune nothing gets weaker: stricter live values,
 * extra checks and bypass actors the user added stay.
 */
export function mergeRules(live: BranchRules | null, want: BranchRules, prune: boolean): BranchRules {
  if (live && want.statusChecks && live.statusChecks) {
    // A check we leave open to any source (appId null) may be pinned by GitHub to the app that last reported it;
    // that is not a difference worth a write.
    const pinned = new Map(live.statusChecks.checks.map((c) => [c.context, c.appId]));
    want = {
      ...want,
      statusChecks: { ...want.statusChecks, checks: want.statusChecks.checks.map((c) => (c.appId === null && pinned.get(c.context) ? { ...c, appId: pinned.get(c.context)! } : c)) },
    };
  }
  if (!live || prune) return want;
  const pr = want.pullRequest && live.pullRequest
    ? {
        approvals: Math.max(want.pullRequest.approvals, live.pullRequest.approvals),
        dismissStale: want.pullRequest.dismissStale || live.pullRequest.dismissStale,
        codeOwners: want.pullRequest.codeOwners || live.pullRequest.codeOwners,
        lastPush: want.pullRequest.lastPush || live.pullRequest.lastPush,
        conversationResolution: want.pullRequest.conversationResolution || live.pullRequest.conversationResolution,
      }
    : want.pullRequest ?? live.pullRequest;
  let statusChecks = want.statusChecks ?? live.statusChecks;
  if (want.statusChecks && live.statusChecks) {
    const ours = new Set(want.statusChecks.checks.map((c) => c.context));
    statusChecks = {
      strict: want.statusChecks.strict || live.statusChecks.strict,
      checks: [...want.statusChecks.checks, ...live.statusChecks.checks.filter((c) => !ours.has(c.context))],
    };
  }
  const wantActors = new Set(want.bypassActors.map(actorKey));
  return {
    pullRequest: pr,
    statusChecks,
    signatures: want.signatures || live.signatures,
    linearHistory: want.linearHistory || live.linearHistory,
    blockForcePushes: want.blockForcePushes || live.blockForcePushes,
    blockDeletions: want.blockDeletions || live.blockDeletions,
    enforceAdmins: want.enforceAdmins || live.enforceAdmins,
    bypassActors: [...want.bypassActors, ...live.bypassActors.filter((a) => !wantActors.has(actorKey(a)))],
  };
}

const checksText = (c: StatusCheck[]) => (c.length ? c.map((x) => x.context + (x.appId && x.appId > 0 ? ` (app ${x.appId})` : '')).join(', ') : 'none');
const onOff = (b: boolean) => (b ? 'on' : 'off');

/** Per-setting view of branch rules: name → [human value, comparable key]. */
function ruleFacets(r: BranchRules | null, mechanism: Mechanism): [string, string][] {
  const pr = r?.pullRequest;
  const facets: [string, string][] = [
    ['pull-request-required', r ? onOff(Boolean(pr)) : 'off'],
    ['required-approvals', pr ? String(pr.approvals) : 'none'],
    ['dismiss-stale-reviews', onOff(Boolean(pr?.dismissStale))],
    ['code-owner-reviews', onOff(Boolean(pr?.codeOwners))],
    ['last-push-approval', onOff(Boolean(pr?.lastPush))],
    ['conversation-resolution', onOff(Boolean(pr?.conversationResolution))],
    ['required-status-checks', r?.statusChecks ? `${checksText(r.statusChecks.checks)}${r.statusChecks.strict ? ', up to date (strict)' : ''}` : 'none'],
    ['signed-commits', onOff(Boolean(r?.signatures))],
    ['linear-history', onOff(Boolean(r?.linearHistory))],
    ['block-force-pushes', onOff(Boolean(r?.blockForcePushes))],
    ['block-deletions', onOff(Boolean(r?.blockDeletions))],
  ];
  if (mechanism === 'classic') facets.push(['include-administrators', onOff(Boolean(r?.enforceAdmins))]);
  else facets.push(['bypass-actors', r && r.bypassActors.length ? r.bypassActors.map((a) => `${a.actor_type}${a.actor_id !== null ? ` ${a.actor_id}` : ''} (${a.bypass_mode})`).join(', ') : 'none']);
  return facets;
}

function compareRules(live: BranchRules | null, next: BranchRules, mechanism: Mechanism, where: string): SettingChange[] {
  const before = new Map(ruleFacets(live, mechanism));
  return ruleFacets(next, mechanism).map(([setting, value]) => {
    const was = before.get(setting);
    if (!live) return { setting, action: 'create' as const, reason: `${value} (new ${where})` };
    if (was === value) return { setting, action: 'unchanged' as const, reason: value };
    return { setting, action: 'update' as const, reason: `${was} → ${value}` };
  });
}

// ---- classic branch protection: PUT body from the GET shape ----

const logins = (v: unknown, key: 'login' | 'slug') => arr(v).map((x) => String(obj(x)[key]));

/** Carries over the parts of classic protection we don't manage (people lists, lock, fork sync). */
export function classicBody(next: BranchRules, raw: Json | null, isOrg: boolean, prune: boolean): Json {
  const keep = raw && !prune ? raw : null;
  const rawPr = obj(keep?.required_pull_request_reviews);
  const pr = next.pullRequest;
  const review: Json | null = pr
    ? {
        dismiss_stale_reviews: pr.dismissStale,
        require_code_owner_reviews: pr.codeOwners,
        required_approving_review_count: pr.approvals,
        require_last_push_approval: pr.lastPush,
      }
    : null;
  if (review && isOrg && rawPr.dismissal_restrictions) {
    const d = obj(rawPr.dismissal_restrictions);
    review.dismissal_restrictions = { users: logins(d.users, 'login'), teams: logins(d.teams, 'slug'), apps: logins(d.apps, 'slug') };
  }
  if (review && rawPr.bypass_pull_request_allowances) {
    const b = obj(rawPr.bypass_pull_request_allowances);
    review.bypass_pull_request_allowances = isOrg
      ? { users: logins(b.users, 'login'), teams: logins(b.teams, 'slug'), apps: logins(b.apps, 'slug') }
      : { users: logins(b.users, 'login') };
  }
  const restr = keep?.restrictions ? obj(keep.restrictions) : null;
  const body: Json = {
    // GitHub takes either `checks` or the older `contexts`, not both; `checks` can pin the reporting app.
    required_status_checks: next.statusChecks
      ? {
          strict: next.statusChecks.strict,
          checks: next.statusChecks.checks.map((c) => (c.appId !== null ? { context: c.context, app_id: c.appId } : { context: c.context })),
        }
      : null,
    enforce_admins: next.enforceAdmins,
    required_pull_request_reviews: review,
    restrictions: restr && isOrg ? { users: logins(restr.users, 'login'), teams: logins(restr.teams, 'slug'), apps: logins(restr.apps, 'slug') } : null,
    required_linear_history: next.linearHistory,
    allow_force_pushes: !next.blockForcePushes,
    allow_deletions: !next.blockDeletions,
    required_conversation_resolution: Boolean(pr?.conversationResolution),
  };
  for (const k of ['block_creations', 'lock_branch', 'allow_fork_syncing'] as const) {
    if (keep && obj(keep[k]).enabled === true) body[k] = true;
  }
  return body;
}

// ---- rulesets: the rules array from our vocabulary, keeping rule types and parameters we don't manage ----

const MANAGED_RULES = ['pull_request', 'required_status_checks', 'required_signatures', 'required_linear_history', 'non_fast_forward', 'deletion'];

export function rulesetRules(next: BranchRules, raw: Json | null, prune: boolean): Json[] {
  const liveRules = raw ? arr(raw.rules).map(obj) : [];
  const liveParams = (type: string) => (prune ? {} : obj(liveRules.find((r) => r.type === type)?.parameters));
  const rules: Json[] = [];
  if (next.blockDeletions) rules.push({ type: 'deletion' });
  if (next.blockForcePushes) rules.push({ type: 'non_fast_forward' });
  if (next.signatures) rules.push({ type: 'required_signatures' });
  if (next.linearHistory) rules.push({ type: 'required_linear_history' });
  const pr = next.pullRequest;
  if (pr) {
    rules.push({
      type: 'pull_request',
      parameters: {
        ...liveParams('pull_request'),
        required_approving_review_count: pr.approvals,
        dismiss_stale_reviews_on_push: pr.dismissStale,
        require_code_owner_review: pr.codeOwners,
        require_last_push_approval: pr.lastPush,
        required_review_thread_resolution: pr.conversationResolution,
      },
    });
  }
  if (next.statusChecks) {
    rules.push({
      type: 'required_status_checks',
      parameters: {
        ...liveParams('required_status_checks'),
        strict_required_status_checks_policy: next.statusChecks.strict,
        required_status_checks: next.statusChecks.checks.map((c) => (c.appId !== null && c.appId > 0 ? { context: c.context, integration_id: c.appId } : { context: c.context })),
      },
    });
  }
  if (!prune) rules.push(...liveRules.filter((r) => !MANAGED_RULES.includes(String(r.type))).map((r) => (r.parameters ? { type: r.type, parameters: r.parameters } : { type: r.type })));
  return rules;
}

export function rulesetBody(next: BranchRules, live: LiveState, prune: boolean): Json {
  const include = live.branch === live.repo.defaultBranch ? ['~DEFAULT_BRANCH'] : [`refs/heads/${live.branch}`];
  return {
    name: RULESET_NAME,
    target: 'branch',
    enforcement: 'active',
    bypass_actors: next.bypassActors.map((a) => ({ actor_type: a.actor_type, actor_id: a.actor_id, bypass_mode: a.bypass_mode })),
    conditions: { ref_name: { include, exclude: [] } },
    rules: rulesetRules(next, live.ruleset?.raw ?? null, prune),
  };
}

/** What keeps branch rules from being written at all, if anything. */
function branchBlocker(live: LiveState, mechanism: Mechanism): string | null {
  const planFree = live.repo.private && live.plan === 'free';
  if (mechanism === 'classic') {
    if (!live.branchExists) {
      return `branch "${live.branch}" does not exist yet (an empty repository has no branches): push a first commit and run protect again, or use --mode rulesets, which works before the branch exists`;
    }
    if (live.classicPlanLimited || planFree) return `branch protection on a private repository needs GitHub Pro (personal) or Team (organization); make it public or upgrade`;
  } else {
    if (!live.rulesetsAvailable && !live.rulesetsPlanLimited) return 'this GitHub server has no rulesets API (GitHub Enterprise Server before 3.11?); use --mode classic';
    if (live.rulesetsPlanLimited || planFree) return `rulesets on a private repository need GitHub Pro (personal) or Team (organization); make it public or upgrade`;
  }
  return null;
}

/** Live state vs desired state → the requests to send and a per-setting report. Pure: no I/O. */
export function planProtection(live: LiveState, want: DesiredState, opts: DiffOptions): ProtectPlan {
  const mechanism = chooseMechanism(live, opts.mode);
  const p = { owner: live.ref.owner, repo: live.ref.repo };
  const changes: SettingChange[] = [];
  const operations: Operation[] = [];
  const notes = [...want.notes];
  const where = mechanism === 'classic' ? 'branch protection' : 'ruleset';

  const blocker = branchBlocker(live, mechanism);
  if (blocker) {
    for (const [setting] of ruleFacets(want.rules, mechanism)) changes.push({ setting, action: 'skip', reason: blocker });
    if (live.repo.private && /Pro|Team/.test(blocker)) notes.push(PLAN_HINT);
  } else if (mechanism === 'classic') {
    const current = live.classic;
    const next = mergeRules(current, want.rules, opts.prune);
    const facetChanges = compareRules(current, next, 'classic', where);
    changes.push(...facetChanges);
    const b = { ...p, branch: live.branch };
    const changed = facetChanges.filter((c) => c.action !== 'unchanged');
    const nonSig = changed.filter((c) => c.setting !== 'signed-commits');
    if (nonSig.length > 0 || !current) {
      operations.push({
        route: 'PUT /repos/{owner}/{repo}/branches/{branch}/protection',
        params: { ...b, ...classicBody(next, live.classicRaw, live.repo.ownerType === 'Organization', opts.prune) },
        description: `${current ? 'update' : 'create'} classic protection of ${live.branch}`,
        settings: (current ? nonSig : facetChanges).map((c) => c.setting).filter((s) => s !== 'signed-commits'),
      });
    }
    if (next.signatures && !current?.signatures) {
      operations.push({
        route: 'POST /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures',
        params: b,
        description: `require signed commits on ${live.branch}`,
        settings: ['signed-commits'],
      });
    } else if (!next.signatures && current?.signatures) {
      operations.push({
        route: 'DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures',
        params: b,
        description: `stop requiring signed commits on ${live.branch}`,
        settings: ['signed-commits'],
      });
    }
  } else {
    const current = live.ruleset?.rules ?? null;
    const next = mergeRules(current, want.rules, opts.prune);
    const facetChanges = compareRules(current, next, 'rulesets', where);
    changes.push(...facetChanges);
    const body = rulesetBody(next, live, opts.prune);
    const same = live.ruleset && rulesetUnchanged(live.ruleset.raw, body);
    if (!live.ruleset) {
      operations.push({ route: 'POST /repos/{owner}/{repo}/rulesets', params: { ...p, ...body }, description: `create ruleset "${RULESET_NAME}"`, settings: facetChanges.map((c) => c.setting) });
    } else if (!same) {
      const changed = facetChanges.filter((c) => c.action !== 'unchanged').map((c) => c.setting);
      if (changed.length === 0) {
        // Only something outside our facets differs (target, enforcement, conditions): still ours to restore.
        changes.push({ setting: 'ruleset-target', action: 'update', reason: 'enforcement or target branch differs from the policy' });
        changed.push('ruleset-target');
      }
      operations.push({
        route: 'PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}',
        params: { ...p, ruleset_id: live.ruleset.id, ...body },
        description: `update ruleset "${RULESET_NAME}" (id ${live.ruleset.id})`,
        settings: changed,
      });
    }
    if (live.classic) notes.push(`Classic branch protection on ${live.branch} also applies; it was left as is (both are enforced).`);
    if (live.otherRulesetRules.length) notes.push(`Other rulesets (repository or organization) also apply to ${live.branch}: ${live.otherRulesetRules.join(', ')}.`);
  }

  planSettings(live, want, opts, changes, operations);
  return { repository: `${live.ref.owner}/${live.ref.repo}`, branch: live.branch, mechanism: blocker ? 'none' : mechanism, changes, operations, notes };
}

/** Compares the parts of a live ruleset we write with the body we would write. */
function rulesetUnchanged(raw: Json, body: Json): boolean {
  const norm = (rules: unknown) =>
    arr(rules)
      .map(obj)
      .map((r) => JSON.stringify({ type: r.type, parameters: sortKeys(r.parameters ?? null) }))
      .sort();
  const cond = (c: unknown) => JSON.stringify(arr(obj(obj(c).ref_name).include).slice().sort());
  const actors = (a: unknown) => JSON.stringify(arr(a).map(obj).map((x) => `${x.actor_type}:${x.actor_id ?? ''}:${x.bypass_mode ?? 'always'}`).sort());
  return (
    raw.enforcement === body.enforcement &&
    (raw.target ?? 'branch') === body.target &&
    cond(raw.conditions) === cond(body.conditions) &&
    actors(raw.bypass_actors) === actors(body.bypass_actors) &&
    JSON.stringify(norm(raw.rules)) === JSON.stringify(norm(body.rules))
  );
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

function planSettings(live: LiveState, want: DesiredState, opts: DiffOptions, changes: SettingChange[], ops: Operation[]): void {
  const p = { owner: live.ref.owner, repo: live.ref.repo };
  const s = live.settings;
  const w = want.settings;
  const add = (setting: string, action: SettingChange['action'], reason: string) => changes.push({ setting, action, reason });
  const unknown = 'could not read the current value with this token; left as is';

  // Dependabot alerts first: security updates need them.
  if (w.dependabotAlerts) {
    if (s.dependabotAlerts === true) add('dependabot-alerts', 'unchanged', 'on');
    else if (s.dependabotAlerts === null) add('dependabot-alerts', 'skip', unknown);
    else {
      add('dependabot-alerts', 'update', 'off → on');
      ops.push({ route: 'PUT /repos/{owner}/{repo}/vulnerability-alerts', params: p, description: 'turn on Dependabot alerts', settings: ['dependabot-alerts'] });
    }
  }
  if (w.dependabotSecurityUpdates) {
    if (s.dependabotSecurityUpdates === true) add('dependabot-security-updates', 'unchanged', 'on');
    else if (live.enterprise) add('dependabot-security-updates', 'skip', `GitHub Enterprise Server ${live.enterprise} has no API to turn this on; use the repository's Settings → Code security page`);
    else if (s.dependabotSecurityUpdates === null) add('dependabot-security-updates', 'skip', unknown);
    else {
      add('dependabot-security-updates', 'update', 'off → on');
      ops.push({ route: 'PUT /repos/{owner}/{repo}/automated-security-fixes', params: p, description: 'turn on Dependabot security updates', settings: ['dependabot-security-updates'] });
    }
  }

  const sa: Json = {};
  const saSettings: string[] = [];
  for (const [setting, key, liveVal, wanted] of [
    ['secret-scanning', 'secret_scanning', s.secretScanning, w.secretScanning],
    ['secret-scanning-push-protection', 'secret_scanning_push_protection', s.secretScanningPushProtection, w.secretScanningPushProtection],
  ] as const) {
    if (!wanted) continue;
    if (liveVal === true) add(setting, 'unchanged', 'on');
    else if (!live.repo.secretScanningAvailable) {
      add(setting, 'skip', 'private repositories need GitHub Secret Protection (Advanced Security) for this; public ones get it free');
    } else {
      add(setting, 'update', `${liveVal === null ? 'unknown' : 'off'} → on`);
      sa[key] = { status: 'enabled' };
      saSettings.push(setting);
    }
  }
  if (saSettings.length) {
    ops.push({ route: 'PATCH /repos/{owner}/{repo}', params: { ...p, security_and_analysis: sa }, description: `turn on ${saSettings.join(' and ')}`, settings: saSettings });
  }

  if (w.privateVulnerabilityReporting) {
    if (live.enterprise) add('private-vulnerability-reporting', 'skip', 'not available on GitHub Enterprise Server');
    else if (live.repo.private) add('private-vulnerability-reporting', 'skip', 'GitHub offers private vulnerability reporting on public repositories only');
    else if (s.privateVulnerabilityReporting === true) add('private-vulnerability-reporting', 'unchanged', 'on');
    else if (s.privateVulnerabilityReporting === null) add('private-vulnerability-reporting', 'skip', unknown);
    else {
      add('private-vulnerability-reporting', 'update', 'off → on');
      ops.push({ route: 'PUT /repos/{owner}/{repo}/private-vulnerability-reporting', params: p, description: 'turn on private vulnerability reporting', settings: ['private-vulnerability-reporting'] });
    }
  }

  // Workflow token: one endpoint carries both settings, so send both (the current value where we don't manage one).
  if (s.workflowPermissions === null || s.actionsCanApprovePullRequests === null) {
    if (w.workflowPermissions) add('workflow-token-read-only', 'skip', 'could not read the Actions settings (an organization policy may set them); left as is');
    if (w.actionsCanApprovePullRequests !== null) add('actions-cannot-approve-pull-requests', 'skip', 'could not read the Actions settings; left as is');
  } else {
    const perm = w.workflowPermissions ?? s.workflowPermissions;
    // Never weaken without --prune: allowing approvals is only switched on when pruning.
    const approve = w.actionsCanApprovePullRequests === null ? s.actionsCanApprovePullRequests : w.actionsCanApprovePullRequests === false || opts.prune ? w.actionsCanApprovePullRequests : s.actionsCanApprovePullRequests || w.actionsCanApprovePullRequests;
    const wfSettings: string[] = [];
    if (w.workflowPermissions) {
      if (perm === s.workflowPermissions) add('workflow-token-read-only', 'unchanged', `default GITHUB_TOKEN permissions: ${perm}`);
      else {
        add('workflow-token-read-only', 'update', `default GITHUB_TOKEN permissions: ${s.workflowPermissions} → ${perm}`);
        wfSettings.push('workflow-token-read-only');
      }
    }
    if (w.actionsCanApprovePullRequests !== null) {
      const label = (b: boolean) => (b ? 'allowed' : 'not allowed');
      if (approve === s.actionsCanApprovePullRequests) add('actions-cannot-approve-pull-requests', 'unchanged', `Actions approving pull requests: ${label(approve)}`);
      else {
        add('actions-cannot-approve-pull-requests', 'update', `Actions approving pull requests: ${label(s.actionsCanApprovePullRequests)} → ${label(approve)}`);
        wfSettings.push('actions-cannot-approve-pull-requests');
      }
    }
    if (wfSettings.length) {
      ops.push({
        route: 'PUT /repos/{owner}/{repo}/actions/permissions/workflow',
        params: { ...p, default_workflow_permissions: perm, can_approve_pull_request_reviews: approve },
        description: 'set the default workflow token to read-only and stop Actions approving pull requests',
        settings: wfSettings,
      });
    }
  }

  if (w.allowRebaseMerge === false) {
    if (s.allowRebaseMerge === false) add('rebase-merging-off', 'unchanged', 'rebase merging off (signed commits)');
    else {
      add('rebase-merging-off', 'update', 'rebase merging on → off: GitHub cannot sign rebased commits, which signed-commit rules would reject');
      ops.push({ route: 'PATCH /repos/{owner}/{repo}', params: { ...p, allow_rebase_merge: false }, description: 'turn off "Rebase and merge" (required signatures)', settings: ['rebase-merging-off'] });
    }
  }
}
