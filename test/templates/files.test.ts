import { describe, expect, test } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { Namespace } from 'kubernetes-models/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ownership } from '../../src/core/ownership.js';
import { planTemplates } from '../../src/templates/index.js';
import { mergeDependabot, dependabotUpdates } from '../../src/templates/files/repository.js';
import { loadPins } from '../../src/templates/pins.js';
import { configFor, detection, KINDS } from './fixtures.js';
import { renderAll } from './render.js';

type Obj = Record<string, any>;

describe.each(KINDS)('%s: re-rendering', (kind) => {
  const det = detection(kind);
  const config = configFor(det);

  test('is idempotent: same bytes twice, and every file we wrote renders unchanged over itself', () => {
    const first = renderAll(det, config).files;
    const second = renderAll(det, config).files;
    expect([...second]).toEqual([...first]);
    // Every kind writes at least the CI workflow and SECURITY.md, and every written file is re-rendered below.
    expect([...first.keys()]).toEqual(expect.arrayContaining(['.github/workflows/secure-repo-ci.yml', 'SECURITY.md']));
    const rerendered: string[] = [];
    for (const intent of planTemplates(det, config)) {
      const current = first.get(intent.path);
      if (current === undefined) continue;
      expect(intent.render(current), intent.path).toEqual({ content: current });
      rerendered.push(intent.path);
    }
    expect(rerendered.sort()).toEqual([...first.keys()].sort());
  });

  test('a file the user edited is detected and kept', () => {
    const { files } = renderAll(det, config);
    const edited: string[] = [];
    for (const intent of planTemplates(det, config)) {
      const current = files.get(intent.path);
      if (current === undefined || ownership(current) === 'theirs') continue;
      expect(intent.render(`${current}# my change\n`), intent.path).toHaveProperty('skip');
      edited.push(intent.path);
    }
    // Generated workflows carry our ownership header, so the loop above checked at least the CI workflow.
    expect(edited).toContain('.github/workflows/secure-repo-ci.yml');
  });

  test('every intent has a stage or is a repository file, and a reason', () => {
    const intents = planTemplates(det, config);
    expect(intents.filter((i) => i.path.startsWith('.github/workflows/')).length).toBeGreaterThan(0);
    for (const intent of intents) {
      expect(intent.reason.length, intent.path).toBeGreaterThan(10);
      if (intent.path.startsWith('.github/workflows/') || intent.path.startsWith('policy/') || intent.path.startsWith('deploy/')) expect(intent.stage, intent.path).toBeTruthy();
    }
  });
});

