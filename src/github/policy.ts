import type { ProtectionConfig } from '../config/types.js';
import { REQUIRED_CHECK_NAME } from '../detect/checks.js';
import { checkCannotPass, type WorkflowFacts } from './check-source.js';
import { codeownersOwners } from './codeowners.js';
import type { Unmeetable } from './merge.js';
import type { BranchRules, BypassActor, DesiredState, LiveState } from './types.js';

/** GitHub Actions' app id: the required check must come from a workflow run, not from any status poster. */
export const GITHUB_ACTIONS_APP_ID = 15368;

/**
 * Repository admins may merge a pull request that does not meet the rules, never push around them
 * (REST "Create a repository ruleset": actor_type RepositoryRole, actor_id 5 = admin, bypass_mode pull_request).
 */
const ADMIN_PR_BYPASS: BypassActor = { actor_type: 'RepositoryRole', actor_id: 5, bypass_mode: 'pull_request' };

export interface PolicyContext {
  /** The CODEOWNERS file's text (root, .github/ or docs/); null when there is none. */
  codeowners: string | null;
  live: Pick<LiveState, 'repo' | 'writers' | 'viewer' | 'actions' | 'defaultSetup' | 'ref'> &
    Partial<Pick<LiveState, 'branchExists' | 'branch' | 'codeScanningVariable'>>;
  /**
   * The status checks to require, from `requiredChecks(detection, config)` in detect/checks.ts (the aggregator
   * job the generated workflows define, plus the config's extras). Omitted: the aggregator plus the extras.
   */
  checks?: string[];
  /** The deploy workflow's environment name when the deploy stage is selected. */
  environment?: string | null;
  /** The audit workflow's environment name when the operate stage is selected. */
  auditEnvironment?: string | null;
  /** What the generated pull-request workflows use (omitted: not known, e.g. protect run outside a checkout). */
  workflows?: WorkflowFacts;
}

/**
 * One person with write access: GitHub never counts an author's approval of their own pull request, so required
 * approvals would lock them out. Without a readable list, a personal repository counts as solo.
 */
function isSolo(live: Pick<LiveState, 'repo' | 'writers'>): boolean {
  if (live.writers !== null) return live.writers <= 1;
  return live.repo.ownerType === 'User';
}

function peopleText(live: PolicyContext['live']): string {
  if (live.writers === null)
    return live.repo.ownerType === 'User'
      ? 'this personal repository has one maintainer (its collaborators could not be listed with this token)'
      : 'the collaborators could not be listed with this token';
  return live.writers === 1
    ? `one person${live.viewer ? ` (@${live.viewer})` : ''} has write access here`
    : `${live.writers} people have write access here`;
}

/** Code-owner review: only when CODEOWNERS names owners GitHub accepts and someone other than the author can approve. */
function codeOwnerReview(p: ProtectionConfig, ctx: PolicyContext, solo: boolean, notes: string[]): boolean {
  if (!p.requireCodeOwnerReviews) return false;
  if (ctx.codeowners === null) {
    notes.push('No CODEOWNERS file, so code-owner review is not required (add one and run protect again).');
    return false;
  }
  const { repo, ref, viewer } = ctx.live;
  const { owners, invalid } = codeownersOwners(ctx.codeowners, ref.owner, repo.ownerType === 'Organization');
  if (invalid.length) {
    notes.push(
      `CODEOWNERS names ${invalid.join(', ')}, the organization itself, which GitHub does not accept as an owner (only @user, @org/team or an email): ` +
        `lines owned only by it have no owner. Name a team (@${ref.owner}/<team>) or people instead.`,
    );
  }
  const valid = owners.filter((o) => !invalid.includes(o));
  if (valid.length === 0) {
    notes.push('Code-owner review is not required: CODEOWNERS names no owner GitHub accepts.');
    return false;
  }
  if (solo) {
    const onlyMe = viewer !== null && valid.every((o) => o.toLowerCase() === `@${viewer.toLowerCase()}`);
    notes.push(
      onlyMe
        ? `Code-owner review is not required: CODEOWNERS names only you (@${viewer}), and GitHub never counts an author's own approval, so it would block every pull request you open. It is required once someone else owns code here and has write access.`
        : 'Code-owner review is not required: only one person has write access here, and a code owner other than the author must approve. It is required once a second person has write access (run protect again).',
    );
    return false;
  }
  return true;
}

