/**
 * The deployment environments protect manages: the one the generated deploy workflow runs behind, and the one the
 * audit workflow's admin-read job runs in (its token secret lives there). Each is created when missing and limited
 * to the protected branch by name. "Protected branches only" would depend on how the branch is protected (GitHub documents
 * it for branch protection rules; a ruleset-only branch may not count, and with no protected branch at all every
 * branch may deploy), so we use a custom deployment branch policy naming exactly that branch.
 * Reviewers and wait timers are the user's: kept as found, never invented.
 */
import type { Config } from '../config/types.js';
import { AUDIT_ENVIRONMENT, DEPLOY_ENVIRONMENT } from '../config/policy.js';
import type { GitHubClient } from './client.js';
import { arr, get, obj, planLimited, type DiffOptions, type Json } from './http.js';
import type {
  DeploymentBranchPolicy,
  DeploymentBranchRule,
  DesiredState,
  EnvironmentReviewer,
  EnvironmentState,
  LiveState,
  Operation,
  RepoRef,
} from './types.js';
import type { Change } from '../changes/types.js';

/** Only branches (and tags) matching the environment's own name patterns may deploy; we keep one: the protected branch. */
const CUSTOM_POLICIES_ONLY: DeploymentBranchPolicy = { protected_branches: false, custom_branch_policies: true };

/** The environment protect manages: the deploy workflow's, when the deploy stage is selected; otherwise none. */
export function deployEnvironment(config: Pick<Config, 'stages'>): string | null {
  return config.stages.includes('deploy') ? DEPLOY_ENVIRONMENT : null;
}

/** The audit workflow's environment, when the operate stage (which generates that workflow) is selected. */
export function auditEnvironment(config: Pick<Config, 'stages'>): string | null {
  return config.stages.includes('operate') ? AUDIT_ENVIRONMENT : null;
}

/** An environment's GET answer in our terms. */
function environmentFromApi(name: string, raw: Json): EnvironmentState {
  const rules = arr(raw.protection_rules).map(obj);
  const timer = rules.find((r) => r.type === 'wait_timer');
  const review = rules.find((r) => r.type === 'required_reviewers');
  const reviewers: EnvironmentReviewer[] = arr(review?.reviewers).flatMap((x) => {
    const o = obj(x);
    const who = obj(o.reviewer);
    if ((o.type !== 'User' && o.type !== 'Team') || typeof who.id !== 'number') return [];
    return [
      { type: o.type, id: who.id, name: String(o.type === 'User' ? who.login : (who.slug ?? who.name ?? who.id)) },
    ];
  });
  const bp = raw.deployment_branch_policy ? obj(raw.deployment_branch_policy) : null;
  return {
    name,
    status: 'present',
    waitTimer: typeof timer?.wait_timer === 'number' ? timer.wait_timer : 0,
    preventSelfReview: review?.prevent_self_review === true,
    reviewers,
    branchPolicy: bp
      ? {
          protected_branches: bp.protected_branches === true,
          custom_branch_policies: bp.custom_branch_policies === true,
        }
      : null,
    branchRules: [],
  };
}

const ENV_ROUTE = 'GET /repos/{owner}/{repo}/environments/{environment_name}';
const POLICIES = '/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies';

/**
 * GET .../environments/{name}: 404 is an absent environment, a plan 403 means the plan excludes environments here.
 * With custom branch policies on, their name patterns are read too (every page): what we keep or prune.
 */
export async function readEnvironment(client: GitHubClient, ref: RepoRef, name: string): Promise<EnvironmentState> {
  const p = { owner: ref.owner, repo: ref.repo, environment_name: name };
  const got = await get(client, ENV_ROUTE, p, [403, 404]);
  if (got.status === 200) {
    const env = environmentFromApi(name, obj(got.data));
    if (!env.branchPolicy?.custom_branch_policies) return env;
    const rules = await readBranchRules(client, p);
    return typeof rules === 'string' ? { ...env, status: rules } : { ...env, branchRules: rules };
  }
  const empty = { name, waitTimer: 0, preventSelfReview: false, reviewers: [], branchPolicy: null, branchRules: [] };
  if (got.status === 404) return { ...empty, status: 'absent' };
  return { ...empty, status: planLimited(got) ? 'plan' : 'unreadable' };
}

async function readBranchRules(client: GitHubClient, p: Json): Promise<DeploymentBranchRule[] | 'plan' | 'unreadable'> {
  const rules: DeploymentBranchRule[] = [];
  for (let page = 1; page <= 50; page++) {
    const got = await get(client, `GET ${POLICIES}`, { ...p, per_page: 100, page }, [403, 404]);
    // 404: the environment went away between the two reads; there are no patterns to keep.
    if (got.status === 404) return rules;
    if (got.status === 403) return planLimited(got) ? 'plan' : 'unreadable';
    const list = arr(obj(got.data).branch_policies).map(obj);
    for (const x of list) {
      if (typeof x.id === 'number' && typeof x.name === 'string')
        rules.push({ id: x.id, name: x.name, type: x.type === 'tag' ? 'tag' : 'branch' });
    }
    if (list.length < 100) break;
  }
  return rules;
}

