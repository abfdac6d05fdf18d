import type { Severity } from '../../config/types.js';
import type { FindingKind } from './types.js';

export type OperateArea =
  'runs' | 'workflows' | 'bypasses' | 'access' | 'actions-settings' | 'controls' | 'images' | 'alerts';

/** One Operate detection, as data: what it looks for, what it needs to read it, and how a SIEM can key on it. */
export interface DetectionDef {
  id: string;
  area: OperateArea;
  kind: FindingKind;
  severity: Severity;
  title: string;
  /** The permission a fine-grained token needs to read its input ("none" for repository files). */
  needs: string;
  /** The closest GitHub audit-log action name, so detection content written for the audit log applies. */
  auditAction?: string;
  fix: string;
  /** Reported as a warning rather than a failure: hygiene most repositories carry, or a first sighting to confirm. */
  advisory?: true;
}

const ACTIONS_READ = 'Actions: read';
const ADMIN_READ = 'Administration: read';
const FILES = 'none (repository files)';

export const DETECTIONS: readonly DetectionDef[] = [
  // 1. Run history
  {
    id: 'run-privileged-from-fork',
    area: 'runs',
    kind: 'activity',
    severity: 'high',
    title: 'A privileged event ran code from another repository',
    needs: ACTIONS_READ,
    auditAction: 'workflows.prepared_workflow_job',
    fix: 'Review the run and what it could reach; gate the workflow with an environment or move untrusted work to `pull_request`.',
  },
  {
    id: 'run-dispatch-unusual',
    area: 'runs',
    kind: 'activity',
    severity: 'high',
    title: 'A manual or API dispatch by a bot, an outside actor or on a non-default branch',
    needs: ACTIONS_READ,
    auditAction: 'workflows.created_workflow_run',
    fix: 'Confirm who dispatched it and why; restrict who can dispatch (environment reviewers) and rotate any token that could.',
  },
  {
    id: 'run-triggering-actor-differs',
    area: 'runs',
    kind: 'activity',
    severity: 'medium',
    title: 'A run re-triggered by someone other than its actor',
    needs: ACTIONS_READ,
    auditAction: 'workflows.rerun_workflow_run',
    fix: "Confirm the re-run was intended: a re-run uses the original actor's privileges.",
  },
  {
    id: 'run-workflow-not-on-default-branch',
    area: 'runs',
    kind: 'activity',
    severity: 'high',
    title: 'A run of a workflow file that is not on the default branch',
    needs: ACTIONS_READ,
    auditAction: 'workflows.created_workflow_run',
    fix: 'Find the branch that added the workflow file and who pushed it; delete the branch and review what the run touched.',
  },
  {
    id: 'run-first-seen',
    advisory: true,
    area: 'runs',
    kind: 'activity',
    severity: 'low',
    title: 'An actor ran a workflow through an event for the first time',
    needs: ACTIONS_READ,
    auditAction: 'workflows.created_workflow_run',
    fix: 'Confirm the actor should run this workflow; the combination is remembered from now on.',
  },
  {
    id: 'run-self-hosted-untrusted',
    area: 'runs',
    kind: 'activity',
    severity: 'high',
    title: 'A job from a fork, a branch-only workflow or an unknown runner ran on a self-hosted runner',
    needs: ACTIONS_READ,
    auditAction: 'workflows.prepared_workflow_job',
    fix: 'Take the runner offline and rebuild it; make self-hosted runners ephemeral and unreachable from pull requests.',
  },
  // 2. Every workflow
  {
    id: 'workflow-dangerous-trigger',
    area: 'workflows',
    kind: 'drift',
    severity: 'critical',
    title: 'pull_request_target / workflow_run checks out the head with secrets or write access',
    needs: FILES,
    fix: 'Do not check out the pull request head in a privileged workflow; run its build under `pull_request` and pass results as artifacts.',
  },
  {
    id: 'workflow-script-injection',
    area: 'workflows',
    kind: 'drift',
    severity: 'high',
    title: 'Untrusted context expanded into a script',
    needs: FILES,
    fix: 'Pass the value through `env:` and use it as "$VAR" in the script.',
  },
  {
    id: 'workflow-unpinned-uses',
    advisory: true,
    area: 'workflows',
    kind: 'drift',
    severity: 'medium',
    title: 'An action or reusable workflow not pinned to a full commit SHA',
    needs: FILES,
    fix: 'Pin to a full commit SHA with the tag in a comment (`secure-repo pins` does it).',
  },
  {
    id: 'workflow-unpinned-image',
    advisory: true,
    area: 'workflows',
    kind: 'drift',
    severity: 'medium',
    title: 'A container, service or docker:// image without a digest',
    needs: FILES,
    fix: 'Reference the image by digest: `image@sha256:…`.',
  },
  {
    id: 'workflow-persist-credentials',
    advisory: true,
    area: 'workflows',
    kind: 'drift',
    severity: 'low',
    title: 'actions/checkout leaves the token in .git/config',
    needs: FILES,
    fix: 'Set `persist-credentials: false` unless a later step pushes.',
  },
  {
    id: 'workflow-secrets-inherit',
    area: 'workflows',
    kind: 'drift',
    severity: 'medium',
    title: 'A reusable workflow receives every secret',
    needs: FILES,
    fix: 'Pass only the secrets the called workflow needs.',
  },
  {
    id: 'workflow-self-hosted-pr',
    area: 'workflows',
    kind: 'drift',
    severity: 'high',
    title: 'A self-hosted runner reachable from pull requests',
    needs: FILES,
    fix: 'Run pull-request jobs on GitHub-hosted runners, or on ephemeral self-hosted runners only.',
  },
  {
    id: 'workflow-no-hardening',
    advisory: true,
    area: 'workflows',
    kind: 'drift',
    severity: 'low',
    title: 'A job without the hardening step first',
    needs: FILES,
    fix: 'Make step-security/harden-runner the first step of the job.',
  },
  {
    id: 'workflow-unknown-file',
    area: 'workflows',
    kind: 'drift',
    severity: 'medium',
    title: 'A workflow file not in the reviewed baseline',
    needs: FILES,
    fix: 'Review the file; `secure-repo audit --write-baseline` records it once reviewed (commit the baseline through a pull request).',
  },
  // 3. Bypasses that happened
  {
    id: 'bypass-rule-suite',
    area: 'bypasses',
    kind: 'activity',
    severity: 'high',
    title: 'A push bypassed the branch rules',
    needs: ADMIN_READ,
    auditAction: 'protected_branch.policy_override',
    fix: 'Review the pushed commits; limit bypass actors to pull requests (`bypass_mode: pull_request`).',
  },
  {
    id: 'bypass-direct-push',
    area: 'bypasses',
    kind: 'activity',
    severity: 'high',
    title: 'A push to the protected branch whose head is not a merged pull request commit',
    needs: 'Contents: read',
    auditAction: 'protected_branch.policy_override',
    fix: 'Review the pushed commits and who pushed them; require pull requests for everyone (enforce for admins).',
  },
  {
    id: 'bypass-force-push',
    area: 'bypasses',
    kind: 'activity',
    severity: 'critical',
    title: 'A force push to the protected branch',
    needs: 'Contents: read',
    auditAction: 'protected_branch.policy_override',
    fix: 'Compare the old and new heads (`before`/`after`); restore lost commits and disallow force pushes.',
  },
  // 4. Access changes against the reviewed baseline
  {
    id: 'access-deploy-key',
    area: 'access',
    kind: 'drift',
    severity: 'high',
    title: 'A deploy key that is new, has write access, or is unused',
    needs: ADMIN_READ,
    auditAction: 'public_key.create',
    fix: 'Remove keys nobody needs; prefer read-only keys; record reviewed keys with --write-baseline.',
  },
  {
    id: 'access-webhook',
    area: 'access',
    kind: 'drift',
    severity: 'high',
    title: 'A webhook that is new, has no secret, skips TLS verification or posts to an unknown host',
    needs: 'Webhooks: read',
    auditAction: 'hook.create',
    fix: 'Delete unknown hooks; set a secret and keep TLS verification on for the rest.',
  },
  {
    id: 'access-collaborator',
    area: 'access',
    kind: 'drift',
    severity: 'high',
    title: 'A new admin, maintainer or outside collaborator, or a pending invitation',
    needs: 'Metadata: read (push access or more)',
    auditAction: 'repo.add_member',
    fix: 'Remove access nobody approved; record approved people with --write-baseline.',
  },
  {
    id: 'access-runner',
    area: 'access',
    kind: 'drift',
    severity: 'high',
    title: 'A self-hosted runner not in the baseline',
    needs: ADMIN_READ,
    auditAction: 'repo.register_self_hosted_runner',
    fix: 'Remove the runner unless someone registered it on purpose.',
  },
  {
    id: 'access-environment',
    area: 'access',
    kind: 'drift',
    severity: 'medium',
    title: 'A deployment environment without protection, or not in the baseline',
    needs: ACTIONS_READ,
    auditAction: 'environment.create',
    fix: 'Add required reviewers or a deployment branch policy.',
  },
  {
    id: 'access-secret',
    area: 'access',
    kind: 'drift',
    severity: 'medium',
    title: 'An Actions secret added or removed since the baseline',
    needs: 'Secrets: read',
    auditAction: 'repo.create_actions_secret',
    fix: 'Confirm who changed it; record the reviewed list with --write-baseline.',
  },
  // 5. Actions settings
  {
    id: 'actions-settings-drift',
    area: 'actions-settings',
    kind: 'drift',
    severity: 'medium',
    title: 'An Actions setting weaker than the policy',
    needs: ADMIN_READ,
    auditAction: 'repo.actions_enabled',
    fix: 'Run `secure-repo protect`, or change it under Settings → Actions → General.',
  },
  // 6. Security controls switched off
  {
    id: 'control-workflow-disabled',
    area: 'controls',
    kind: 'drift',
    severity: 'high',
    title: 'A security workflow is disabled',
    needs: ACTIONS_READ,
    auditAction: 'workflows.disable_workflow',
    fix: 'Enable it again (Actions → the workflow → Enable) and find out who disabled it.',
  },
  {
    id: 'control-workflow-stale',
    area: 'controls',
    kind: 'drift',
    severity: 'medium',
    title: 'A security workflow has not run (or the gate has not passed on the default branch) for too long',
    needs: ACTIONS_READ,
    fix: "Look at the workflow's recent runs; a schedule stops after 60 days without activity.",
  },
  {
    id: 'control-hardening-removed',
    area: 'controls',
    kind: 'drift',
    severity: 'high',
    title: 'A generated workflow lost its hardening step',
    needs: FILES,
    fix: 'Run init again to restore the generated workflow.',
  },
  // 7. Images
  {
    id: 'image-not-allowed',
    area: 'images',
    kind: 'drift',
    severity: 'high',
    title: 'An image reference outside the registry allow-list, or without a digest where one is required',
    needs: FILES,
    fix: 'Use an allowed registry and pin by digest, or add the registry to the allow-list in the baseline (reviewed).',
  },
  {
    id: 'image-pulled-unexpected',
    area: 'images',
    kind: 'activity',
    severity: 'high',
    title: 'A job pulled an image outside the allow-list',
    needs: ACTIONS_READ,
    fix: 'Find the step that pulled it in the job log; pin it by digest in an allowed registry.',
  },
  // 8. Alert hygiene
  {
    id: 'alert-push-protection-bypass',
    area: 'alerts',
    kind: 'activity',
    severity: 'high',
    title: 'A secret was pushed past push protection',
    needs: 'Secret scanning alerts: read',
    auditAction: 'secret_scanning_push_protection.bypass',
    fix: 'Revoke the secret, then close the alert as revoked.',
  },
  {
    id: 'alert-dismissed',
    area: 'alerts',
    kind: 'activity',
    severity: 'medium',
    title: 'An alert was dismissed since the last audit',
    needs: 'Code scanning alerts: read / Dependabot alerts: read',
    auditAction: 'repository_vulnerability_alert.dismiss',
    fix: 'Check the dismissal reason with the person who dismissed it.',
  },
  {
    id: 'alert-past-sla',
    area: 'alerts',
    kind: 'drift',
    severity: 'high',
    title: 'A critical or high alert open past its deadline',
    needs: 'Code scanning alerts: read / Dependabot alerts: read',
    fix: 'Fix or triage the alert; deadlines are set in the baseline (`sla`).',
  },
];

const BY_ID = new Map(DETECTIONS.map((d) => [d.id, d]));

export function detection(id: string): DetectionDef {
  const d = BY_ID.get(id);
  if (!d) throw new Error(`unknown Operate detection ${id}`);
  return d;
}
