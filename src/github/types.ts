/** Shared shapes of the GitHub protection code: live state, desired policy, planned operations, the report. */
import type { Change } from '../changes/types.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

export type Mechanism = 'classic' | 'rulesets';

/** How reports name the mechanism in use. */
export const mechanismName = (m: Mechanism | 'none'): string =>
  m === 'none' ? 'no branch rules' : m === 'classic' ? 'classic branch protection' : 'a repository ruleset';
export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface StatusCheck {
  context: string;
  /** App that must report the check (GitHub Actions is 15368); null: any source. */
  appId: number | null;
}

export interface BypassActor {
  actor_type: string;
  actor_id: number | null;
  bypass_mode: string;
}

/**
 * Branch rules in one vocabulary for both mechanisms. Classic protection and rulesets name the same things
 * differently (`require_code_owner_reviews` vs `require_code_owner_review`, `required_conversation_resolution`
 * vs `required_review_thread_resolution`, `checks[].app_id` vs `required_status_checks[].integration_id`);
 * the readers and the request builders translate, the diff only sees this.
 */
export interface BranchRules {
  pullRequest: {
    approvals: number;
    dismissStale: boolean;
    codeOwners: boolean;
    lastPush: boolean;
    conversationResolution: boolean;
    /** Rulesets only: the merge methods pull requests may use (null: any the repository allows). */
    allowedMergeMethods: MergeMethod[] | null;
  } | null;
  /** `doNotEnforceOnCreate` (rulesets only): the push that creates the branch is not held to the checks. */
  statusChecks: { strict: boolean; checks: StatusCheck[]; doNotEnforceOnCreate: boolean } | null;
  signatures: boolean;
  linearHistory: boolean;
  blockForcePushes: boolean;
  blockDeletions: boolean;
  /** Classic: enforce_admins. Rulesets: admins are bound unless a bypass actor lets them through. */
  enforceAdmins: boolean;
  /** Rulesets only. */
  bypassActors: BypassActor[];
}

export interface RepoSettings {
  dependabotAlerts: boolean | null;
  dependabotSecurityUpdates: boolean | null;
  secretScanning: boolean | null;
  secretScanningPushProtection: boolean | null;
  privateVulnerabilityReporting: boolean | null;
  /** 'read' | 'write' | null (unknown). */
  workflowPermissions: string | null;
  actionsCanApprovePullRequests: boolean | null;
  allowRebaseMerge: boolean | null;
}

export interface RepoInfo {
  fullName: string;
  private: boolean;
  visibility: string;
  defaultBranch: string;
  ownerType: 'User' | 'Organization';
  archived: boolean;
  /** The user's admin role; null when GitHub does not say (app installation tokens get no `permissions`). */
  admin: boolean | null;
  /** Secret scanning can be turned on here: public, or a private repository with Secret Protection / Advanced Security. */
  secretScanningAvailable: boolean;
}

/** How an environment limits the branches that may deploy to it (GitHub's `deployment_branch_policy`); null: any branch. */
export interface DeploymentBranchPolicy {
  protected_branches: boolean;
  custom_branch_policies: boolean;
}

/** One entry of an environment's custom deployment branch policies (GitHub's name patterns, fnmatch syntax). */
export interface DeploymentBranchRule {
  id: number;
  name: string;
  type: 'branch' | 'tag';
}

export interface EnvironmentReviewer {
  type: 'User' | 'Team';
  id: number;
  /** Login or team slug, for the report. */
  name: string;
}

/** A deployment environment as read from GitHub. */
export interface EnvironmentState {
  name: string;
  /** 'absent': GET answered 404; 'plan': the plan excludes environments here (403); 'unreadable': another 403. */
  status: 'present' | 'absent' | 'plan' | 'unreadable';
  /** Minutes; 0 when there is no wait timer rule. */
  waitTimer: number;
  preventSelfReview: boolean;
  reviewers: EnvironmentReviewer[];
  branchPolicy: DeploymentBranchPolicy | null;
  /** The custom name patterns; read only when `branchPolicy.custom_branch_policies` is on (otherwise empty). */
  branchRules: DeploymentBranchRule[];
}