describe('Kubernetes objects', () => {
  const det = detection('go-docker-tf-helm');
  const { files } = renderAll(det, configFor(det));
  const docs = (path: string) => parseAllDocuments(files.get(path)!).map((d) => d.toJS() as Obj);

  test('namespace and NetworkPolicies validate against the Kubernetes schemas', () => {
    const [ns] = docs('deploy/k8s/namespace.yaml');
    expect(() => new Namespace(ns as never).validate()).not.toThrow();
    expect(ns!.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const policies = docs('deploy/k8s/network-policy.yaml');
    for (const p of policies) expect(() => new NetworkPolicy(p as never).validate(), p.metadata.name).not.toThrow();
    const deny = policies.find((p) => p.metadata.name === 'default-deny-all')!;
    expect(deny.spec.podSelector).toEqual({});
    expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(deny.spec.ingress).toBeUndefined();
    expect(deny.spec.egress).toBeUndefined();
    expect(new Set(policies.map((p) => p.metadata.namespace))).toEqual(new Set(['shop-api']));
  });

  test('the schema check can fail', () => {
    const bad = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: {}, policyTypes: ['Sideways'] } };
    expect(() => new NetworkPolicy(bad as never).validate()).toThrow();
  });

  test('mTLS, Tetragon and Kyverno resources have the fields their controllers require', () => {
    const [peer] = docs('deploy/k8s/mtls.yaml');
    expect(peer).toMatchObject({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop-api' }, spec: { mtls: { mode: 'STRICT' } } });
    const [tracing] = docs('deploy/k8s/runtime-monitoring.yaml');
    expect(tracing).toMatchObject({ apiVersion: 'cilium.io/v1alpha1', kind: 'TracingPolicyNamespaced' });
    expect(tracing!.spec.kprobes[0].selectors[0].matchArgs[0].values).toContain('/etc/shadow');
    const [kyverno] = docs('deploy/admission/kyverno-verify-images.yaml');
    const verify = kyverno!.spec.rules[0].verifyImages[0];
    expect(verify.imageReferences).toEqual(['ghcr.io/acme/shop-api:*', 'ghcr.io/acme/shop-api@*']);
    const keyless = verify.attestors[0].entries[0].keyless;
    expect(keyless.issuer).toBe('https://token.actions.githubusercontent.com');
    // The subject admits the publish workflow at the default branch and version tags, nothing else.
    const subject = new RegExp(keyless.subjectRegExp);
    const wf = 'https://github.com/acme/Shop-Api/.github/workflows/secure-repo-publish.yml';
    expect(subject.test(`${wf}@refs/heads/main`)).toBe(true);
    expect(subject.test(`${wf}@refs/tags/v1.2.3`)).toBe(true);
    expect(subject.test(`${wf}@refs/heads/feature`)).toBe(false);
    expect(subject.test(`${wf}@refs/pull/7/merge`)).toBe(false);
    expect(subject.test(`${wf}@refs/heads/main-evil`)).toBe(false);
    expect(subject.test('https://github.com/acme/Shop-Api/.github/workflows/other.yml@refs/heads/main')).toBe(false);
    const falco = parse(files.get('deploy/falco/secure-repo-rules.yaml')!) as Obj[];
    expect(falco.length).toBeGreaterThan(0);
    for (const rule of falco) expect(Object.keys(rule)).toEqual(expect.arrayContaining(['rule', 'desc', 'condition', 'output', 'priority']));
  });
});

/** Rego cannot be evaluated here (no opa binary or evaluator on npm for Node 20): structural checks instead. */
describe('Rego policies', () => {
  const det = detection('empty');
  const { files } = renderAll(det, configFor(det));
  const rego = [...files].filter(([p]) => p.endsWith('.rego'));

  function balanced(text: string): boolean {
    const stack: string[] = [];
    const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
    const code = text.replace(/#.*$/gm, '').replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/`[^`]*`/g, '``');
    for (const ch of code) {
      if ('([{'.includes(ch)) stack.push(ch);
      else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
    }
    return stack.length === 0;
  }

  test('policies and tests are Rego v1 with balanced brackets', () => {
    expect(rego.map(([p]) => p).sort()).toEqual(['policy/kubernetes.rego', 'policy/kubernetes_test.rego', 'policy/terraform.rego', 'policy/terraform_test.rego']);
    for (const [path, text] of rego) {
      expect(text, path).toMatch(/^package [a-z_]+$/m);
      expect(text, path).toMatch(/^import rego\.v1$/m);
      expect(balanced(text), path).toBe(true);
      // Pre-1.0 rule heads (deny[msg] { ... }) do not parse under OPA 1.x, which current Conftest embeds.
      expect(text, path).not.toMatch(/^\w+\[\w+\]\s*\{/m);
      // Every rule that opens a body is written the v1 way: `name if {`, `name contains x if {`, or `name := {` (data).
      const oldStyle = [...text.matchAll(/^[a-z_]\w*.*\{\s*$/gm)].map((m) => m[0]).filter((head) => !/\bif \{\s*$|^\w+ :=/.test(head));
      expect(oldStyle, path).toEqual([]);
    }
  });

  test('each test file is in its policy package, and every message it expects is one the policy can produce', () => {
    for (const [path, text] of rego.filter(([p]) => p.endsWith('_test.rego'))) {
      const policy = files.get(path.replace('_test.rego', '.rego'))!;
      expect(/^package (\w+)$/m.exec(text)![1]).toBe(/^package (\w+)$/m.exec(policy)![1]);
      const tests = [...text.matchAll(/^(test_\w+) if \{/gm)].map((m) => m[1]);
      expect(tests.length, path).toBeGreaterThanOrEqual(6);
      expect(tests.some((t) => /passes$/.test(t!)), path).toBe(true);
      const formats = [...policy.matchAll(/sprintf\("([^"]*)"/g)].map((m) => m[1]!);
      const expected = [...text.matchAll(/contains\(msg, "([^"]+)"\)/g)].map((m) => m[1]!);
      expect(expected.length, path).toBeGreaterThan(0);
      for (const m of expected) expect(formats.some((f) => f.includes(m)), `${path}: "${m}"`).toBe(true);
    }
  });
});

describe('repository files', () => {
  test('dependabot covers every detected ecosystem plus github-actions and docker for a generated Dockerfile', () => {
    const det = detection('node-app');
    const { files } = renderAll(det, configFor(det));
    const doc = parse(files.get('.github/dependabot.yml')!);
    expect(doc.updates.map((u: Obj) => u['package-ecosystem'])).toEqual(['npm', 'docker', 'github-actions']);
    const go = detection('go-docker-tf-helm');
    const ecosystems = dependabotUpdates({ det: go, config: configFor(go), pins: loadPins(), toolVersion: '0.0.0' });
    expect(ecosystems.map((u) => [u['package-ecosystem'], u.directories])).toEqual([
      ['gomod', ['/']],
      ['docker', ['/build']],
      ['terraform', ['/infra']],
      ['github-actions', ['/']],
    ]);
  });

  test("the user's dependabot.yml gains the missing ecosystems with its comments and order kept", () => {
    const det = detection('go-docker-tf-helm');
    const intent = planTemplates(det, configFor(det)).find((i) => i.path === '.github/dependabot.yml')!;
    const mine = '# our bot settings\nversion: 2\nupdates:\n  # Go first\n  - package-ecosystem: gomod\n    directory: /\n    schedule:\n      interval: daily\n';
    const r = intent.render(mine) as { content: string };
    expect(r.content.startsWith('# our bot settings\nversion: 2\nupdates:\n  # Go first\n  - package-ecosystem: gomod\n    directory: /\n    schedule:\n      interval: daily\n')).toBe(true);
    expect(parse(r.content).updates.map((u: Obj) => u['package-ecosystem'])).toEqual(['gomod', 'docker', 'terraform', 'github-actions']);
    expect(intent.render(r.content)).toEqual({ content: r.content });
    expect(mergeDependabot('updates: [oops', [])).toHaveProperty('skip');
  });

  test("the user's CODEOWNERS gains the security paths once", () => {
    const det = detection('python');
    const intent = planTemplates(det, configFor(det)).find((i) => i.path === '.github/CODEOWNERS')!;
    const mine = '* @acme/devs\n/.github/ @acme/platform\n';
    const r = intent.render(mine) as { content: string };
    // The owners their file gives .github/ (the last matching rule) own our paths too: `@acme` alone is no owner.
    expect(r.content).toBe('* @acme/devs\n/.github/ @acme/platform\n\n# Added by create-secure-repo: security-relevant paths.\n/.secure-repo.yml @acme/platform\n/policy/ @acme/platform\n');
    expect(intent.render(r.content)).toEqual({ content: r.content });
  });

  test('a CODEOWNERS naming people for the workflows (as psf/requests does) lends them our paths', () => {
    const det = detection('python');
    const intent = planTemplates(det, configFor(det)).find((i) => i.path === '.github/CODEOWNERS')!;
    const theirs = '# lead maintainers\n\n.github/workflows/            @nateprewitt @sigmavirus24\nHISTORY.md                    @nateprewitt\n';
    const r = intent.render(theirs) as { content: string };
    expect(r.content.split('\n').filter((l) => l.startsWith('/'))).toEqual([
      '/.github/ @nateprewitt @sigmavirus24',
      '/.secure-repo.yml @nateprewitt @sigmavirus24',
      '/policy/ @nateprewitt @sigmavirus24',
    ]);
  });

  test('without a remote there is no owner to name, and the skip says why', () => {
    const { skipped } = renderAll(detection('empty'), configFor(detection('empty')));
    expect(skipped.get('.github/CODEOWNERS')).toMatch(/no GitHub remote/);
  });

  test("a user's own SECURITY.md and Dockerfile are left alone", () => {
    const det = detection('node-app');
    const intents = planTemplates(det, configFor(det));
    expect(intents.find((i) => i.path === 'SECURITY.md')!.render('# Our policy\n')).toHaveProperty('skip');
    expect(intents.find((i) => i.path === 'Dockerfile')!.render('FROM scratch\n')).toHaveProperty('skip');
    const go = detection('go-docker-tf-helm');
    expect(planTemplates(go, configFor(go)).some((i) => i.path === 'Dockerfile')).toBe(false);
  });

  test('generated Dockerfiles: multi-stage, digest-pinned bases, non-root, entry point from the start script', () => {
    for (const kind of ['node-app', 'python', 'java'] as const) {
      const det = detection(kind);
      const config = configFor(det);
      config.stages = [...config.stages, 'package'];
      const text = renderAll(det, config).files.get('Dockerfile')!;
      const froms = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!);
      expect(froms.length, kind).toBeGreaterThanOrEqual(2);
      for (const f of froms) expect(f, kind).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(text, kind).toMatch(/^USER (nonroot|10001)/m);
      expect(text, kind).not.toMatch(/^(ENV|ARG) .*(TOKEN|PASSWORD|SECRET)/im);
    }
    const det = detection('node-app');
    expect(renderAll(det, configFor(det)).files.get('Dockerfile')).toMatch(/CMD \["server\.js"\]/);
  });
});
