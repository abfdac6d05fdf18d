/**
 * The deployment environment the generated deploy workflow runs behind: created when missing and limited to
 * protected branches. Reviewers and wait timers are the user's: kept as found, never invented.
 */
import type { Config } from '../config/types.js';
import { DEPLOY_ENVIRONMENT } from '../templates/workflows/deploy.js';
import type { GitHubClient } from './client.js';
import type { DiffOptions } from './diff.js';
import { get, planLimited } from './read.js';
import type { DeploymentBranchPolicy, DesiredState, EnvironmentReviewer, EnvironmentState, LiveState, Operation, RepoRef, SettingChange } from './types.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const PROTECTED_BRANCHES_ONLY: DeploymentBranchPolicy = { protected_branches: true, custom_branch_policies: false };

/** The environment protect manages: the deploy workflow's, when the deploy stage is selected; otherwise none. */
export function deployEnvironment(config: Pick<Config, 'stages'>): string | null {
  return config.stages.includes('deploy') ? DEPLOY_ENVIRONMENT : null;
}

/** An environment's GET answer in our terms. */
export function environmentFromApi(name: string, raw: Json): EnvironmentState {
  const rules = arr(raw.protection_rules).map(obj);
  const timer = rules.find((r) => r.type === 'wait_timer');
  const review = rules.find((r) => r.type === 'required_reviewers');
  const reviewers: EnvironmentReviewer[] = arr(review?.reviewers).flatMap((x) => {
    const o = obj(x);
    const who = obj(o.reviewer);
    if ((o.type !== 'User' && o.type !== 'Team') || typeof who.id !== 'number') return [];
    return [{ type: o.type, id: who.id, name: String(o.type === 'User' ? who.login : who.slug ?? who.name ?? who.id) }];
  });
  const bp = raw.deployment_branch_policy ? obj(raw.deployment_branch_policy) : null;
  return {
    name,
    status: 'present',
    waitTimer: typeof timer?.wait_timer === 'number' ? timer.wait_timer : 0,
    preventSelfReview: review?.prevent_self_review === true,
    reviewers,
    branchPolicy: bp ? { protected_branches: bp.protected_branches === true, custom_branch_policies: bp.custom_branch_policies === true } : null,
  };
}

/** GET .../environments/{name}: 404 is an absent environment, a plan 403 means the plan excludes environments here. */
export async function readEnvironment(client: GitHubClient, ref: RepoRef, name: string): Promise<EnvironmentState> {
  const got = await get(client, 'GET /repos/{owner}/{repo}/environments/{environment_name}', { owner: ref.owner, repo: ref.repo, environment_name: name }, [403, 404]);
  if (got.status === 200) return environmentFromApi(name, obj(got.data));
  const empty = { name, waitTimer: 0, preventSelfReview: false, reviewers: [], branchPolicy: null };
  if (got.status === 404) return { ...empty, status: 'absent' };
  return { ...empty, status: planLimited(got) ? 'plan' : 'unreadable' };
}

const policyText = (bp: DeploymentBranchPolicy | null) =>
  !bp ? 'any branch may deploy' : bp.protected_branches ? 'protected branches only' : 'branches matching its custom name patterns';
const reviewersText = (r: EnvironmentReviewer[]) => (r.length ? r.map((x) => `${x.type === 'User' ? 'user' : 'team'} ${x.name}`).join(', ') : 'none');
const samePolicy = (a: DeploymentBranchPolicy | null, b: DeploymentBranchPolicy | null) =>
  a === b || (a !== null && b !== null && a.protected_branches === b.protected_branches && a.custom_branch_policies === b.custom_branch_policies);

export const ENVIRONMENT_PLAN_REASON =
  'deployment environments on a private repository need GitHub Pro (personal), Team or Enterprise (organization); make it public or upgrade';

/**
 * Appends the environment's report lines and (when something differs) one PUT carrying the whole merged state:
 * the user's reviewers, self-review setting, wait timer and custom branch patterns stay unless --prune.
 */
