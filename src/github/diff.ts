import { ENVIRONMENT_PLAN_REASON, planAuditEnvironment, planEnvironment } from './environment.js';
import { PLAN_HINT } from './errors.js';
import { mergeRules } from './merge.js';
import { RULESET_NAME, type DiffOptions } from './http.js';
import { classicBody, rulesetBody, rulesetUnchanged } from './requests.js';
import { planSettings } from './settings.js';
import { planAuditEnvironmentVariable, planAuditToken, planCodeScanningVariable } from './variables.js';
import type {
  Blocked,
  BranchRules,
  DesiredState,
  LiveState,
  Mechanism,
  Operation,
  ProtectPlan,
  StatusCheck,
} from './types.js';
import type { Change } from '../changes/types.js';

export { mergeRules } from './merge.js';
export { classicBody, rulesetBody, rulesetRules } from './requests.js';

/** Which mechanism to use: rulesets where the server has them (they also work before the branch exists). */
function chooseMechanism(live: LiveState, mode: DiffOptions['mode']): Mechanism {
  if (mode !== 'auto') return mode;
  return live.rulesetsAvailable || live.rulesetsPlanLimited ? 'rulesets' : 'classic';
}

const checksText = (c: StatusCheck[]) =>
  c.length ? c.map((x) => x.context + (x.appId && x.appId > 0 ? ` (app ${x.appId})` : '')).join(', ') : 'none';
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
    [
      'required-status-checks',
      r?.statusChecks
        ? `${checksText(r.statusChecks.checks)}${r.statusChecks.strict ? ', up to date (strict)' : ''}${mechanism === 'rulesets' && r.statusChecks.doNotEnforceOnCreate ? ', not on the push that creates the branch' : ''}`
        : 'none',
    ],
    ['signed-commits', onOff(Boolean(r?.signatures))],
    ['linear-history', onOff(Boolean(r?.linearHistory))],
    ['block-force-pushes', onOff(Boolean(r?.blockForcePushes))],
    ['block-deletions', onOff(Boolean(r?.blockDeletions))],
  ];
  if (mechanism === 'rulesets')
    facets.push(['allowed-merge-methods', pr?.allowedMergeMethods ? pr.allowedMergeMethods.join(', ') : 'any']);
  if (mechanism === 'classic') facets.push(['include-administrators', onOff(Boolean(r?.enforceAdmins))]);
  else
    facets.push([
      'bypass-actors',
      r && r.bypassActors.length
        ? r.bypassActors
            .map((a) => `${a.actor_type}${a.actor_id !== null ? ` ${a.actor_id}` : ''} (${a.bypass_mode})`)
            .join(', ')
        : 'none',
    ]);
  return facets;
}

function compareRules(live: BranchRules | null, next: BranchRules, mechanism: Mechanism, where: string): Change[] {
  const before = new Map(ruleFacets(live, mechanism));
  return ruleFacets(next, mechanism).map(([setting, value]) => {
    const was = before.get(setting);
    if (!live) return { target: setting, action: 'create' as const, reason: `${value} (new ${where})` };
    if (was === value) return { target: setting, action: 'unchanged' as const, reason: value };
    return { target: setting, action: 'update' as const, reason: `${was} → ${value}` };
  });
}

/** What keeps branch rules from being written at all, if anything. */
function branchBlocker(live: LiveState, mechanism: Mechanism): Blocked | null {
  const planFree = live.repo.private && live.plan === 'free';
  const org = live.repo.ownerType === 'Organization';
  const onFree = `${org ? 'the organization' : 'the account'} ${live.ref.owner} is on GitHub Free${live.plan ? '' : ' (GitHub answered "Upgrade to GitHub Pro or make this repository public")'}`;
  const paid = org ? 'GitHub Team (organizations)' : 'GitHub Pro (personal accounts)';
  if (mechanism === 'classic') {
    if (!live.branchExists) {
      return {
        kind: 'branch-missing',
        reason: `branch "${live.branch}" does not exist yet (an empty repository has no branches): push a first commit and run protect again, or use --mode rulesets, which works before the branch exists`,
      };
    }
    if (live.classicPlanLimited || planFree)
      return { kind: 'plan', reason: `branch protection on a private repository needs ${paid}; ${onFree}` };
  } else {
    if (!live.rulesetsAvailable && !live.rulesetsPlanLimited)
      return {
        kind: 'no-rulesets',
        reason: 'this GitHub server has no rulesets API (GitHub Enterprise Server before 3.11?); use --mode classic',
      };
    if (live.rulesetsPlanLimited || planFree)
      return { kind: 'plan', reason: `rulesets and branch protection on a private repository need ${paid}; ${onFree}` };
  }
  return null;
}

