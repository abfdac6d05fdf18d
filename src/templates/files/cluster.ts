import path from 'node:path';
import type { FileIntent } from '../../changes/types.js';
import { defaultBranch, type TemplateContext } from '../context.js';
import { fill, generatedIntent, readAsset, skippedIntent } from './assets.js';

/** A DNS-1123 label from the repository name: what Kubernetes accepts as a namespace and label value. */
export function appName(ctx: TemplateContext): string {
  const raw = ctx.det.remote?.name ?? path.basename(ctx.det.root);
  const label = raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return label || 'app';
}

export const CLUSTER_FILES = ['namespace.yaml', 'network-policy.yaml', 'mtls.yaml', 'runtime-monitoring.yaml'] as const;

/** Deploy stage: namespace with restricted Pod Security, default-deny NetworkPolicies, Istio mTLS, Tetragon and Falco. */
export function clusterIntents(ctx: TemplateContext): FileIntent[] {
  const name = appName(ctx);
  const vars = { NAMESPACE: name, APP: name };
  const reasons: Record<(typeof CLUSTER_FILES)[number], string> = {
    'namespace.yaml': 'namespace with the Pod Security "restricted" profile enforced',
    'network-policy.yaml': 'default-deny NetworkPolicy (ingress and egress) with DNS and an app allow skeleton',
    'mtls.yaml': 'Istio PeerAuthentication: mutual TLS STRICT in the namespace',
    'runtime-monitoring.yaml': 'Tetragon TracingPolicy: eBPF monitoring of credential and token file access',
  };
  return [
    ...CLUSTER_FILES.map((f) => generatedIntent(`deploy/k8s/${f}`, fill(readAsset(`k8s/${f}`), vars), '#', reasons[f], 'deploy')),
    generatedIntent('deploy/falco/secure-repo-rules.yaml', fill(readAsset('falco/secure-repo-rules.yaml'), vars), '#', 'Falco rules: shells and writes below /etc in the namespace', 'deploy'),
  ];
}

/** Release stage: the Kyverno policy that admits only images signed by this repository's publish workflow. */
export function admissionIntent(ctx: TemplateContext): FileIntent {
  const target = 'deploy/admission/kyverno-verify-images.yaml';
  const reason = 'Kyverno verifyImages: only images signed by this repository\'s publish workflow may run';
  const remote = ctx.det.remote;
  if (!remote) return skippedIntent(target, 'no GitHub remote, so no signer identity to require; add `origin` and run init again', reason, 'release');
  const repository = `${remote.owner}/${remote.name}`;
  const image = `${ctx.config.ci.registry}/${repository.toLowerCase()}`;
  const re = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');
  const vars = { IMAGE: image, REPOSITORY: repository, REPOSITORY_RE: re(repository), BRANCH_RE: re(defaultBranch(ctx)) };
  return generatedIntent(target, fill(readAsset('admission/kyverno-verify-images.yaml'), vars), '#', reason, 'release');
}

export const POLICY_FILES = ['kubernetes.rego', 'kubernetes_test.rego', 'terraform.rego', 'terraform_test.rego'] as const;

/** Release stage: the Rego policies and their unit tests, run by Conftest in CI. */
export function policyIntents(): FileIntent[] {
  return POLICY_FILES.map((f) =>
    generatedIntent(`policy/${f}`, readAsset(`policy/${f}`), '#', f.endsWith('_test.rego') ? `unit tests for policy/${f.replace('_test', '')}` : `policy-as-code: ${f.replace('.rego', '')} rules for Conftest`, 'release'),
  );
}