export function planEnvironment(live: LiveState, want: DesiredState, opts: DiffOptions, changes: SettingChange[], ops: Operation[], notes: string[]): void {
  const w = want.environment;
  const env = live.environment;
  if (!w || !env) return;
  const add = (setting: string, action: SettingChange['action'], reason: string) => changes.push({ setting, action, reason });
  const settings = ['deploy-environment', 'environment-branch-policy'];

  // Environments on private repositories need the same plans as branch protection: a plan 403 there settles it too.
  const planExcluded = live.repo.private && (live.plan === 'free' || live.classicPlanLimited || live.rulesetsPlanLimited);
  if (env.status === 'plan' || planExcluded) {
    for (const s of settings) add(s, 'skip', ENVIRONMENT_PLAN_REASON);
    return;
  }
  if (env.status === 'unreadable') {
    for (const s of settings) add(s, 'skip', `could not read environment "${w.name}" with this token; left as is`);
    return;
  }

  const created = env.status === 'absent';
  const keepCustom = !opts.prune && env.branchPolicy?.custom_branch_policies === true;
  const branchPolicy = keepCustom ? env.branchPolicy : PROTECTED_BRANCHES_ONLY;
  const reviewers = opts.prune ? [] : env.reviewers;
  const waitTimer = opts.prune ? 0 : env.waitTimer;
  const preventSelfReview = opts.prune ? false : env.preventSelfReview;
  const changed: string[] = [];

  if (created) add('deploy-environment', 'create', `"${w.name}" (new environment; the deploy workflow runs behind it)`);
  else add('deploy-environment', 'unchanged', `"${w.name}" exists`);

  if (created) add('environment-branch-policy', 'create', policyText(branchPolicy));
  else if (samePolicy(env.branchPolicy, branchPolicy)) add('environment-branch-policy', 'unchanged', policyText(branchPolicy));
  else {
    add('environment-branch-policy', 'update', `${policyText(env.branchPolicy)} → ${policyText(branchPolicy)}`);
    changed.push('environment-branch-policy');
  }
  if (keepCustom) notes.push(`Environment "${w.name}" keeps its custom deployment branch patterns; --prune switches it to protected branches only.`);

  if (env.reviewers.length || w.reviewsWanted) {
    if (reviewers.length === env.reviewers.length && preventSelfReview === env.preventSelfReview) {
      add('environment-reviewers', 'unchanged', `${reviewersText(reviewers)}${reviewers.length ? ' (kept)' : ''}`);
    } else {
      add('environment-reviewers', 'update', `${reviewersText(env.reviewers)} → ${reviewersText(reviewers)}`);
      changed.push('environment-reviewers');
    }
  }
  if (w.reviewsWanted && reviewers.length === 0) {
    notes.push(
      `Environment "${w.name}" has no required reviewers: protect does not choose them. To have each deployment approved, add ` +
        `reviewers under Settings → Environments → ${w.name} → Required reviewers; later runs keep them.`,
    );
  }
  if (env.waitTimer > 0) {
    if (waitTimer === env.waitTimer) add('environment-wait-timer', 'unchanged', `${waitTimer} minute(s) (kept)`);
    else {
      add('environment-wait-timer', 'update', `${env.waitTimer} → ${waitTimer} minute(s)`);
      changed.push('environment-wait-timer');
    }
  }

  if (!created && changed.length === 0) return;
  ops.push({
    route: 'PUT /repos/{owner}/{repo}/environments/{environment_name}',
    params: {
      owner: live.ref.owner,
      repo: live.ref.repo,
      environment_name: w.name,
      // The whole state every time: what we do not manage is sent back as it was, so nothing is lost.
      wait_timer: waitTimer,
      prevent_self_review: preventSelfReview,
      reviewers: reviewers.map((r) => ({ type: r.type, id: r.id })),
      deployment_branch_policy: branchPolicy,
    },
    description: `${created ? 'create' : 'update'} environment "${w.name}" (${policyText(branchPolicy)})`,
    settings: created ? changes.filter((c) => c.setting === 'deploy-environment' || c.setting.startsWith('environment-')).map((c) => c.setting) : changed,
  });
}
