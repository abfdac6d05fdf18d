import { dockerfilePath, hasContainer, hasIac, type TemplateContext } from '../context.js';
import { checkout, job } from '../workflow/build.js';
import type { Job, Step, WorkflowFile } from '../workflow/types.js';
import { trivySeverities } from './package.js';
import { sarifSteps } from './build.js';

const TEST_WORKFLOW = '.github/workflows/secure-repo-test.yml';

/** Checkov framework names for what detect found. */
function checkovFrameworks(ctx: TemplateContext): string[] {
  const i = ctx.det.iac;
  const out: string[] = [];
  if (i.terraform.length) out.push('terraform');
  if (i.helm.length) out.push('helm');
  if (i.kubernetes.length) out.push('kubernetes');
  if (i.bicep.length) out.push('bicep');
  if (i.arm.length) out.push('arm');
  if (i.cloudformation.length) out.push('cloudformation');
  return out;
}

function iacJob(ctx: TemplateContext): Job {
  const { pins } = ctx;
  return job(pins, {
    name: 'iac-scan',
    permissions: { contents: 'read', 'security-events': 'write' },
    timeout: 20,
    steps: [
      checkout(pins),
      {
        name: 'Checkov (all findings to code scanning)',
        uses: pins.ref('bridgecrewio/checkov-action'),
        with: { directory: '.', framework: checkovFrameworks(ctx).join(','), output_format: 'cli,sarif', output_file_path: 'console,checkov.sarif', soft_fail: true, quiet: true },
      },
      ...sarifSteps(pins, 'checkov.sarif', 'checkov'),
      {
        name: `Trivy config: block on ${ctx.config.ci.failOnVulnerability} misconfigurations`,
        uses: pins.ref('aquasecurity/trivy-action'),
        with: { 'scan-type': 'config', 'scan-ref': '.', 'exit-code': '1', severity: trivySeverities(ctx.config.ci.failOnVulnerability) },
      },
    ],
  });
}

/** How the DAST job starts the service: the configured command, else compose, else the image we build. */
function startService(ctx: TemplateContext): Step | null {
  const start = ctx.config.ci.dastStartCommand;
  if (start) return { name: 'Start the service', env: { START: start }, run: 'nohup sh -c "$START" > service.log 2>&1 &' };
  const compose = ctx.det.docker.compose[0];
  if (compose) return { name: 'Start the service (docker compose)', env: { COMPOSE_FILE: compose }, run: 'docker compose up --detach --build --wait' };
  if (hasContainer(ctx)) {
    const port = new URL(ctx.config.ci.dastTarget).port || '80';
    return {
      name: 'Build and start the image',
      env: { DOCKERFILE: dockerfilePath(ctx), PORT: port },
      run: 'docker build --file "$DOCKERFILE" --tag secure-repo-dast .\ndocker run --detach --name secure-repo-dast --publish "$PORT:$PORT" --env "PORT=$PORT" secure-repo-dast',
    };
  }
  return null;
}

function dastJob(ctx: TemplateContext, start: Step): Job {
  const { pins } = ctx;
  return job(pins, {
    name: 'dast',
    permissions: { contents: 'read' },
    timeout: 30,
    steps: [
      checkout(pins),
      start,
      {
        name: 'Wait for the service',
        env: { TARGET: ctx.config.ci.dastTarget },
        run: 'curl --silent --show-error --output /dev/null --retry 30 --retry-all-errors --retry-delay 2 "$TARGET"',
      },
      {
        name: 'ZAP baseline scan',
        uses: pins.ref('zaproxy/action-baseline'),
        // Passive scan only; results are kept as the zap-baseline artifact rather than written as issues.
        with: { target: ctx.config.ci.dastTarget, allow_issue_writing: false, fail_action: false, artifact_name: 'zap-baseline', cmd_options: '-a' },
      },
    ],
  });
}

/** null when there is nothing to test dynamically or statically beyond the build stage. */
export function testWorkflow(ctx: TemplateContext): WorkflowFile | null {
  const jobs: Record<string, Job> = {};
  if (hasIac(ctx)) jobs['iac-scan'] = iacJob(ctx);
  const start = startService(ctx);
  if (start) jobs.dast = dastJob(ctx, start);
  if (Object.keys(jobs).length === 0) return null;
  return {
    path: TEST_WORKFLOW,
    reason: 'test: IaC scanning (Checkov, Trivy config) and a ZAP baseline DAST scan of the running service',
    workflow: {
      name: 'secure-repo test',
      on: { workflow_call: null },
      permissions: {},
      concurrency: { group: 'secure-repo-test-${{ github.ref }}', 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
      jobs,
    },
  };
}