/** Everything protect reads before deciding anything. Raw objects are kept so a write can carry over what we don't manage. */
export interface LiveState {
  ref: RepoRef;
  /** GitHub Enterprise Server version (from the x-github-enterprise-version header), null on github.com. */
  enterprise: string | null;
  repo: RepoInfo;
  /** Account plan ('free', 'pro', 'team', ...) when the token may see it, else null. */
  plan: string | null;
  branch: string;
  branchExists: boolean;
  /** Classic protection, null when the branch has none (or does not exist). */
  classic: BranchRules | null;
  classicRaw: Record<string, unknown> | null;
  /** Classic protection cannot be read on this plan (403 "Upgrade to GitHub Pro ..."). */
  classicPlanLimited: boolean;
  /** False when the server has no rulesets API (older GitHub Enterprise Server) or the plan excludes them. */
  rulesetsAvailable: boolean;
  rulesetsPlanLimited: boolean;
  /** The ruleset we manage (found by name), with its rules. */
  ruleset: { id: number; rules: BranchRules; raw: Record<string, unknown> } | null;
  /** Rule types that other rulesets (repository or organization) already apply to the branch. */
  otherRulesetRules: string[];
  /** People with write access or more (collaborators, team members, organization owners); null when unreadable. */
  writers: number | null;
  /** Login of the token's user (null when GitHub does not say, e.g. an app installation token). */
  viewer: string | null;
  /** Whether GitHub Actions may run our workflows here; null when the token cannot read it. */
  actions: ActionsState | null;
  /** Code scanning default setup: 'unavailable' without Code Security (private repositories); null when unreadable. */
  defaultSetup: 'configured' | 'not-configured' | 'unavailable' | null;
  /** Settings the token could not read, with the permission GitHub names (`X-Accepted-GitHub-Permissions`). */
  unreadable: Record<string, string>;
  /** The workflows' code scanning switch (a repository variable; value null: unset); null when unreadable. */
  codeScanningVariable: { value: string | null } | null;
  settings: RepoSettings;
  /** The deploy workflow's environment; null when the deploy stage is not selected (then it is not read or touched). */
  environment: EnvironmentState | null;
  /** The audit workflow's environment; null when the operate stage is not selected (then it is not read or touched). */
  auditEnvironment: EnvironmentState | null;
  /** The variable telling the audit workflow that environment exists (value null: unset); null: unreadable or not read. */
  auditEnvironmentVariable: { value: string | null } | null;
  /**
   * Where the audit token (SECURE_REPO_AUDIT_TOKEN) is stored, read with the audit environment: as a repository secret
   * (every branch's workflows can read it), in the environment; null: not read or unreadable.
   */
  auditToken: { repository: boolean | null; environment: boolean | null } | null;
}

/** GET /repos/{o}/{r}/actions/permissions (and selected-actions when `allowed` is 'selected'). */
export interface ActionsState {
  enabled: boolean;
  allowed: 'all' | 'local_only' | 'selected';
  selected: { githubOwned: boolean; verified: boolean; patterns: string[] } | null;
}

/** What the policy wants: the branch rules plus repository settings (null: not managed). */
export interface DesiredState {
  rules: BranchRules;
  settings: { [K in keyof RepoSettings]: RepoSettings[K] | null };
  /**
   * The deploy environment to create and limit to the protected branch; null when the deploy stage is not selected.
   * `reviewsWanted`: the branch policy asks for reviews, so the report points at adding reviewers (never invented).
   */
  environment: { name: string; reviewsWanted: boolean } | null;
  /** The audit environment (the operate stage is selected): created and limited to the protected branch; else null. */
  auditEnvironment: { name: string } | null;
  /** Plain-language notes about choices made for this repository (solo maintainer, signing and rebase). */
  notes: string[];
  /** Review settings nobody here can satisfy: the policy's value replaces a stricter live one (see mergeRules). */
  unmeetable: ('approvals' | 'lastPush' | 'codeOwners')[];
}

/** One API request as data: an Octokit route plus its parameters, and the settings it carries. */
export interface Operation {
  route: string;
  params: Record<string, unknown>;
  description: string;
  settings: string[];
  /** Sent only if the operation just before it succeeded (it builds on that one's result). */
  needsPrevious?: boolean;
}

export interface ProtectPlan {
  repository: string;
  branch: string;
  mechanism: Mechanism | 'none';
  changes: Change[];
  operations: Operation[];
  notes: string[];
  /** Why branch rules cannot be written at all; null: they can. */
  blocked: Blocked | null;
}

/** What keeps branch rules from being written: the plan, a branch classic protection needs, a server without rulesets. */
export interface Blocked {
  kind: 'plan' | 'branch-missing' | 'no-rulesets';
  reason: string;
}
