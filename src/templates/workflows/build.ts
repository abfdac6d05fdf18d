import { CODE_SCANNING, scannerInvocation, type TemplateContext } from '../context.js';
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

/**
 * A SARIF file to code scanning where the repository has it, else kept as an artifact (private repositories without
 * GitHub Code Security, where the upload would fail the job). `always` keeps findings of a failed scan.
 */
export function sarifSteps(pins: Pins, file: string, category: string, opts: { always?: boolean } = {}): Step[] {
  const pre = opts.always === false ? '' : '!cancelled() && ';
  return [
    { name: 'Upload SARIF to code scanning', if: `${pre}${CODE_SCANNING}`, uses: pins.ref('github/codeql-action/upload-sarif'), with: { sarif_file: file, category } },
    {
      name: 'Keep the SARIF as an artifact (no code scanning on this plan)',
      if: `${pre}!${CODE_SCANNING}`,
      uses: pins.ref('actions/upload-artifact'),
      with: { name: `sarif-${category}`, path: file, 'if-no-files-found': 'warn', 'retention-days': 30 },
    },
  ];
}

const ON_PUSH_OR_SCHEDULE = "github.event_name == 'push' || github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'";

function codeqlJob(ctx: TemplateContext): Job {
  const { pins } = ctx;
  return job(pins, {
    name: 'codeql',
    // CodeQL analysis needs code scanning (public, or GitHub Code Security); elsewhere our own SAST in secret-scan stands in.
    if: CODE_SCANNING,
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
      ...sarifSteps(pins, 'semgrep.sarif', 'semgrep'),
    ],
  });
}

function dependencyReviewJob(ctx: TemplateContext): Job {
  const { pins } = ctx;
  return job(pins, {
    name: 'dependency-review',
    // Dependency review needs the dependency graph's diff API: public, or GitHub Code Security on private repositories.
    if: `github.event_name == 'pull_request' && ${CODE_SCANNING}`,
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
    with: { 'scan-args': '--recursive ./', 'fail-on-vuln': false, 'upload-sarif': `\${{ ${CODE_SCANNING} }}` },
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
        if: '!cancelled()',
        // Findings make the scanner exit 1; the SARIF is what we want from this step, so only a missing file fails it.
        run: `${scannerInvocation(ctx).command} scan $SCAN_ARGS --format sarif --output secure-repo-history.sarif || true\ntest -s secure-repo-history.sarif`,
      },
      ...sarifSteps(pins, 'secure-repo-history.sarif', 'secure-repo-history'),
    ],
  });
}

export function buildWorkflow(ctx: TemplateContext): WorkflowFile {
  const jobs: Record<string, Job> = {};
  const notes: string[] = [];
  // The project's own CodeQL workflow already analyses it; a second one would write the same categories twice.
  const ownCodeql = ctx.det.ci.existing.codeql;
  if (ownCodeql.length > 0) notes.push(`CodeQL left out: ${ownCodeql.join(', ')} already runs it`);
  else jobs.codeql = codeqlJob(ctx);
  if (ctx.config.ci.semgrep) jobs.semgrep = semgrepJob(ctx);
  const ownReview = ctx.det.ci.existing.dependencyReview;
  if (ownReview.length > 0) notes.push(`dependency review left out: ${ownReview.join(', ')} already runs it`);
  else jobs['dependency-review'] = dependencyReviewJob(ctx);
  jobs['osv-scan'] = osvJob(ctx);
  jobs.sbom = sbomJob(ctx);
  jobs['secret-history'] = secretHistoryJob(ctx);
  return {
    path: BUILD_WORKFLOW,
    reason: [
      'build: CodeQL SAST, dependency review and OSV-Scanner SCA, CycloneDX + SPDX SBOM, full-history secret scan; SARIF to code scanning where the plan has it, else kept as artifacts',
      ...notes,
    ].join('; '),
    workflow: {
      name: 'secure-repo build',
      on: { workflow_call: null },
      permissions: {},
      concurrency: { group: 'secure-repo-build-${{ github.ref }}', 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
      jobs,
    },
  };
}
