import { ATTESTATIONS, defaultBranch, dockerfilePath, type TemplateContext } from '../context.js';
import { checkout, job } from '../workflow/build.js';
import type { Job, Step, WorkflowFile } from '../workflow/types.js';
import { sarifSteps } from './build.js';

const PACKAGE_WORKFLOW = '.github/workflows/secure-repo-package.yml';
export const PUBLISH_WORKFLOW = '.github/workflows/secure-repo-publish.yml';

/** Trivy takes the list of severities to report, not a threshold. */
export function trivySeverities(level: TemplateContext['config']['ci']['failOnVulnerability']): string {
  const all = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
  return all.slice(all.indexOf(level.toUpperCase())).join(',');
}

/** Docker references must be lower case; github.repository need not be. */
function nameImage(ctx: TemplateContext): Step {
  return {
    name: 'Name the image',
    id: 'name',
    env: { REGISTRY: ctx.config.ci.registry, REPOSITORY: '${{ github.repository }}' },
    run: 'echo "image=$REGISTRY/${REPOSITORY,,}" >> "$GITHUB_OUTPUT"',
  };
}

/** Reproducible layers: every timestamp in the image comes from the commit, not the clock. */
const sourceDateEpoch: Step = { name: 'Set SOURCE_DATE_EPOCH from the commit', run: 'echo "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" >> "$GITHUB_ENV"' };

function login(ctx: TemplateContext): Step {
  const ghcr = ctx.config.ci.registry === 'ghcr.io';
  return {
    name: 'Log in to the registry',
    uses: ctx.pins.ref('docker/login-action'),
    with: {
      registry: ctx.config.ci.registry,
      username: ghcr ? '${{ github.actor }}' : '${{ secrets.REGISTRY_USERNAME }}',
      password: ghcr ? '${{ secrets.GITHUB_TOKEN }}' : '${{ secrets.REGISTRY_PASSWORD }}',
    },
  };
}

/** Two passes: every finding to code scanning, then a blocking pass at the configured threshold. */
function trivyImageSteps(ctx: TemplateContext, imageRef: string, category: string): Step[] {
  const trivy = ctx.pins.ref('aquasecurity/trivy-action');
  return [
    { name: 'Scan the image (SARIF)', uses: trivy, with: { 'image-ref': imageRef, format: 'sarif', output: 'trivy-image.sarif', 'exit-code': '0' } },
    // One category per workflow: the PR build and the published image are different analyses of the same commit.
    ...sarifSteps(ctx.pins, 'trivy-image.sarif', category),
    {
      name: `Block on ${ctx.config.ci.failOnVulnerability} vulnerabilities`,
      uses: trivy,
      with: { 'image-ref': imageRef, format: 'table', 'exit-code': '1', 'ignore-unfixed': true, severity: trivySeverities(ctx.config.ci.failOnVulnerability), 'skip-setup-trivy': true },
    },
  ];
}

