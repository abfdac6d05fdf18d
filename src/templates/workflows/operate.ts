import { CODE_SCANNING, defaultBranch, scannerInvocation, type TemplateContext } from '../context.js';
import { checkout, job } from '../workflow/build.js';
import { scannerSetup } from './code.js';
import type { WorkflowFile } from '../workflow/types.js';

export const SCORECARD_WORKFLOW = '.github/workflows/secure-repo-scorecard.yml';
export const AUDIT_WORKFLOW = '.github/workflows/secure-repo-audit.yml';
const AUDIT_ISSUE_LABEL = 'secure-repo-audit';

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

/** Artifacts the scheduled audit keeps: its state (carried to the next run) and the OCSF findings for a SIEM. */
const AUDIT_STATE_ARTIFACT = 'secure-repo-audit-state';
const AUDIT_OCSF_ARTIFACT = 'secure-repo-audit-ocsf';

/**
 * The Operate stage: `secure-repo audit` daily and whenever a branch protection rule changes. One open issue labelled
 * secure-repo-audit carries the current report (its body is the latest report; a comment records each change), and
 * closes when the audit passes again. The audit's state travels from run to run as an artifact, so activity is read
 * from the last run on and first-seen actors stay remembered; the OCSF findings are uploaded for a SIEM to fetch.
 */
export function auditWorkflow(ctx: TemplateContext): WorkflowFile {
  const { pins } = ctx;
  const { command } = scannerInvocation(ctx);
  const file = AUDIT_WORKFLOW.split('/').pop()!;
  const repoEnv = () => ({ GH_TOKEN: '${{ github.token }}', REPOSITORY: '${{ github.repository }}', LABEL: AUDIT_ISSUE_LABEL });
  return {
    path: AUDIT_WORKFLOW,
    reason: 'operate: daily and on branch protection changes, audits settings and pipeline activity, keeps one issue current, uploads OCSF findings',
    workflow: {
      name: 'secure-repo audit',
      on: { schedule: [{ cron: '41 6 * * *' }], branch_protection_rule: null, workflow_dispatch: null },
      permissions: {},
      concurrency: { group: 'secure-repo-audit', 'cancel-in-progress': false },
      jobs: {
        'posture-audit': job(pins, {
          name: 'posture-audit',
          // Run history, jobs, logs and the previous state (actions), merged pull requests of pushed commits
          // (pull-requests), code scanning alerts (security-events), the issue (issues). Admin-only reads
          // (keys, hooks, runners, Actions settings, rule bypasses) need SECURE_REPO_AUDIT_TOKEN, else "not checked".
          permissions: { actions: 'read', contents: 'read', issues: 'write', 'pull-requests': 'read', 'security-events': 'read' },
          timeout: 20,
          steps: [
            checkout(pins),
            // The tool is installed pinned (lockfile with integrity hashes) before it runs: never a floating npx.
            ...scannerSetup(ctx),
            {
              name: 'Restore the state of the last audit',
              env: { GH_TOKEN: '${{ github.token }}', REPOSITORY: '${{ github.repository }}', RUN_ID: '${{ github.run_id }}' },
              run: [
                `last=$(gh run list --repo "$REPOSITORY" --workflow ${file} --status success --limit 20 --json databaseId --jq '.[].databaseId' | grep -vx "$RUN_ID" | head -n 1 || true)`,
                'mkdir -p .secure-repo-state',
                `if [ -n "$last" ] && gh run download "$last" --repo "$REPOSITORY" --name ${AUDIT_STATE_ARTIFACT} --dir .secure-repo-state; then`,
                '  echo "State restored from run $last."',
                'else',
                '  echo "No earlier state: this audit reads the last 7 days and learns who runs what."',
                'fi',
              ].join('\n'),
            },
            {
              name: 'Audit settings and pipeline activity',
              id: 'audit',
              // Branch protection, keys, hooks and runners need admin read: an optional SECURE_REPO_AUDIT_TOKEN secret provides it.
              env: { GITHUB_TOKEN: '${{ secrets.SECURE_REPO_AUDIT_TOKEN || github.token }}' },
              run: [
                'status=0',
                `${command} audit --format markdown --state .secure-repo-state/audit-state.json --ocsf secure-repo-audit.ocsf.jsonl > audit.md || status=$?`,
                'if [ "$status" -ge 2 ]; then cat audit.md; exit "$status"; fi',
                'echo "drift=$([ "$status" -eq 1 ] && echo true || echo false)" >> "$GITHUB_OUTPUT"',
                'cat audit.md >> "$GITHUB_STEP_SUMMARY"',
              ].join('\n'),
            },
            {
              name: 'Keep the state for the next audit',
              if: "steps.audit.outputs.drift != ''",
              uses: pins.ref('actions/upload-artifact'),
              with: { name: AUDIT_STATE_ARTIFACT, path: '.secure-repo-state/audit-state.json', 'retention-days': 90, 'if-no-files-found': 'error', 'include-hidden-files': true },
            },
            {
              name: 'Upload the OCSF findings (JSON Lines for a SIEM)',
              if: "steps.audit.outputs.drift != ''",
              uses: pins.ref('actions/upload-artifact'),
              with: { name: AUDIT_OCSF_ARTIFACT, path: 'secure-repo-audit.ocsf.jsonl', 'retention-days': 90, 'if-no-files-found': 'error' },
            },
            {
              name: 'Keep one issue current',
              if: "steps.audit.outputs.drift == 'true'",
              env: repoEnv(),
              run: [
                'gh label create "$LABEL" --repo "$REPOSITORY" --color B60205 --description "Found by secure-repo audit" 2>/dev/null || true',
                'issue=$(gh issue list --repo "$REPOSITORY" --label "$LABEL" --state open --json number --jq ".[0].number // empty")',
                'if [ -n "$issue" ]; then',
                '  # The body is always the current report; a comment records each change, so the issue is also a change log.',
                '  body=$(gh issue view "$issue" --repo "$REPOSITORY" --json body --jq .body)',
                '  if [ "$body" = "$(cat audit.md)" ]; then echo "No change since the last report (#$issue)."; else',
                '    gh issue edit "$issue" --repo "$REPOSITORY" --body-file audit.md',
                '    gh issue comment "$issue" --repo "$REPOSITORY" --body "The audit report changed (run ${GITHUB_SERVER_URL}/${REPOSITORY}/actions/runs/${GITHUB_RUN_ID}); the description shows it."',
                '  fi',
                'else',
                '  gh issue create --repo "$REPOSITORY" --label "$LABEL" --title "secure-repo audit: drift or suspicious activity" --body-file audit.md',
                'fi',
              ].join('\n'),
            },
            {
              name: 'Close the issue once everything passes again',
              if: "steps.audit.outputs.drift == 'false'",
              env: repoEnv(),
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
