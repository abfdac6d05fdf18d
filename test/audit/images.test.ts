import { describe, expect, it } from 'vitest';
import { dockerfileImages, workflowImages, yamlImages } from '../../src/audit/operate/images/inventory.js';
import { inventoryFindings, pulledImages } from '../../src/audit/operate/images/policy.js';
import { parseImage } from '../../src/audit/operate/images/reference.js';
import { parseWorkflow } from '../../src/audit/operate/workflow-model.js';

const D = `sha256:${'b'.repeat(64)}`;

describe('image inventory', () => {
  it('Dockerfile: ARG defaults resolved, earlier stages and scratch skipped, continuation lines joined', () => {
    const text = `ARG REGISTRY=ghcr.io\nARG NODE=node:22\nFROM --platform=$BUILDPLATFORM \${NODE} AS deps\nFROM deps AS build\nFROM \\\n  $REGISTRY/acme/runtime@${D}\nFROM scratch\n`;
    expect(dockerfileImages('Dockerfile', text).map((u) => [u.image, u.line])).toEqual([
      ['node:22', 3],
      [`ghcr.io/acme/runtime@${D}`, 5],
    ]);
  });

  it('compose, Kubernetes and Helm values; templated values skipped', () => {
    expect(
      yamlImages(
        'compose.yml',
        'services:\n  db:\n    image: postgres:16\n  app:\n    image: ${APP_IMAGE}\n',
        'compose',
      ).map((u) => u.image),
    ).toEqual(['postgres:16']);
    const k8s =
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: quay.io/org/a:1\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      initContainers:\n        - image: busybox\n';
    expect(yamlImages('k8s/pod.yaml', k8s, 'kubernetes').map((u) => u.image)).toEqual(['quay.io/org/a:1', 'busybox']);
    expect(
      yamlImages(
        'chart/values.yaml',
        `image:\n  registry: ghcr.io\n  repository: acme/app\n  tag: "1.2"\nsidecar:\n  image:\n    repository: "{{ .Values.x }}"\n`,
        'helm',
      ).map((u) => u.image),
    ).toEqual(['ghcr.io/acme/app:1.2']);
  });

  it('workflows: container, services, docker:// and docker run/pull in scripts (flag values are not images)', () => {
    const wf = parseWorkflow(
      '.github/workflows/x.yml',
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    container: node:22\n    services:\n      redis:\n        image: redis:7\n    steps:\n      - uses: docker://alpine:3.20\n      - run: |\n          docker run --rm -e FOO=bar -v "$PWD:/src" --name t ghcr.io/org/tool:2 check\n          docker pull mcr.microsoft.com/dotnet/sdk:8.0\n          echo docker is great\n`,
    );
    expect(workflowImages(wf).map((u) => u.image)).toEqual([
      'node:22',
      'redis:7',
      'alpine:3.20',
      'ghcr.io/org/tool:2',
      'mcr.microsoft.com/dotnet/sdk:8.0',
    ]);
  });
});

describe('image references and the allow-list', () => {
  it('parses Docker Hub short names, registries with ports, tags and digests', () => {
    expect(parseImage('node:22')).toMatchObject({
      registry: 'docker.io',
      repository: 'library/node',
      tag: '22',
      digest: null,
    });
    expect(parseImage(`localhost:5000/team/app@${D}`)).toMatchObject({
      registry: 'localhost:5000',
      repository: 'team/app',
      digest: D,
    });
    expect(parseImage('$IMAGE')).toBeNull();
  });

  it('allow-list patterns and the digest rule; a benign allowed image is quiet', () => {
    const uses = [
      { image: `node:22@${D}`, path: 'Dockerfile', line: 1, source: 'dockerfile' as const },
      { image: `ghcr.io/acme/api@${D}`, path: 'k8s/a.yaml', line: 3, source: 'kubernetes' as const },
      { image: 'ghcr.io/acme/api:latest', path: 'k8s/b.yaml', line: 3, source: 'kubernetes' as const },
      { image: `ghcr.io/evil/api@${D}`, path: 'k8s/c.yaml', line: 3, source: 'kubernetes' as const },
    ];
    const found = inventoryFindings(uses, { allow: ['docker.io/library/node', 'ghcr.io/acme/*'], requireDigest: true });
    expect(found.map((f) => f.key)).toEqual(['k8s/b.yaml#ghcr.io/acme/api:latest', `k8s/c.yaml#ghcr.io/evil/api@${D}`]);
    expect(found[0]!.message).toMatch(/has no digest/);
    expect(found[1]!.message).toMatch(/not in the allow-list/);
  });

  it('reads pulled images from job logs, not from other mentions', () => {
    const log = [
      '2026-01-01T00:00:00Z ##[command]/usr/bin/docker pull node:22',
      "Unable to find image 'ghcr.io/evil/x:1' locally",
      'echo "run docker pull later"',
      'Status: Downloaded newer image for node:22',
    ].join('\n');
    expect(pulledImages(log)).toEqual(['node:22', 'ghcr.io/evil/x:1']);
  });
});