/** CI: build the image exactly as release would (no push) and scan it, on every pull request. */
export function packageWorkflow(ctx: TemplateContext): WorkflowFile {
  const { pins } = ctx;
  const jobs: Record<string, Job> = {
    'image-scan': job(pins, {
      name: 'image-scan',
      permissions: { contents: 'read', 'security-events': 'write' },
      timeout: 30,
      steps: [
        checkout(pins),
        sourceDateEpoch,
        { name: 'Set up Buildx', uses: pins.ref('docker/setup-buildx-action') },
        {
          name: 'Build the image (not pushed)',
          uses: pins.ref('docker/build-push-action'),
          with: { context: '.', file: dockerfilePath(ctx), push: false, load: true, tags: 'secure-repo-ci/image:${{ github.sha }}' },
        },
        ...trivyImageSteps(ctx, 'secure-repo-ci/image:${{ github.sha }}', 'trivy-image-pr'),
      ],
    }),
  };
  return {
    path: PACKAGE_WORKFLOW,
    reason: 'package: build the container image on every PR and block on critical image vulnerabilities',
    workflow: {
      name: 'secure-repo package',
      on: { workflow_call: null },
      permissions: {},
      concurrency: { group: 'secure-repo-package-${{ github.ref }}', 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
      jobs,
    },
  };
}

/**
 * Push → scan the pushed digest → only then sign (cosign keyless) and attest provenance. `id-token: write`
 * exists on the signing job alone, and nothing is signed that failed the scan.
 */
export function publishWorkflow(ctx: TemplateContext): WorkflowFile {
  const { pins } = ctx;
  const digestRef = '${{ needs.image-publish.outputs.image }}@${{ needs.image-publish.outputs.digest }}';
  const jobs: Record<string, Job> = {
    'image-publish': job(pins, {
      name: 'image-publish',
      permissions: { contents: 'read', packages: 'write' },
      timeout: 30,
      outputs: { image: '${{ steps.name.outputs.image }}', digest: '${{ steps.build.outputs.digest }}' },
      steps: [
        checkout(pins),
        nameImage(ctx),
        sourceDateEpoch,
        { name: 'Set up Buildx', uses: pins.ref('docker/setup-buildx-action') },
        login(ctx),
        {
          name: 'Image tags and labels',
          id: 'meta',
          uses: pins.ref('docker/metadata-action'),
          with: { images: '${{ steps.name.outputs.image }}', tags: 'type=sha,format=long\ntype=ref,event=branch\ntype=semver,pattern={{version}}' },
        },
        {
          name: 'Build the image (not pushed yet)',
          uses: pins.ref('docker/build-push-action'),
          with: { context: '.', file: dockerfilePath(ctx), push: false, load: true, tags: 'secure-repo-publish/candidate:${{ github.sha }}' },
        },
        {
          // Nothing reaches the registry under a tag before it passed the blocking scan.
          name: `Scan before pushing: block on ${ctx.config.ci.failOnVulnerability} vulnerabilities`,
          uses: ctx.pins.ref('aquasecurity/trivy-action'),
          with: { 'image-ref': 'secure-repo-publish/candidate:${{ github.sha }}', format: 'table', 'exit-code': '1', 'ignore-unfixed': true, severity: trivySeverities(ctx.config.ci.failOnVulnerability) },
        },
        {
          name: 'Build and push with provenance and SBOM attestations',
          id: 'build',
          uses: pins.ref('docker/build-push-action'),
          with: {
            context: '.',
            file: dockerfilePath(ctx),
            push: true,
            tags: '${{ steps.meta.outputs.tags }}',
            labels: '${{ steps.meta.outputs.labels }}',
            provenance: 'mode=max',
            sbom: true,
          },
        },
      ],
    }),
    'image-gate': job(pins, {
      name: 'image-gate',
      needs: ['image-publish'],
      permissions: { contents: 'read', packages: 'read', 'security-events': 'write' },
      timeout: 20,
      steps: [checkout(pins), login(ctx), ...trivyImageSteps(ctx, digestRef, 'trivy-image-published')],
    }),
    'image-sign': job(pins, {
      name: 'image-sign',
      needs: ['image-publish', 'image-gate'],
      permissions: { contents: 'read', packages: 'write', 'id-token': 'write', attestations: 'write' },
      timeout: 15,
      steps: [
        { name: 'Install cosign', uses: pins.ref('sigstore/cosign-installer') },
        login(ctx),
        {
          name: 'Sign the image (keyless, GitHub OIDC)',
          env: { IMAGE: '${{ needs.image-publish.outputs.image }}', DIGEST: '${{ needs.image-publish.outputs.digest }}' },
          // The classic signature tag (`sha256-<digest>.sig`), which Kyverno's default verifier reads: cosign v3's
          // bundle format is stored through the OCI referrers API, which GHCR lacks, and Kyverno then finds nothing
          // (kyverno/kyverno#16664).
          run: 'cosign sign --yes --new-bundle-format=false --use-signing-config=false "$IMAGE@$DIGEST"',
        },
        {
          name: 'Attest build provenance',
          // Attestations on private repositories need GitHub Enterprise Cloud; SECURE_REPO_ATTESTATIONS says a plan has them.
          if: ATTESTATIONS,
          uses: pins.ref('actions/attest-build-provenance'),
          with: { 'subject-name': '${{ needs.image-publish.outputs.image }}', 'subject-digest': '${{ needs.image-publish.outputs.digest }}', 'push-to-registry': true },
        },
      ],
    }),
  };
  return {
    path: PUBLISH_WORKFLOW,
    reason: 'package: push the image from the default branch, scan it, then sign it with cosign and attest provenance',
    workflow: {
      name: 'secure-repo publish',
      on: {
        push: { branches: [defaultBranch(ctx)] },
        workflow_call: {
          outputs: {
            image: { description: 'Image name (registry/owner/repo)', value: '${{ jobs.image-publish.outputs.image }}' },
            digest: { description: 'Digest of the pushed, scanned and signed image', value: '${{ jobs.image-publish.outputs.digest }}' },
          },
        },
      },
      permissions: {},
      concurrency: { group: 'secure-repo-publish-${{ github.ref }}', 'cancel-in-progress': false },
      jobs,
    },
  };
}
