import { policyTargets } from '../files/cluster.js';
import { ATTESTATIONS, defaultBranch, hasContainer, type TemplateContext } from '../context.js';
import { callJob, checkout, job } from '../workflow/build.js';
import type { Job, Step, WorkflowFile } from '../workflow/types.js';
import { sbomSteps } from './build.js';
import { publishWorkflow, PUBLISH_WORKFLOW } from './package.js';

const POLICY_WORKFLOW = '.github/workflows/secure-repo-policy.yml';
const RELEASE_WORKFLOW = '.github/workflows/secure-repo-release.yml';

/** Conftest publishes no maintained action: fetch the release binary and check it against the release checksums. */
const CONFTEST_VERSION = '0.69.0';

const installConftest: Step = {
  name: `Install Conftest ${CONFTEST_VERSION} (checksum verified)`,
  env: { CONFTEST_VERSION },
  run: [
    'dir="$RUNNER_TEMP/conftest"; mkdir -p "$dir"; cd "$dir"',
    'base="https://github.com/open-policy-agent/conftest/releases/download/v$CONFTEST_VERSION"',
    'file="conftest_${CONFTEST_VERSION}_Linux_x86_64.tar.gz"',
    'curl --fail --silent --show-error --location --remote-name "$base/$file" --remote-name "$base/checksums.txt"',
    'sha256sum --check --ignore-missing --strict checksums.txt',
    'tar -xzf "$file" conftest',
    'echo "$dir" >> "$GITHUB_PATH"',
  ].join('\n'),
};

/** Policy files are found when CI runs, so manifests added after init are checked too. */
const runPolicies: Step = {
  name: 'Test the policies, then the manifests against them',
  run: [
    'conftest verify --policy policy',
    "mapfile -t manifests < <(git ls-files -z -- '*.yaml' '*.yml' | xargs -0 -r grep -l -E '^kind:[[:space:]]' | xargs -r grep -L -F '{{' || true)",
    'if [ "${#manifests[@]}" -gt 0 ]; then conftest test --all-namespaces --policy policy "${manifests[@]}"; fi',
    "mapfile -t terraform < <(git ls-files -- '*.tf')",
    'if [ "${#terraform[@]}" -gt 0 ]; then conftest test --all-namespaces --policy policy --parser hcl2 --combine "${terraform[@]}"; fi',
    "mapfile -t charts < <(git ls-files -- 'Chart.yaml' '*/Chart.yaml' | xargs -r -n1 dirname)",
    'for chart in "${charts[@]}"; do helm template "$chart" | conftest test --all-namespaces --policy policy -; done',
  ].join('\n'),
};

