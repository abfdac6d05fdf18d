import { CODE_SCANNING, defaultBranch, scannerInvocation, type TemplateContext } from '../context.js';
import { checkout, job } from '../workflow/build.js';
import { scannerSetup } from './code.js';
import type { WorkflowFile } from '../workflow/types.js';

export const SCORECARD_WORKFLOW = '.github/workflows/secure-repo-scorecard.yml';
export const AUDIT_WORKFLOW = '.github/workflows/secure-repo-audit.yml';
export const AUDIT_ISSUE_LABEL = 'secure-repo-audit';

/**
 * OpenSSF Scorecard. Publishing results makes the API enforce a strict shape on this workflow: only the allowed
 * actions, no env/defaults/containers, id-token on this job alone. The workflow keeps to it.
 */
export function scorecardWorkflow(ctx: TemplateContext): WorkflowFile {
  const { pins } = ctx;
  return {
    path: SCORECARD_WORKFLOW,
    reason: 'operate: weekly OpenSSF Scorecard, results to code scanning',
    workflow: {
      name: 'secure-repo scorecard',
      on: { branch_protection_rule: null, schedule: [{ cron: '17 5 * * 1' }], push: { branches: [defaultBranch(ctx)] }, workflow_dispatch: null },
      permissions: {},
      concurrency: { group: 'secure-repo-scorecard-${{ github.ref }}', 'cancel-in-progress': true },
      jobs: {
        scorecard: job(pins, {
          name: 'scorecard',
          permissions: { actions: 'read', contents: 'read', 'security-events': 'write', 'id-token': 'write' },
          timeout: 20,
          steps: [
            checkout(pins),
            // Results are published (the badge and API) for public repositories only.
            { name: 'Run Scorecard', uses: pins.ref('ossf/scorecard-action'), with: { results_file: 'scorecard.sarif', results_format: 'sarif', publish_results: "${{ github.event.repository.visibility == 'public' }}" } },
            { name: 'Keep the results', uses: pins.ref('actions/upload-artifact'), with: { name: 'scorecard', path: 'scorecard.sarif', 'retention-days': 5 } },
            { name: 'Upload SARIF', if: CODE_SCANNING, uses: pins.ref('github/codeql-action/upload-sarif'), with: { sarif_file: 'scorecard.sarif', category: 'scorecard' } },
          ],
        }),
      },
    },
  };
}

/**
 * Daily `secure-repo audit`: when it finds drift (exit 1), one open issue labelled secure-repo-audit carries the
 * report (opened once, then commented on), so a change is seen without a new issue each day.
 */
export function auditWorkflow(ctx: TemplateContext): WorkflowFile {
  const { pins } = ctx;
  const { command } = scannerInvocation(ctx);
  return {
    path: AUDIT_WORKFLOW,
    reason: 'operate: daily drift and anomaly audit that opens or updates an issue when something changed',
    workflow: {
      name: 'secure-repo audit',
      on: { schedule: [{ cron: '41 6 * * *' }], workflow_dispatch: null },
      permissions: {},
      concurrency: { group: 'secure-repo-audit', 'cancel-in-progress': false },
      jobs: {
        'posture-audit': job(pins, {
          name: 'posture-audit',
          permissions: { contents: 'read', issues: 'write' },
          timeout: 15,
          steps: [
            checkout(pins),
            // The tool is installed pinned (lockfile with integrity hashes) before it runs: never a floating npx.
            ...scannerSetup(ctx),
            {
              name: 'Audit files and live settings',
              id: 'audit',
              // Reading branch protection needs admin scope: an optional SECURE_REPO_AUDIT_TOKEN secret provides it.
              env: { GITHUB_TOKEN: '${{ secrets.SECURE_REPO_AUDIT_TOKEN || github.token }}' },
              run: [
                'status=0',
                `${command} audit --format markdown > audit.md || status=$?`,
                'if [ "$status" -ge 2 ]; then cat audit.md; exit "$status"; fi',
                'echo "drift=$([ "$status" -eq 1 ] && echo true || echo false)" >> "$GITHUB_OUTPUT"',
                'cat audit.md >> "$GITHUB_STEP_SUMMARY"',
              ].join('\n'),
            },
            {
              name: 'Open or update the audit issue',
              if: "steps.audit.outputs.drift == 'true'",
              env: { GH_TOKEN: '${{ github.token }}', REPOSITORY: '${{ github.repository }}', LABEL: AUDIT_ISSUE_LABEL },
              run: [
                'gh label create "$LABEL" --repo "$REPOSITORY" --color B60205 --description "Drift found by secure-repo audit" 2>/dev/null || true',
                'issue=$(gh issue list --repo "$REPOSITORY" --label "$LABEL" --state open --json number --jq ".[0].number // empty")',
                'if [ -n "$issue" ]; then',
                '  # Comment only when the findings changed since the last report, so the issue is a change log, not noise.',
                '  last=$(gh issue view "$issue" --repo "$REPOSITORY" --json body,comments --jq \'if (.comments | length) > 0 then .comments[-1].body else .body end\')',
                '  if [ "$last" = "$(cat audit.md)" ]; then echo "No change since the last report (#$issue)."; else gh issue comment "$issue" --repo "$REPOSITORY" --body-file audit.md; fi',
                'else',
                '  gh issue create --repo "$REPOSITORY" --label "$LABEL" --title "secure-repo audit: security posture drifted" --body-file audit.md',
                'fi',
              ].join('\n'),
            },
            {
              name: 'Close the audit issue once everything passes again',
              if: "steps.audit.outputs.drift == 'false'",
              env: { GH_TOKEN: '${{ github.token }}', REPOSITORY: '${{ github.repository }}', LABEL: AUDIT_ISSUE_LABEL },
              run: [
                'issue=$(gh issue list --repo "$REPOSITORY" --label "$LABEL" --state open --json number --jq ".[0].number // empty")',
                'if [ -n "$issue" ]; then gh issue close "$issue" --repo "$REPOSITORY" --comment "The audit passes again: closing."; fi',
              ].join('\n'),
            },
          ],
        }),
      },
    },
  };
}
