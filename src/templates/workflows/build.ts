import { scannerInvocation, type TemplateContext } from '../context.js';
import { checkout, job } from '../workflow/build.js';
import type { Pins } from '../pins.js';
import type { Job, Step, WorkflowFile } from '../workflow/types.js';
import { gateScript, scannerSetup } from './code.js';
import { codeqlLanguages } from './languages.js';

const BUILD_WORKFLOW = '.github/workflows/secure-repo-build.yml';

/** Semgrep's own image; pinned by tag only (no digest could be resolved offline): see the README's CI/CD section. */
const SEMGREP_IMAGE = 'semgrep/semgrep:1';

/** dependency-review-action names the middle level "moderate". */
function reviewSeverity(level: TemplateContext['config']['ci']['failOnVulnerability']): string {
  return level === 'medium' ? 'moderate' : level;
}

const ON_PUSH_OR_SCHEDULE = "github.event_name == 'push' || github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'";

function codeqlJob(ctx: TemplateContext): Job {
  const { pins } = ctx;
  return job(pins, {
    name: 'codeql',
    permissions: { actions: 'read', contents: 'read', 'security-events': 'write' },
    timeout: 60,
    strategy: { 'fail-fast': false, matrix: { include: codeqlLanguages(ctx.det) } },
    steps: [
      checkout(pins),
      ...(ctx.det.go ? [{ name: 'Set up Go', if: "matrix.language == 'go'", uses: pins.ref('actions/setup-go'), with: { 'go-version-file': 'go.mod', cache: false } }] : []),
      {
        name: 'Initialise CodeQL',
        uses: pins.ref('github/codeql-action/init'),
        with: { languages: '${{ matrix.language }}', 'build-mode': '${{ matrix.build-mode }}', queries: 'security-extended' },
      },
      { name: 'Analyse', uses: pins.ref('github/codeql-action/analyze'), with: { category: '/language:${{ matrix.language }}' } },
    ],
  });
}

function semgrepJob(ctx: TemplateContext): Job {
  const { pins } = ctx;
  return job(pins, {
    name: 'semgrep',
    // Dependabot PRs carry no code of their own worth a second SAST pass.
    if: "github.actor != 'dependabot[bot]'",
    permissions: { contents: 'read', 'security-events': 'write' },
    timeout: 30,
    steps: [
      checkout(pins),
      {
        name: 'Run Semgrep',
        env: { SEMGREP_IMAGE },
        run: 'docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/src" -w /src "$SEMGREP_IMAGE" semgrep scan --config p/default --sarif --output semgrep.sarif --error',
      },
      { name: 'Upload SARIF', if: 'always()', uses: pins.ref('github/codeql-action/upload-sarif'), with: { sarif_file: 'semgrep.sarif', category: 'semgrep' } },
    ],
  });
}

function dependencyReviewJob(ctx: TemplateContext): Job {
  const { pins } = ctx;
  return job(pins, {
    name: 'dependency-review',
    if: "github.event_name == 'pull_request'",
    permissions: { contents: 'read' },
    timeout: 10,
    steps: [
      checkout(pins),
      {
        name: 'Review dependency changes',
        uses: pins.ref('actions/dependency-review-action'),
        with: { 'fail-on-severity': reviewSeverity(ctx.config.ci.failOnVulnerability), 'comment-summary-in-pr': 'never' },
      },
    ],
  });
}

function osvJob(ctx: TemplateContext): Job {
  return {
    name: 'osv-scan',
    if: ON_PUSH_OR_SCHEDULE,
    permissions: { actions: 'read', contents: 'read', 'security-events': 'write' },
    uses: ctx.pins.ref('google/osv-scanner-action/.github/workflows/osv-scanner-reusable.yml'),
    // Results go to code scanning; the blocking SCA gate is dependency-review on pull requests (severity threshold).
    with: { 'scan-args': '--recursive ./', 'fail-on-vuln': false, 'upload-sarif': true },
  };
}

/** CycloneDX and SPDX SBOMs of the source tree (syft), written to sbom.cdx.json and sbom.spdx.json. */
export function sbomSteps(pins: Pins): Step[] {
  const sbom = (format: string, file: string): Step => ({
    name: `SBOM (${format})`,
    uses: pins.ref('anchore/sbom-action'),
    with: { path: '.', format, 'output-file': file, 'upload-artifact': false, 'upload-release-assets': false },
  });
  return [sbom('cyclonedx-json', 'sbom.cdx.json'), sbom('spdx-json', 'sbom.spdx.json')];
}

function sbomJob(ctx: TemplateContext): Job {
  const { pins } = ctx;
  return job(pins, {
    name: 'sbom',
    permissions: { contents: 'read' },
    timeout: 15,
    steps: [
      checkout(pins),
      ...sbomSteps(pins),
      { name: 'Upload the SBOMs', uses: pins.ref('actions/upload-artifact'), with: { name: 'sbom', path: 'sbom.cdx.json\nsbom.spdx.json', 'if-no-files-found': 'error' } },
    ],
  });
}

function secretHistoryJob(ctx: TemplateContext): Job {
  const { pins } = ctx;
  return job(pins, {
    name: 'secret-history',
    if: ON_PUSH_OR_SCHEDULE,
    permissions: { contents: 'read', 'security-events': 'write' },
    timeout: 30,
    env: { SCAN_ARGS: '--history --secrets-only' },
    steps: [
      checkout(pins, { fullHistory: true }),
      ...scannerSetup(ctx),
      { name: 'Scan every commit for secrets', run: gateScript(ctx, 'commits') },
      {
        name: 'Write SARIF for code scanning',
        if: 'always()',
        // Findings make the scanner exit 1; the SARIF is what we want from this step, so only a missing file fails it.
        run: `${scannerInvocation(ctx).command} scan $SCAN_ARGS --format sarif --output secure-repo-history.sarif || true\ntest -s secure-repo-history.sarif`,
      },
      { name: 'Upload SARIF', if: 'always()', uses: pins.ref('github/codeql-action/upload-sarif'), with: { sarif_file: 'secure-repo-history.sarif', category: 'secure-repo-history' } },
    ],
  });
}

export function buildWorkflow(ctx: TemplateContext): WorkflowFile {
  const jobs: Record<string, Job> = { codeql: codeqlJob(ctx) };
  if (ctx.config.ci.semgrep) jobs.semgrep = semgrepJob(ctx);
  jobs['dependency-review'] = dependencyReviewJob(ctx);
  jobs['osv-scan'] = osvJob(ctx);
  jobs.sbom = sbomJob(ctx);
  jobs['secret-history'] = secretHistoryJob(ctx);
  return {
    path: BUILD_WORKFLOW,
    reason: 'build: CodeQL SAST, dependency review and OSV-Scanner SCA, CycloneDX + SPDX SBOM, full-history secret scan',
    workflow: {
      name: 'secure-repo build',
      on: { workflow_call: null },
      permissions: {},
      concurrency: { group: 'secure-repo-build-${{ github.ref }}', 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
      jobs,
    },
  };
}
