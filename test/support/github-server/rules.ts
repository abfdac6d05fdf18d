/**
 * Pushes under rulesets: what GitHub refuses when a push creates or updates a branch. GitHub answers a refused push
 * with "GH013: Repository rule violations found for refs/heads/<branch>" and one line per rule (quoted in many issue
 * threads, e.g. yshavit/mdq#255: "- Changes must be made through a pull request.").
 * Tests drive it with `server.push()` (a git push has no REST endpoint) and report checks with `server.reportCheck()`.
 */
import type { RepoState } from '../github-server.js';
import type { Json } from './module.js';
import { roleOf } from './people.js';

export interface Commit {
  sha: string;
  /** Carries a signature GitHub verifies. */
  signed: boolean;
  merge?: boolean;
}

export interface Push {
  branch: string;
  /** The commits the push adds, oldest first; the last one becomes the branch head. */
  commits: Commit[];
  /** Login of the pusher (default: the server's user). */
  actor?: string;
  force?: boolean;
}

export interface PushResult {
  accepted: boolean;
  created: boolean;
  violations: string[];
}

/** The numbers GitHub gives repository roles as bypass actors (REST "Create a repository ruleset": admin is 5). */
export const REPOSITORY_ROLE_IDS: Record<string, number> = { maintain: 2, write: 4, admin: 5 };

/** Active rulesets whose conditions match the branch (`~DEFAULT_BRANCH`, `~ALL`, `refs/heads/<name>`). */
export function rulesetsFor(r: RepoState, branch: string): Json[] {
  return r.rulesets.filter((rs) => {
    if (rs.enforcement !== 'active') return false;
    const inc =
      (((rs.conditions as Json | undefined)?.ref_name as Json | undefined)?.include as string[] | undefined) ?? [];
    return inc.some(
      (x) => x === '~ALL' || (x === '~DEFAULT_BRANCH' && branch === r.defaultBranch) || x === `refs/heads/${branch}`,
    );
  });
}

/**
 * Whether the actor may bypass a ruleset: a RepositoryRole bypass actor whose role the actor holds (or exceeds).
 * `bypass_mode: pull_request` only counts for merging pull requests, never for direct pushes (REST "Create a
 * repository ruleset", bypass_mode).
 */
export function bypasses(r: RepoState, rs: Json, actor: string, via: 'push' | 'pull_request'): boolean {
  const role = roleOf(r, actor);
  if (!role) return false;
  const rank = REPOSITORY_ROLE_IDS[role] ?? 0;
  return ((rs.bypass_actors as Json[] | undefined) ?? []).some(
    (a) =>
      a.actor_type === 'RepositoryRole' &&
      typeof a.actor_id === 'number' &&
      rank >= a.actor_id &&
      (a.bypass_mode === 'always' || (via === 'pull_request' && a.bypass_mode === 'pull_request')),
  );
}

export const params = (rule: Json): Json => (rule.parameters as Json | undefined) ?? {};

/** Required checks that have not passed on the commit ("Required status check "X" is expected."). */
export function missingChecks(r: RepoState, rule: Json, sha: string): string[] {
  const wanted = (params(rule).required_status_checks as Json[] | undefined) ?? [];
  const seen = r.checks.get(sha) ?? [];
  return wanted
    .filter(
      (w) =>
        !seen.some(
          (c) =>
            c.context === w.context &&
            c.conclusion === 'success' &&
            (typeof w.integration_id !== 'number' || w.integration_id === c.appId),
        ),
    )
    .map((w) => `Required status check "${String(w.context)}" is expected.`);
}

/** What the rulesets say about this push, rule by rule. */
export function pushViolations(r: RepoState, push: Push, actor: string): string[] {
  const created = !r.branches.includes(push.branch);
  const head = push.commits.at(-1)?.sha ?? '';
  const out: string[] = [];
  for (const rs of rulesetsFor(r, push.branch)) {
    if (bypasses(r, rs, actor, 'push')) continue;
    for (const rule of (rs.rules as Json[] | undefined) ?? []) {
      switch (rule.type) {
        case 'creation':
          if (created) out.push('Cannot create ref due to creations being restricted.');
          break;
        case 'non_fast_forward':
          if (push.force && !created) out.push('Cannot force-push to this branch');
          break;
        case 'pull_request':
          // ASSUMED: the rule governs updates of an existing branch; the push that creates it is not a merge. GitHub
          // offers do_not_enforce_on_create only for status checks, which suggests the other rules do not block creation.
          if (!created) out.push('Changes must be made through a pull request.');
          break;
        case 'required_status_checks':
          // "do_not_enforce_on_create: Allow repositories and branches to be created if a check would otherwise
          // prohibit it." (REST description of the rule's parameters.)
          if (created && params(rule).do_not_enforce_on_create === true) break;
          out.push(...missingChecks(r, rule, head));
          break;
        case 'required_signatures':
          // "Commits pushed to matching refs must have verified signatures" (Available rules for rulesets).
          // ASSUMED: also on the push that creates the branch (the rule has no creation exemption).
          if (push.commits.some((c) => !c.signed)) out.push('Commits must have verified signatures.');
          break;
        case 'required_linear_history':
          if (push.commits.some((c) => c.merge)) out.push('This branch must not contain merge commits.');
          break;
        default:
          break;
      }
    }
  }
  return [...new Set(out)];
}

/** Applies a push when the rules allow it. */
export function applyPush(r: RepoState, push: Push, actor: string): PushResult {
  const created = !r.branches.includes(push.branch);
  const violations = pushViolations(r, push, actor);
  if (violations.length) return { accepted: false, created, violations };
  const prev = r.heads.get(push.branch)?.commits ?? [];
  r.heads.set(push.branch, { commits: [...(push.force ? [] : prev), ...push.commits], pushedBy: actor });
  if (!r.branches.includes(push.branch)) r.branches.push(push.branch);
  return { accepted: true, created, violations: [] };
}
