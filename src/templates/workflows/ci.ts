import { REQUIRED_CHECK_JOB_ID, REQUIRED_CHECK_NAME } from '../../detect/checks.js';
import { defaultBranch, type TemplateContext } from '../context.js';
import { callJob, job } from '../workflow/build.js';
import type { Job, WorkflowFile } from '../workflow/types.js';

const CI_WORKFLOW = '.github/workflows/secure-repo-ci.yml';

/** Fails unless every needed job succeeded or was skipped by its own condition (e.g. PR-only jobs on push). */
const GATE_SCRIPT = [
  `echo "$NEEDS" | jq -r 'to_entries[] | "\\(.key): \\(.value.result)"'`,
  `failed=$(echo "$NEEDS" | jq -r '[to_entries[] | select(.value.result != "success" and .value.result != "skipped") | .key] | join(", ")')`,
  'if [ -n "$failed" ]; then echo "::error::required jobs did not pass: $failed"; exit 1; fi',
].join('\n');

/**
 * The one workflow that runs on pull requests: it calls each stage's reusable workflow and ends in the aggregator
 * job branch protection requires. No path filters anywhere, and the aggregator runs `if: !cancelled()`, so the
 * required check is reported after any failure and can never wait forever.
 */
export function ciWorkflow(ctx: TemplateContext, stages: WorkflowFile[]): WorkflowFile {
  const jobs: Record<string, Job> = {};
  for (const s of stages) {
    const id = s.path.replace(/^.*secure-repo-/, '').replace(/\.yml$/, '');
    jobs[id] = callJob(id, s.path, s.workflow);
  }
  jobs[REQUIRED_CHECK_JOB_ID] = job(ctx.pins, {
    name: REQUIRED_CHECK_NAME,
    needs: Object.keys(jobs),
    // Runs after failures too (a required check must always report) but not when the run was cancelled.
    if: '!cancelled()',
    permissions: {},
    timeout: 5,
    steps: [{ name: 'Every required job passed', env: { NEEDS: '${{ toJSON(needs) }}' }, run: GATE_SCRIPT }],
  });
  const branch = defaultBranch(ctx);
  return {
    path: CI_WORKFLOW,
    reason: `the pull-request pipeline; its "${REQUIRED_CHECK_NAME}" job is the single required status check`,
    workflow: {
      name: 'secure-repo CI',
      on: {
        pull_request: { branches: [branch] },
        push: { branches: [branch] },
        merge_group: null,
        schedule: [{ cron: '23 4 * * 1' }],
        workflow_dispatch: null,
      },
      permissions: {},
      concurrency: { group: '${{ github.workflow }}-${{ github.ref }}', 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
      jobs,
    },
  };
}
