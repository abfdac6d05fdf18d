import { CODE_SCANNING, defaultBranch, scannerInvocation, type TemplateContext } from '../context.js';
import { checkout, job } from '../workflow/build.js';
import { scannerSetup } from './code.js';
import type { StepsJob, WorkflowFile } from '../workflow/types.js';
import { AUDIT_ENVIRONMENT, AUDIT_ENVIRONMENT_VARIABLE, AUDIT_TOKEN_SECRET } from '../../config/policy.js';

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
 * When the audit reads settings with the admin token: the environment exists (protect sets the variable where the
 * plan has environments) and the run is on the branch the environment admits. Anywhere else, the other job runs.
 */
const auditWithEnvironment = (branch: string) =>
  `vars.${AUDIT_ENVIRONMENT_VARIABLE} == 'true' && github.ref == 'refs/heads/${branch}'`;

/**
 * The Operate stage: `secure-repo audit` daily and whenever a branch protection rule changes. One open issue labelled
 * secure-repo-audit carries the current report (its body is the latest report; a comment records each change), and
 * closes when the audit passes again. The audit's state travels from run to run as an artifact, so activity is read
 * from the last run on and first-seen actors stay remembered; the OCSF findings are uploaded for a SIEM to fetch.
 *
 * Admin-only reads (keys, hooks, runners, Actions settings, rule bypasses) need a token the default one is not. That
 * token is an environment secret, never a repository secret (which a workflow a writer pushes on any branch can
 * read): exactly one of two identical jobs runs. `posture-audit-admin` runs in the secure-repo-audit environment,
 * which only the protected branch may use, and reads the token from it; `posture-audit` runs everywhere else (a plan
 * without environments, another branch) with the default token, and reports what it cannot read as "not checked".
 */
export function auditWorkflow(ctx: TemplateContext): WorkflowFile {
  const withEnv = auditWithEnvironment(defaultBranch(ctx));
  return {
    path: AUDIT_WORKFLOW,
    reason:
      'operate: daily and on branch protection changes, audits settings and pipeline activity, keeps one issue current, uploads OCSF findings; ' +
      `the admin token (if you add one) is read only in the "${AUDIT_ENVIRONMENT}" environment, on the protected branch`,
    workflow: {
      name: 'secure-repo audit',
      on: { schedule: [{ cron: '41 6 * * *' }], branch_protection_rule: null, workflow_dispatch: null },
      permissions: {},
      concurrency: { group: 'secure-repo-audit', 'cancel-in-progress': false },
      jobs: {
        'posture-audit': auditJob(ctx, { name: 'posture-audit', if: `!(${withEnv})`, token: '${{ github.token }}' }),
        'posture-audit-admin': auditJob(ctx, {
          name: 'posture-audit-admin',
          if: withEnv,
          environment: { name: AUDIT_ENVIRONMENT },
          // The environment's secret; until one is stored there, the default token (and "not checked" lines).
          token: `\${{ secrets.${AUDIT_TOKEN_SECRET} || github.token }}`,
        }),
      },
    },
  };
}

function auditJob(
  ctx: TemplateContext,
  variant: { name: string; if: string; token: string; environment?: { name: string } },
): StepsJob {
  const { pins } = ctx;
  const { command } = scannerInvocation(ctx);
  const file = AUDIT_WORKFLOW.split('/').pop()!;
  const repoEnv = () => ({ GH_TOKEN: '${{ github.token }}', REPOSITORY: '${{ github.repository }}', LABEL: AUDIT_ISSUE_LABEL });
  return job(pins, {
    name: variant.name,
    if: variant.if,
    ...(variant.environment ? { environment: variant.environment } : {}),
    // Run history, jobs, logs and the previous state (actions), merged pull requests of pushed commits
    // (pull-requests), code scanning alerts (security-events), the issue (issues).
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
        env: { GITHUB_TOKEN: variant.token },
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
  });
}
