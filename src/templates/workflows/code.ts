import { scannerInvocation, TOOL_DIR, type TemplateContext } from '../context.js';
import { checkout, job } from '../workflow/build.js';
import type { Job, Step, WorkflowFile } from '../workflow/types.js';
import { toolchains } from './languages.js';

const CODE_WORKFLOW = '.github/workflows/secure-repo-code.yml';

/**
 * Steps that make our scanner runnable, installed pinned with integrity hashes: the project's own install when its
 * lockfile pins us, else `npm ci` of the lockfile under .github/secure-repo (written by init).
 */
export function scannerSetup(ctx: TemplateContext): Step[] {
  const inv = scannerInvocation(ctx);
  if (inv.viaProjectLock) {
    const node = toolchains(ctx.det, ctx.pins).find((t) => t.id === 'node');
    return node ? [...node.setup, ...node.install] : [];
  }
  return [
    { name: 'Set up Node.js for the scanner', uses: ctx.pins.ref('actions/setup-node'), with: { 'node-version': '22', 'package-manager-cache': false } },
    // npm ci refuses a package whose tarball does not match the lockfile's sha512; no install scripts run.
    { name: 'Install the scanner (lockfile, integrity-checked)', run: `npm ci --prefix ${TOOL_DIR} --ignore-scripts --no-audit --no-fund` },
  ];
}

/**
 * Runs a scan to JSON, fails when it looked at nothing (a scan of 0 commits is a false "clean"), annotates each
 * finding on the PR, and exits as the scanner did. The caller sets SCAN_ARGS.
 */
export function gateScript(ctx: TemplateContext, unit: 'commits' | 'files'): string {
  const { command } = scannerInvocation(ctx);
  return [
    'status=0',
    `${command} scan $SCAN_ARGS --format json --output secure-repo-scan.json || status=$?`,
    'if [ "$status" -ge 2 ]; then echo "::error::the scanner could not run (exit $status)"; exit "$status"; fi',
    `scanned=$(jq -r '.stats.${unit} // 0' secure-repo-scan.json)`,
    `echo "Scanned $scanned ${unit}."`,
    `if [ "$scanned" -eq 0 ]; then echo "::error::0 ${unit} were scanned: the check would pass without looking at anything."; exit 1; fi`,
    `jq -r '.findings[] | "::error file=\\(.file),line=\\(.line)::\\(.rule): \\(.message) \\(.secret // "")"' secure-repo-scan.json`,
    'exit "$status"',
  ].join('\n');
}

/** The server-side copy of the hooks: every commit of the PR (or push) through our scanner, so --no-verify gains nothing. */
function secretScanJob(ctx: TemplateContext): Job {
  const pick = [
    'case "$EVENT" in',
    '  pull_request) range="$PR_BASE..$PR_HEAD" ;;',
    '  merge_group) range="$MG_BASE..$MG_HEAD" ;;',
    '  *) range="$PUSH_BEFORE..$PUSH_AFTER" ;;',
    'esac',
    '# A new branch has no "before": scan every commit reachable from it rather than silently nothing.',
    'case "$range" in',
    '  0000000000000000000000000000000000000000..*|..*) echo "SCAN_ARGS=--history" >> "$GITHUB_ENV" ;;',
    '  *) echo "SCAN_ARGS=--range $range" >> "$GITHUB_ENV" ;;',
    'esac',
  ].join('\n');
  return job(ctx.pins, {
    name: 'secret-scan',
    if: "github.event_name == 'pull_request' || github.event_name == 'push' || github.event_name == 'merge_group'",
    permissions: { contents: 'read' },
    timeout: 15,
    steps: [
      checkout(ctx.pins, { fullHistory: true }),
      ...scannerSetup(ctx),
      {
        name: 'Work out the commits to scan',
        env: {
          EVENT: '${{ github.event_name }}',
          PR_BASE: '${{ github.event.pull_request.base.sha }}',
          PR_HEAD: '${{ github.event.pull_request.head.sha }}',
          MG_BASE: '${{ github.event.merge_group.base_sha }}',
          MG_HEAD: '${{ github.event.merge_group.head_sha }}',
          PUSH_BEFORE: '${{ github.event.before }}',
          PUSH_AFTER: '${{ github.sha }}',
        },
        run: pick,
      },
      { name: 'Scan the commits for secrets and SAST findings', run: gateScript(ctx, 'commits') },
    ],
  });
}

export function codeWorkflow(ctx: TemplateContext): WorkflowFile {
  const jobs: Record<string, Job> = { 'secret-scan': secretScanJob(ctx) };
  const notes: string[] = [];
  for (const t of toolchains(ctx.det, ctx.pins)) {
    notes.push(...t.notes);
    const id = `lint-test-${t.id}`;
    jobs[id] = job(ctx.pins, {
      name: id,
      permissions: { contents: 'read' },
      timeout: 30,
      steps: [checkout(ctx.pins), ...t.setup, ...t.install, ...t.checks],
    });
  }
  return {
    path: CODE_WORKFLOW,
    reason: ['pull request validation: secret/SAST scan of the PR commits, lint and tests', ...notes].join('; '),
    workflow: {
      name: 'secure-repo code',
      on: { workflow_call: null },
      permissions: {},
      concurrency: { group: 'secure-repo-code-${{ github.ref }}', 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
      jobs,
    },
  };
}