const patterns = (rules: DeploymentBranchRule[]) =>
  rules.map((r) => (r.type === 'tag' ? `tag ${r.name}` : r.name)).join(', ');
const onlyBranch = (branch: string) => `only branch ${branch} (custom deployment branch policy)`;
function policyText(env: EnvironmentState): string {
  const bp = env.branchPolicy;
  if (!bp) return 'any branch may deploy';
  if (bp.protected_branches) return 'protected branches only';
  return env.branchRules.length
    ? `branches and tags matching ${patterns(env.branchRules)}`
    : 'custom branch policies with no pattern (nothing may deploy)';
}
const reviewersText = (r: EnvironmentReviewer[]) =>
  r.length ? r.map((x) => `${x.type === 'User' ? 'user' : 'team'} ${x.name}`).join(', ') : 'none';

export const ENVIRONMENT_PLAN_REASON =
  'deployment environments on a private repository need GitHub Pro (personal), Team or Enterprise (organization); make it public or upgrade';

/** The report targets of one managed environment, and what its creation line says it is for. */
interface EnvironmentSpec {
  /** The environment's own line ('deploy-environment'); the others are `${prefix}branch-policy` and so on. */
  target: string;
  prefix: string;
  purpose: string;
}

const DEPLOY_SPEC: EnvironmentSpec = {
  target: 'deploy-environment',
  prefix: 'environment-',
  purpose: 'the deploy workflow runs behind it',
};

/** The audit's environment: its admin-token secret is given to jobs on the protected branch only. */
const AUDIT_SPEC: EnvironmentSpec = {
  target: 'audit-environment',
  prefix: 'audit-environment-',
  purpose: 'holds the audit token; only jobs on the protected branch get it',
};

/** Whether protect can make an environment here: a plan 403 on it or on branch rules settles it for private ones. */
export function environmentsExcluded(live: LiveState, env: EnvironmentState): boolean {
  // Environments on private repositories need the same plans as branch protection: a plan 403 there settles it too.
  const planExcluded =
    live.repo.private && (live.plan === 'free' || live.classicPlanLimited || live.rulesetsPlanLimited);
  return env.status === 'plan' || planExcluded;
}

/** The deploy environment's report lines and requests (see planOneEnvironment). */
export function planEnvironment(
  live: LiveState,
  want: DesiredState,
  opts: DiffOptions,
  changes: Change[],
  ops: Operation[],
  notes: string[],
): void {
  if (want.environment && live.environment)
    planOneEnvironment(DEPLOY_SPEC, live.environment, want.environment, live, opts, changes, ops, notes);
}

/** The audit environment's report lines and requests: the same rules, no reviewers asked for (a daily job). */
export function planAuditEnvironment(
  live: LiveState,
  want: DesiredState,
  opts: DiffOptions,
  changes: Change[],
  ops: Operation[],
  notes: string[],
): void {
  if (want.auditEnvironment && live.auditEnvironment)
    planOneEnvironment(
      AUDIT_SPEC,
      live.auditEnvironment,
      { ...want.auditEnvironment, reviewsWanted: false },
      live,
      opts,
      changes,
      ops,
      notes,
    );
}

/**
 * Appends the environment's report lines and the requests that make it so: one PUT carrying the whole merged
 * environment when it is new or something in it differs (the user's reviewers, self-review setting and wait timer stay
 * unless --prune), a POST adding the protected branch's name pattern when missing, and with --prune a DELETE per other
 * pattern. The report line `…other-branches` exists only while other branches or tags may deploy.
 */
