import type { OperateFinding } from './types.js';

/** What the Actions settings endpoints answered (null: that one could not be read; reported separately). */
export interface ActionsSettings {
  permissions: { enabled: boolean; allowed_actions?: string; sha_pinning_required?: boolean } | null;
  workflow: { default_workflow_permissions: string; can_approve_pull_request_reviews: boolean } | null;
  forkApproval: { approval_policy: string } | null;
  /** Private repositories only. */
  privateForks: {
    run_workflows_from_fork_pull_requests: boolean;
    send_write_tokens_to_workflows: boolean;
    send_secrets_and_variables: boolean;
    require_approval_for_fork_pr_workflows: boolean;
  } | null;
}

export interface ActionsPolicy {
  workflowTokenReadOnly: boolean;
  actionsCanApprovePullRequests: boolean;
}

/** The settings `protect` applies or the policy expects; each weaker value is one finding. */
export function actionsSettingsFindings(s: ActionsSettings, _policy: ActionsPolicy): OperateFinding[] {
  const out: OperateFinding[] = [];
  // Hygiene most repositories start with (every action allowed, tags allowed) is low: a warning until protect sets it.
  const add = (
    key: string,
    message: string,
    evidence: Record<string, string | boolean>,
    severity: 'low' | 'medium' | 'high' = 'medium',
  ) =>
    out.push({
      detection: 'actions-settings-drift',
      key,
      severity,
      target: `Actions setting ${key}`,
      message,
      evidence,
    });
  if (s.permissions) {
    if (s.permissions.enabled && s.permissions.allowed_actions === 'all')
      add(
        'allowed_actions',
        'every action from the marketplace may run (allowed_actions: all); choose "selected" or "local_only"',
        { allowed_actions: 'all' },
        'low',
      );
    if (s.permissions.enabled && s.permissions.sha_pinning_required !== true)
      add(
        'sha_pinning_required',
        'workflows may use actions by tag: "Require actions to be pinned to a full-length commit SHA" is off',
        { sha_pinning_required: s.permissions.sha_pinning_required ?? false },
        'low',
      );
  }
  // The workflow token's default access and PR approval are protect's settings: the GitHub settings part reports them.
  if (s.forkApproval && s.forkApproval.approval_policy === 'first_time_contributors_new_to_github') {
    add(
      'approval_policy',
      'fork pull requests run without approval unless the author is new to GitHub; require approval for first-time contributors at least',
      { approval_policy: s.forkApproval.approval_policy },
    );
  }
  const pf = s.privateForks;
  if (pf?.run_workflows_from_fork_pull_requests) {
    if (pf.send_write_tokens_to_workflows)
      add(
        'send_write_tokens_to_workflows',
        'workflows from private forks get a write token',
        { send_write_tokens_to_workflows: true },
        'high',
      );
    if (pf.send_secrets_and_variables)
      add(
        'send_secrets_and_variables',
        'workflows from private forks get the repository secrets',
        { send_secrets_and_variables: true },
        'high',
      );
    if (!pf.require_approval_for_fork_pr_workflows)
      add('require_approval_for_fork_pr_workflows', 'workflows from private forks run without approval', {
        require_approval_for_fork_pr_workflows: false,
      });
  }
  if (s.permissions && !s.permissions.enabled)
    add('enabled', 'GitHub Actions is disabled: no security workflow runs and the required check never reports', {
      enabled: false,
    });
  return out;
}