/** The state the policy asks for, for this repository. */
export function desiredState(p: ProtectionConfig, ctx: PolicyContext): DesiredState {
  const notes: string[] = [];
  const solo = isSolo(ctx.live);
  const explicit = p.requiredApprovals !== 'auto';
  const approvals = p.requiredApprovals === 'auto' ? (solo ? 0 : 1) : p.requiredApprovals;
  const people = peopleText(ctx.live);
  if (!explicit && solo) {
    notes.push(
      `Reviews: ${people}, so pull requests are required with 0 approvals and no last-push approval: GitHub never lets the author approve their own pull request, ` +
        'so a required approval would block every merge. protection.requiredApprovals is auto: it becomes 1 once a second person has write access (run protect again).',
    );
  } else if (!explicit) {
    notes.push(
      `Reviews: ${people}, so a pull request needs 1 approval from someone other than its author. Repository admins may bypass the rules on a pull request ` +
        '(never on a direct push), so a change can still land when no reviewer is available; each bypass is recorded by GitHub.',
    );
  } else if (solo && approvals > 0) {
    notes.push(
      `Reviews: protection.requiredApprovals is ${approvals} in .secure-repo.yml, but ${people}: nobody can approve your pull requests, so you will merge them through the admin bypass ` +
        '(pull requests only). Set it to auto to drop the requirement while you work alone.',
    );
  } else {
    notes.push(
      `Reviews: ${approvals} approval(s) from someone other than the author, as protection.requiredApprovals says; ${people}.`,
    );
  }
  const codeOwners = codeOwnerReview(p, ctx, solo, notes);
  if (p.requireSignedCommits) {
    notes.push(
      'Signed commits are required, so pull requests merge by squash: GitHub signs the squash commit it creates whoever wrote the commits, while a merge commit ' +
        'would bring unsigned commits onto the branch (refused) and GitHub cannot sign the commits it rebases ("Rebase and merge" is turned off too).',
    );
  }
  if (p.requireSignedCommits && ctx.live.branchExists === false) {
    notes.push(
      `The branch ${ctx.live.branch ?? ''} does not exist yet: the push that creates it is not held to the required check (it cannot have run), ` +
        'but its commits must be signed like every later push (`secure-repo signing` sets up signing).',
    );
  }
  let checks = ctx.checks ?? [REQUIRED_CHECK_NAME, ...p.extraRequiredChecks.filter((c) => c !== REQUIRED_CHECK_NAME)];
  const cannot = checks.includes(REQUIRED_CHECK_NAME) ? checkCannotPass(ctx.live, ctx.workflows) : null;
  if (cannot) {
    checks = checks.filter((c) => c !== REQUIRED_CHECK_NAME);
    notes.push(
      `The ${REQUIRED_CHECK_NAME} check is not required: ${cannot}. A required check that never passes would block every pull request; fix that and run protect again.`,
    );
  } else if (!checks.includes(REQUIRED_CHECK_NAME)) {
    notes.push(
      `No generated workflow reports the ${REQUIRED_CHECK_NAME} check here, so it is not required (a check nothing reports would block every merge).`,
    );
  }
  const bypassActors: BypassActor[] = p.bypassActors.map((a) => ({
    actor_type: a.actor_type,
    actor_id: a.actor_id,
    bypass_mode: a.bypass_mode,
  }));
  if (
    approvals > 0 &&
    !bypassActors.some((a) => a.actor_type === ADMIN_PR_BYPASS.actor_type && a.actor_id === ADMIN_PR_BYPASS.actor_id)
  )
    bypassActors.push(ADMIN_PR_BYPASS);
  const rules: BranchRules = {
    pullRequest: {
      approvals,
      dismissStale: p.dismissStaleReviews,
      codeOwners,
      // Last-push approval needs a second person; for a solo maintainer it would block every merge.
      lastPush: p.requireLastPushApproval && approvals > 0 && !solo,
      conversationResolution: p.requireConversationResolution,
      allowedMergeMethods: p.requireSignedCommits ? ['squash'] : null,
    },
    statusChecks: checks.length
      ? {
          strict: true,
          doNotEnforceOnCreate: true,
          checks: checks.map((context) => ({
            context,
            appId: context === REQUIRED_CHECK_NAME ? GITHUB_ACTIONS_APP_ID : null,
          })),
        }
      : null,
    signatures: p.requireSignedCommits,
    linearHistory: p.requireLinearHistory,
    blockForcePushes: true,
    blockDeletions: true,
    enforceAdmins: p.enforceAdmins,
    bypassActors,
  };
  // A solo maintainer's stricter live values (from an earlier version or by hand) are a lock-out: replace them.
  const unmeetable: Unmeetable[] = solo && !explicit ? ['approvals', 'lastPush', 'codeOwners'] : [];
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
    auditEnvironment: ctx.auditEnvironment ? { name: ctx.auditEnvironment } : null,
    notes,
    unmeetable,
  };
}
