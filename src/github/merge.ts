import type { BranchRules, BypassActor, DesiredState, MergeMethod } from './types.js';

/** Review settings the people here cannot meet (a solo maintainer): the policy's value wins over a stricter live one. */
export type Unmeetable = DesiredState['unmeetable'][number];

/** Both lists restrict: keep the methods both allow (never none); either side null means no restriction there. */
function mergeMethods(want: MergeMethod[] | null, live: MergeMethod[] | null): MergeMethod[] | null {
  if (!want || !live) return want ?? live;
  const both = want.filter((m) => live.includes(m));
  return both.length ? both : want;
}

const actorKey = (a: BypassActor) => `${a.actor_type}:${a.actor_id ?? ''}`;

/**
 * The rules to write: the policy merged over what is live. Without prune nothing gets weaker: stricter live values,
 * extra checks and bypass actors the user added stay.
 */
export function mergeRules(
  live: BranchRules | null,
  want: BranchRules,
  prune: boolean,
  unmeetable: readonly Unmeetable[] = [],
): BranchRules {
  if (live && want.statusChecks && live.statusChecks) {
    // A check we leave open to any source (appId null) may be pinned by GitHub to the app that last reported it;
    // that is not a difference worth a write.
    const pinned = new Map(live.statusChecks.checks.map((c) => [c.context, c.appId]));
    want = {
      ...want,
      statusChecks: {
        ...want.statusChecks,
        checks: want.statusChecks.checks.map((c) =>
          c.appId === null && pinned.get(c.context) ? { ...c, appId: pinned.get(c.context)! } : c,
        ),
      },
    };
  }
  if (!live || prune) return want;
  const pr =
    want.pullRequest && live.pullRequest
      ? {
          // A stricter value nobody here can satisfy is a lock-out, not extra safety: the policy's value wins.
          approvals: unmeetable.includes('approvals')
            ? want.pullRequest.approvals
            : Math.max(want.pullRequest.approvals, live.pullRequest.approvals),
          dismissStale: want.pullRequest.dismissStale || live.pullRequest.dismissStale,
          codeOwners: unmeetable.includes('codeOwners')
            ? want.pullRequest.codeOwners
            : want.pullRequest.codeOwners || live.pullRequest.codeOwners,
          lastPush: unmeetable.includes('lastPush')
            ? want.pullRequest.lastPush
            : want.pullRequest.lastPush || live.pullRequest.lastPush,
          conversationResolution: want.pullRequest.conversationResolution || live.pullRequest.conversationResolution,
          allowedMergeMethods: mergeMethods(want.pullRequest.allowedMergeMethods, live.pullRequest.allowedMergeMethods),
        }
      : (want.pullRequest ?? live.pullRequest);
  let statusChecks = want.statusChecks ?? live.statusChecks;
  if (want.statusChecks && live.statusChecks) {
    const ours = new Set(want.statusChecks.checks.map((c) => c.context));
    statusChecks = {
      strict: want.statusChecks.strict || live.statusChecks.strict,
      doNotEnforceOnCreate: want.statusChecks.doNotEnforceOnCreate,
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
