/** Request bodies from our rule vocabulary, in each mechanism's own field names, carrying over what we don't manage. */
import { arr, obj, RULESET_NAME, type Json } from './http.js';
import type { BranchRules, LiveState } from './types.js';

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
    review.dismissal_restrictions = {
      users: logins(d.users, 'login'),
      teams: logins(d.teams, 'slug'),
      apps: logins(d.apps, 'slug'),
    };
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
          checks: next.statusChecks.checks.map((c) =>
            c.appId !== null ? { context: c.context, app_id: c.appId } : { context: c.context },
          ),
        }
      : null,
    enforce_admins: next.enforceAdmins,
    required_pull_request_reviews: review,
    restrictions:
      restr && isOrg
        ? { users: logins(restr.users, 'login'), teams: logins(restr.teams, 'slug'), apps: logins(restr.apps, 'slug') }
        : null,
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

const MANAGED_RULES = [
  'pull_request',
  'required_status_checks',
  'required_signatures',
  'required_linear_history',
  'non_fast_forward',
  'deletion',
];

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
        ...(pr.allowedMergeMethods ? { allowed_merge_methods: pr.allowedMergeMethods } : {}),
      },
    });
  }
  if (next.statusChecks) {
    rules.push({
      type: 'required_status_checks',
      parameters: {
        ...liveParams('required_status_checks'),
        strict_required_status_checks_policy: next.statusChecks.strict,
        // The push that creates the branch (the first push to an empty repository) cannot have run the check yet.
        do_not_enforce_on_create: next.statusChecks.doNotEnforceOnCreate,
        required_status_checks: next.statusChecks.checks.map((c) =>
          c.appId !== null && c.appId > 0 ? { context: c.context, integration_id: c.appId } : { context: c.context },
        ),
      },
    });
  }
  if (!prune)
    rules.push(
      ...liveRules
        .filter((r) => !MANAGED_RULES.includes(String(r.type)))
        .map((r) => (r.parameters ? { type: r.type, parameters: r.parameters } : { type: r.type })),
    );
  return rules;
}

export function rulesetBody(next: BranchRules, live: LiveState, prune: boolean): Json {
  const include = live.branch === live.repo.defaultBranch ? ['~DEFAULT_BRANCH'] : [`refs/heads/${live.branch}`];
  return {
    name: RULESET_NAME,
    target: 'branch',
    enforcement: 'active',
    bypass_actors: next.bypassActors.map((a) => ({
      actor_type: a.actor_type,
      actor_id: a.actor_id,
      bypass_mode: a.bypass_mode,
    })),
    conditions: { ref_name: { include, exclude: [] } },
    rules: rulesetRules(next, live.ruleset?.raw ?? null, prune),
  };
}

/** What keeps branch rules from being written at all, if anything. */

/** Compares the parts of a live ruleset we write with the body we would write. */
export function rulesetUnchanged(raw: Json, body: Json): boolean {
  const norm = (rules: unknown) =>
    arr(rules)
      .map(obj)
      .map((r) => JSON.stringify({ type: r.type, parameters: sortKeys(r.parameters ?? null) }))
      .sort();
  const cond = (c: unknown) =>
    JSON.stringify(
      arr(obj(obj(c).ref_name).include)
        .slice()
        .sort(),
    );
  const actors = (a: unknown) =>
    JSON.stringify(
      arr(a)
        .map(obj)
        .map((x) => JSON.stringify([x.actor_type, x.actor_id ?? null, x.bypass_mode ?? 'always']))
        .sort(),
    );
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
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Json)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, sortKeys(x)]),
    );
  return v;
}