function planOneEnvironment(
  spec: EnvironmentSpec,
  env: EnvironmentState,
  w: { name: string; reviewsWanted: boolean },
  live: LiveState,
  opts: DiffOptions,
  changes: Change[],
  ops: Operation[],
  notes: string[],
): void {
  const add = (setting: string, action: Change['action'], reason: string) =>
    changes.push({ target: setting, action, reason });
  const t = {
    env: spec.target,
    policy: `${spec.prefix}branch-policy`,
    others: `${spec.prefix}other-branches`,
    reviewers: `${spec.prefix}reviewers`,
    timer: `${spec.prefix}wait-timer`,
  };
  const settings = [t.env, t.policy];

  if (environmentsExcluded(live, env)) {
    for (const s of settings) add(s, 'skip', ENVIRONMENT_PLAN_REASON);
    return;
  }
  if (env.status === 'unreadable') {
    for (const s of settings) add(s, 'skip', `could not read environment "${w.name}" with this token; left as is`);
    return;
  }

  const created = env.status === 'absent';
  const branch = live.branch;
  const custom = env.branchPolicy?.custom_branch_policies === true;
  const isOurs = (r: DeploymentBranchRule) => r.type === 'branch' && r.name === branch;
  const hasOurs = custom && env.branchRules.some(isOurs);
  const others = custom ? env.branchRules.filter((r) => !isOurs(r)) : [];
  const reviewers = opts.prune ? [] : env.reviewers;
  const waitTimer = opts.prune ? 0 : env.waitTimer;
  const preventSelfReview = opts.prune ? false : env.preventSelfReview;
  const changed: string[] = [];
  const p = { owner: live.ref.owner, repo: live.ref.repo, environment_name: w.name };

  if (created) add(t.env, 'create', `"${w.name}" (new environment; ${spec.purpose})`);
  else add(t.env, 'unchanged', `"${w.name}" exists`);

  if (created) add(t.policy, 'create', onlyBranch(branch));
  else if (hasOurs) add(t.policy, 'unchanged', onlyBranch(branch));
  else {
    // "Protected branches only" is what earlier versions set; it is the weaker one when the branch has only a ruleset.
    const why = env.branchPolicy?.protected_branches
      ? '; "protected branches only" may not cover a branch protected by a ruleset alone'
      : '';
    add(t.policy, 'update', `${policyText(env)} → ${onlyBranch(branch)}${why}`);
    if (!custom) changed.push(t.policy);
  }

  if (others.length) {
    if (opts.prune) add(t.others, 'update', `${patterns(others)} → removed (only ${branch} may deploy)`);
    else {
      add(t.others, 'unchanged', `${patterns(others)} may also deploy (your patterns, kept; --prune removes them)`);
      notes.push(
        `Environment "${w.name}" also lets ${patterns(others)} deploy (custom deployment branch patterns you set, kept); --prune removes them so only ${branch} can deploy.`,
      );
    }
  }

  if (env.reviewers.length || w.reviewsWanted) {
    if (reviewers.length === env.reviewers.length && preventSelfReview === env.preventSelfReview) {
      add(t.reviewers, 'unchanged', `${reviewersText(reviewers)}${reviewers.length ? ' (kept)' : ''}`);
    } else {
      add(t.reviewers, 'update', `${reviewersText(env.reviewers)} → ${reviewersText(reviewers)}`);
      changed.push(t.reviewers);
    }
  }
  if (w.reviewsWanted && reviewers.length === 0) {
    notes.push(
      `Environment "${w.name}" has no required reviewers: protect does not choose them. To have each deployment approved, add ` +
        `reviewers under Settings → Environments → ${w.name} → Required reviewers; later runs keep them.`,
    );
  }
  if (env.waitTimer > 0) {
    if (waitTimer === env.waitTimer) add(t.timer, 'unchanged', `${waitTimer} minute(s) (kept)`);
    else {
      add(t.timer, 'update', `${env.waitTimer} → ${waitTimer} minute(s)`);
      changed.push(t.timer);
    }
  }

  const put = created || changed.length > 0;
  if (put) {
    ops.push({
      route: 'PUT /repos/{owner}/{repo}/environments/{environment_name}',
      params: {
        ...p,
        // The whole state every time: what we do not manage is sent back as it was, so nothing is lost.
        wait_timer: waitTimer,
        prevent_self_review: preventSelfReview,
        reviewers: reviewers.map((r) => ({ type: r.type, id: r.id })),
        deployment_branch_policy: CUSTOM_POLICIES_ONLY,
      },
      description: `${created ? 'create' : 'update'} environment "${w.name}" (custom deployment branch policies)`,
      settings: created
        ? changes.filter((c) => c.target === t.env || c.target.startsWith(spec.prefix)).map((c) => c.target)
        : changed,
    });
  }
  // After the PUT: GitHub refuses patterns while custom branch policies are off.
  if (!hasOurs) {
    ops.push({
      route: `POST ${POLICIES}`,
      params: { ...p, name: branch, type: 'branch' },
      description: `let only branch ${branch} deploy to environment "${w.name}"`,
      settings: [t.policy],
      needsPrevious: put,
    });
  }
  if (opts.prune) {
    for (const r of others) {
      ops.push({
        route: `DELETE ${POLICIES}/{branch_policy_id}`,
        params: { ...p, branch_policy_id: r.id },
        description: `remove ${r.type} pattern ${r.name} from environment "${w.name}"`,
        settings: [t.others],
      });
    }
  }
}
