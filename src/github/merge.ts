import type { BranchRules, BypassActor } from './types.js';

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
