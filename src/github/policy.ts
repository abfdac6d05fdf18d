import type { ProtectionConfig } from '../config/types.js';
import { REQUIRED_CHECK_NAME } from '../detect/checks.js';
import type { BranchRules, DesiredState, LiveState } from './types.js';

/** GitHub Actions' app id: the required check must come from a workflow run, not from any status poster. */
export const GITHUB_ACTIONS_APP_ID = 15368;

export interface PolicyContext {
  /** The repository has a CODEOWNERS file (root, .github/ or docs/). */
  codeowners: boolean;
  /** The approvals count was written in .secure-repo.yml, so we must not second-guess it. */
  approvalsExplicit: boolean;
  live: Pick<LiveState, 'repo' | 'collaborators'>;
  /**
   * The status checks to require, from `requiredChecks(detection, config)` in detect/checks.ts (the aggregator
   * job the generated workflows define, plus the config's extras). Omitted: the aggregator plus the extras.
   */
  checks?: string[];
  /** The deploy workflow's environment name when the deploy stage is selected. */
  environment?: string | null;
}

/** A single maintainer cannot approve their own pull request, so required approvals would lock them out. */
function isSolo(live: PolicyContext['live']): boolean {
  if (live.collaborators !== null) return live.collaborators <= 1;
  return live.repo.ownerType === 'User';
}

/** The state the policy asks for, for this repository. */
export function desiredState(p: ProtectionConfig, ctx: PolicyContext): DesiredState {
  const notes: string[] = [];
  let approvals = p.requiredApprovals;
  if (!ctx.approvalsExplicit && approvals > 0 && isSolo(ctx.live)) {
    approvals = 0;
    notes.push(
      'This repository has a single maintainer, so pull requests are required but need 0 approvals (GitHub does not let ' +
        'you approve your own pull request). Set protection.requiredApprovals in .secure-repo.yml once others review.',
    );
  }
  const codeOwners = p.requireCodeOwnerReviews && ctx.codeowners;
  if (p.requireCodeOwnerReviews && !ctx.codeowners) notes.push('No CODEOWNERS file, so code-owner review is not required (add one and run protect again).');
  if (p.requireSignedCommits) {
    notes.push(
      'Signed commits are required, so "Rebase and merge" is turned off: GitHub cannot sign the commits it rebases. ' +
        'Merge and squash commits made on github.com are signed by GitHub.',
    );
  }
  const checks = ctx.checks ?? [REQUIRED_CHECK_NAME, ...p.extraRequiredChecks.filter((c) => c !== REQUIRED_CHECK_NAME)];
  if (!checks.includes(REQUIRED_CHECK_NAME)) {
    notes.push(`No generated workflow reports the ${REQUIRED_CHECK_NAME} check here, so it is not required (a check nothing reports would block every merge).`);
  }
  const rules: BranchRules = {
    pullRequest: {
      approvals,
      dismissStale: p.dismissStaleReviews,
      codeOwners,
      // Last-push approval needs a second person; for a solo maintainer it would block every merge.
      lastPush: p.requireLastPushApproval && approvals > 0,
      conversationResolution: p.requireConversationResolution,
    },
    statusChecks: checks.length
      ? { strict: true, checks: checks.map((context) => ({ context, appId: context === REQUIRED_CHECK_NAME ? GITHUB_ACTIONS_APP_ID : null })) }
      : null,
    signatures: p.requireSignedCommits,
    linearHistory: p.requireLinearHistory,
    blockForcePushes: true,
    blockDeletions: true,
    enforceAdmins: p.enforceAdmins,
    bypassActors: p.bypassActors.map((a) => ({ actor_type: a.actor_type, actor_id: a.actor_id, bypass_mode: a.bypass_mode })),
  };
  const s = p.settings;
  return {
    rules,
    settings: {
      dependabotAlerts: s.dependabotAlerts ? true : null,
      dependabotSecurityUpdates: s.dependabotSecurityUpdates ? true : null,
      secretScanning: s.secretScanning ? true : null,
      secretScanningPushProtection: s.secretScanningPushProtection ? true : null,
      privateVulnerabilityReporting: s.privateVulnerabilityReporting ? true : null,
      workflowPermissions: s.workflowTokenReadOnly ? 'read' : null,
      actionsCanApprovePullRequests: s.actionsCanApprovePullRequests,
      allowRebaseMerge: p.requireSignedCommits ? false : null,
    },
    environment: ctx.environment ? { name: ctx.environment, reviewsWanted: approvals > 0 } : null,
    notes,
  };
}