export function policyWorkflow(ctx: TemplateContext): WorkflowFile {
  const { pins } = ctx;
  return {
    path: POLICY_WORKFLOW,
    reason: 'release: Rego policies (with their unit tests) run by Conftest against Kubernetes, Helm and Terraform files',
    workflow: {
      name: 'secure-repo policy',
      on: { workflow_call: null },
      permissions: {},
      concurrency: { group: 'secure-repo-policy-${{ github.ref }}', 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
      jobs: {
        'policy-check': job(pins, { name: 'policy-check', permissions: { contents: 'read' }, timeout: 10, steps: [checkout(pins), installConftest, runPolicies] }),
      },
    },
  };
}

const validateSboms: Step = {
  name: 'Validate the SBOMs',
  run: [
    `jq -e '.bomFormat == "CycloneDX" and (.specVersion | length > 0) and (.components | type == "array")' sbom.cdx.json > /dev/null`,
    `jq -e '(.spdxVersion | startswith("SPDX-2.")) and .SPDXID == "SPDXRef-DOCUMENT" and (.packages | type == "array")' sbom.spdx.json > /dev/null`,
    'echo "CycloneDX: $(jq \'.components | length\' sbom.cdx.json) components; SPDX: $(jq \'.packages | length\' sbom.spdx.json) packages"',
  ].join('\n'),
};

/** On a version tag: image published, scanned and signed (when there is one), everything verified, then the release. */
export function releaseWorkflow(ctx: TemplateContext): WorkflowFile {
  const { pins } = ctx;
  const container = hasContainer(ctx);
  const jobs: Record<string, Job> = {};
  // A v* tag pushed on a commit the default branch does not contain (a side branch, a fork's commit) releases nothing.
  jobs['release-tag-check'] = job(pins, {
    name: 'release-tag-check',
    permissions: { contents: 'read' },
    timeout: 5,
    steps: [
      checkout(pins, { fullHistory: true }),
      {
        name: 'The tag is on the default branch',
        env: { BRANCH: defaultBranch(ctx), TAG: '${{ github.ref_name }}' },
        run: [
          'if ! git merge-base --is-ancestor "$GITHUB_SHA" "origin/$BRANCH"; then',
          '  echo "::error::tag $TAG points at a commit that is not on $BRANCH; releases are cut from $BRANCH only"',
          '  exit 1',
          'fi',
        ].join('\n'),
      },
    ],
  });
  if (policyTargets(ctx).length > 0) {
    const policy = policyWorkflow(ctx);
    jobs['release-policy'] = callJob('release-policy', policy.path, policy.workflow, { needs: ['release-tag-check'] });
  }
  if (container) {
    const publish = publishWorkflow(ctx).workflow;
    jobs['release-image'] = callJob('release-image', PUBLISH_WORKFLOW, publish, { needs: ['release-tag-check'], ...(ctx.config.ci.registry === 'ghcr.io' ? {} : { secrets: 'inherit' as const }) });
  }
  const verifySteps: Step[] = [checkout(pins)];
  if (container) {
    const env = { IMAGE: '${{ needs.release-image.outputs.image }}', DIGEST: '${{ needs.release-image.outputs.digest }}', REPOSITORY: '${{ github.repository }}', BRANCH: defaultBranch(ctx) };
    verifySteps.push(
      { name: 'Install cosign', uses: pins.ref('sigstore/cosign-installer') },
      {
        name: 'Verify the image signature',
        env,
        run: [
          'cosign verify "$IMAGE@$DIGEST" \\',
          '  --certificate-oidc-issuer https://token.actions.githubusercontent.com \\',
          // Pinned to the default branch and version tags: an image signed from another branch or a pull request fails.
          '  --certificate-identity-regexp "^https://github\\.com/$REPOSITORY/\\.github/workflows/secure-repo-publish\\.yml@refs/(heads/$BRANCH|tags/v[^/]*)$" > /dev/null',
        ].join('\n'),
      },
      { name: 'Verify the build provenance attestation', if: ATTESTATIONS, env: { ...env, GH_TOKEN: '${{ github.token }}' }, run: 'gh attestation verify "oci://$IMAGE@$DIGEST" --repo "$REPOSITORY"' },
    );
  }
  verifySteps.push(...sbomSteps(pins), validateSboms, {
    name: 'Keep the SBOMs for the release',
    uses: pins.ref('actions/upload-artifact'),
    with: { name: 'release-sbom', path: 'sbom.cdx.json\nsbom.spdx.json', 'if-no-files-found': 'error' },
  });
  jobs['release-verify'] = job(pins, {
    name: 'release-verify',
    needs: Object.keys(jobs),
    permissions: container ? { contents: 'read', packages: 'read', attestations: 'read' } : { contents: 'read' },
    timeout: 20,
    steps: verifySteps,
  });
  jobs['release-publish'] = job(pins, {
    name: 'release-publish',
    needs: ['release-verify'],
    permissions: { contents: 'write' },
    timeout: 10,
    steps: [
      { name: 'Fetch the SBOMs', uses: pins.ref('actions/download-artifact'), with: { name: 'release-sbom' } },
      {
        name: 'Publish the release',
        env: { GH_TOKEN: '${{ github.token }}', TAG: '${{ github.ref_name }}', REPOSITORY: '${{ github.repository }}' },
        run: 'gh release create "$TAG" --repo "$REPOSITORY" --verify-tag --generate-notes sbom.cdx.json sbom.spdx.json',
      },
    ],
  });
  return {
    path: RELEASE_WORKFLOW,
    reason: container
      ? 'release: on a version tag, publish + sign the image, verify signature, provenance and SBOMs, then publish the release'
      : 'release: on a version tag, run the policies, validate the SBOMs, then publish the release',
    workflow: {
      name: 'secure-repo release',
      on: { push: { tags: ['v*'] } },
      permissions: {},
      concurrency: { group: 'secure-repo-release-${{ github.ref }}', 'cancel-in-progress': false },
      jobs,
    },
  };
}