/** Live state vs desired state → the requests to send and a per-setting report. Pure: no I/O. */
export function planProtection(live: LiveState, want: DesiredState, opts: DiffOptions): ProtectPlan {
  const mechanism = chooseMechanism(live, opts.mode);
  const p = { owner: live.ref.owner, repo: live.ref.repo };
  const changes: Change[] = [];
  const operations: Operation[] = [];
  const notes = [...want.notes];
  const where = mechanism === 'classic' ? 'branch protection' : 'ruleset';

  const blocked = branchBlocker(live, mechanism);
  const blocker = blocked?.reason ?? null;
  if (blocked) {
    for (const [setting] of ruleFacets(want.rules, mechanism))
      changes.push({ target: setting, action: 'skip', reason: blocked.reason });
    if (blocked.kind === 'plan') notes.push(PLAN_HINT);
  } else if (mechanism === 'classic') {
    const current = live.classic;
    const next = mergeRules(current, want.rules, opts.prune, want.unmeetable);
    const facetChanges = compareRules(current, next, 'classic', where);
    changes.push(...facetChanges);
    const b = { ...p, branch: live.branch };
    const changed = facetChanges.filter((c) => c.action !== 'unchanged');
    const nonSig = changed.filter((c) => c.target !== 'signed-commits');
    if (nonSig.length > 0 || !current) {
      operations.push({
        route: 'PUT /repos/{owner}/{repo}/branches/{branch}/protection',
        params: { ...b, ...classicBody(next, live.classicRaw, live.repo.ownerType === 'Organization', opts.prune) },
        description: `${current ? 'update' : 'create'} classic protection of ${live.branch}`,
        settings: (current ? nonSig : facetChanges).map((c) => c.target).filter((s) => s !== 'signed-commits'),
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
    const next = mergeRules(current, want.rules, opts.prune, want.unmeetable);
    const facetChanges = compareRules(current, next, 'rulesets', where);
    changes.push(...facetChanges);
    const body = rulesetBody(next, live, opts.prune);
    const same = live.ruleset && rulesetUnchanged(live.ruleset.raw, body);
    if (!live.ruleset) {
      operations.push({
        route: 'POST /repos/{owner}/{repo}/rulesets',
        params: { ...p, ...body },
        description: `create ruleset "${RULESET_NAME}"`,
        settings: facetChanges.map((c) => c.target),
      });
    } else if (!same) {
      const changed = facetChanges.filter((c) => c.action !== 'unchanged').map((c) => c.target);
      if (changed.length === 0) {
        // Only something outside our facets differs (target, enforcement, conditions): still ours to restore.
        changes.push({
          target: 'ruleset-target',
          action: 'update',
          reason: 'enforcement or target branch differs from the policy',
        });
        changed.push('ruleset-target');
      }
      operations.push({
        route: 'PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}',
        params: { ...p, ruleset_id: live.ruleset.id, ...body },
        description: `update ruleset "${RULESET_NAME}" (id ${live.ruleset.id})`,
        settings: changed,
      });
    }
    if (live.classic)
      notes.push(`Classic branch protection on ${live.branch} also applies; it was left as is (both are enforced).`);
    if (live.otherRulesetRules.length)
      notes.push(
        `Other rulesets (repository or organization) also apply to ${live.branch}: ${live.otherRulesetRules.join(', ')}.`,
      );
  }

  planSettings(live, want, opts, changes, operations);
  planCodeScanningVariable(live, changes, operations);
  planEnvironment(live, want, opts, changes, operations, notes);
  const beforeAudit = operations.length;
  planAuditEnvironment(live, want, opts, changes, operations, notes);
  planAuditEnvironmentVariable(live, want, changes, operations, beforeAudit);
  planAuditToken(live, want, changes, notes);
  if (
    live.repo.private &&
    changes.some((c) => c.action === 'skip' && c.reason === ENVIRONMENT_PLAN_REASON) &&
    !notes.includes(PLAN_HINT)
  )
    notes.push(PLAN_HINT);
  return {
    repository: `${live.ref.owner}/${live.ref.repo}`,
    branch: live.branch,
    mechanism: blocker ? 'none' : mechanism,
    changes,
    operations,
    notes,
    blocked,
  };
}
