/** Repository-level settings (Dependabot, secret scanning, vulnerability reporting, workflow token, merge methods). */
import type { DesiredState, LiveState, Operation } from './types.js';
import type { Change } from '../changes/types.js';
import type { DiffOptions, Json } from './http.js';

/** Appends the per-setting report and the requests for the repository settings, in the order GitHub needs them. */
export function planSettings(
  live: LiveState,
  want: DesiredState,
  opts: DiffOptions,
  changes: Change[],
  ops: Operation[],
): void {
  const p = { owner: live.ref.owner, repo: live.ref.repo };
  const s = live.settings;
  const w = want.settings;
  const add = (setting: string, action: Change['action'], reason: string) => {
    // A value the token could not read: say which permission would read it (GitHub names it on the 403).
    const needs = action === 'skip' ? live.unreadable[setting] : undefined;
    changes.push(
      needs
        ? { target: setting, action, reason: `not checked: the token needs ${needs} to read it; left as is`, needs }
        : { target: setting, action, reason },
    );
  };
  const unknown = 'could not read the current value with this token; left as is';

  // Dependabot alerts first: security updates need them.
  if (w.dependabotAlerts) {
    if (s.dependabotAlerts === true) add('dependabot-alerts', 'unchanged', 'on');
    else if (s.dependabotAlerts === null) add('dependabot-alerts', 'skip', unknown);
    else {
      add('dependabot-alerts', 'update', 'off → on');
      ops.push({
        route: 'PUT /repos/{owner}/{repo}/vulnerability-alerts',
        params: p,
        description: 'turn on Dependabot alerts',
        settings: ['dependabot-alerts'],
      });
    }
  }
  if (w.dependabotSecurityUpdates) {
    if (s.dependabotSecurityUpdates === true) add('dependabot-security-updates', 'unchanged', 'on');
    else if (live.enterprise)
      add(
        'dependabot-security-updates',
        'skip',
        `GitHub Enterprise Server ${live.enterprise} has no API to turn this on; use the repository's Settings → Code security page`,
      );
    else if (s.dependabotSecurityUpdates === null) add('dependabot-security-updates', 'skip', unknown);
    else {
      add('dependabot-security-updates', 'update', 'off → on');
      ops.push({
        route: 'PUT /repos/{owner}/{repo}/automated-security-fixes',
        params: p,
        description: 'turn on Dependabot security updates',
        settings: ['dependabot-security-updates'],
      });
    }
  }

  const sa: Json = {};
  const saSettings: string[] = [];
  for (const [setting, key, liveVal, wanted] of [
    ['secret-scanning', 'secret_scanning', s.secretScanning, w.secretScanning],
    [
      'secret-scanning-push-protection',
      'secret_scanning_push_protection',
      s.secretScanningPushProtection,
      w.secretScanningPushProtection,
    ],
  ] as const) {
    if (!wanted) continue;
    if (liveVal === true) add(setting, 'unchanged', 'on');
    else if (!live.repo.secretScanningAvailable) {
      add(
        setting,
        'skip',
        'private repositories need GitHub Secret Protection (Advanced Security) for this; public ones get it free',
      );
    } else {
      add(setting, 'update', `${liveVal === null ? 'unknown' : 'off'} → on`);
      sa[key] = { status: 'enabled' };
      saSettings.push(setting);
    }
  }
  if (saSettings.length) {
    ops.push({
      route: 'PATCH /repos/{owner}/{repo}',
      params: { ...p, security_and_analysis: sa },
      description: `turn on ${saSettings.join(' and ')}`,
      settings: saSettings,
    });
  }

  if (w.privateVulnerabilityReporting) {
    if (live.enterprise) add('private-vulnerability-reporting', 'skip', 'not available on GitHub Enterprise Server');
    else if (live.repo.private)
      add(
        'private-vulnerability-reporting',
        'skip',
        'GitHub offers private vulnerability reporting on public repositories only',
      );
    else if (s.privateVulnerabilityReporting === true) add('private-vulnerability-reporting', 'unchanged', 'on');
    else if (s.privateVulnerabilityReporting === null) add('private-vulnerability-reporting', 'skip', unknown);
    else {
      add('private-vulnerability-reporting', 'update', 'off → on');
      ops.push({
        route: 'PUT /repos/{owner}/{repo}/private-vulnerability-reporting',
        params: p,
        description: 'turn on private vulnerability reporting',
        settings: ['private-vulnerability-reporting'],
      });
    }
  }

  // Workflow token: one endpoint carries both settings, so send both (the current value where we don't manage one).
  if (s.workflowPermissions === null || s.actionsCanApprovePullRequests === null) {
    if (w.workflowPermissions)
      add(
        'workflow-token-read-only',
        'skip',
        'could not read the Actions settings (an organization policy may set them); left as is',
      );
    if (w.actionsCanApprovePullRequests !== null)
      add('actions-cannot-approve-pull-requests', 'skip', 'could not read the Actions settings; left as is');
  } else {
    const perm = w.workflowPermissions ?? s.workflowPermissions;
    // Never weaken without --prune: allowing approvals is only switched on when pruning.
    const approve =
      w.actionsCanApprovePullRequests === null
        ? s.actionsCanApprovePullRequests
        : w.actionsCanApprovePullRequests === false || opts.prune
          ? w.actionsCanApprovePullRequests
          : s.actionsCanApprovePullRequests || w.actionsCanApprovePullRequests;
    const wfSettings: string[] = [];
    if (w.workflowPermissions) {
      if (perm === s.workflowPermissions)
        add('workflow-token-read-only', 'unchanged', `default GITHUB_TOKEN permissions: ${perm}`);
      else {
        add(
          'workflow-token-read-only',
          'update',
          `default GITHUB_TOKEN permissions: ${s.workflowPermissions} → ${perm}`,
        );
        wfSettings.push('workflow-token-read-only');
      }
    }
    if (w.actionsCanApprovePullRequests !== null) {
      const label = (b: boolean) => (b ? 'allowed' : 'not allowed');
      if (approve === s.actionsCanApprovePullRequests)
        add('actions-cannot-approve-pull-requests', 'unchanged', `Actions approving pull requests: ${label(approve)}`);
      else {
        add(
          'actions-cannot-approve-pull-requests',
          'update',
          `Actions approving pull requests: ${label(s.actionsCanApprovePullRequests)} → ${label(approve)}`,
        );
        wfSettings.push('actions-cannot-approve-pull-requests');
      }
    }
    if (wfSettings.length) {
      ops.push({
        route: 'PUT /repos/{owner}/{repo}/actions/permissions/workflow',
        params: { ...p, default_workflow_permissions: perm, can_approve_pull_request_reviews: approve },
        description: 'set the default workflow token to read-only and stop Actions approving pull requests',
        settings: wfSettings,
      });
    }
  }

  if (w.allowRebaseMerge === false) {
    if (s.allowRebaseMerge === false) add('rebase-merging-off', 'unchanged', 'rebase merging off (signed commits)');
    else {
      add(
        'rebase-merging-off',
        'update',
        'rebase merging on → off: GitHub cannot sign rebased commits, which signed-commit rules would reject',
      );
      ops.push({
        route: 'PATCH /repos/{owner}/{repo}',
        params: { ...p, allow_rebase_merge: false },
        description: 'turn off "Rebase and merge" (required signatures)',
        settings: ['rebase-merging-off'],
      });
    }
  }
}
