import { defaultConfig } from '../../src/config/defaults.js';
import type { Config } from '../../src/config/types.js';
import type { Detection, NodeProject } from '../../src/detect/types.js';
import { applicableStages } from '../../src/templates/index.js';

/** The six repository kinds every template test renders. */
export const KINDS = ['node-app', 'node-monorepo', 'python', 'go-docker-tf-helm', 'java', 'empty'] as const;
export type Kind = (typeof KINDS)[number];

function base(root: string): Detection {
  return {
    root,
    gitDir: `${root}/.git`,
    gitCommonDir: `${root}/.git`,
    head: { branch: 'main', detached: false, hasCommits: true, sha: '0'.repeat(40) },
    defaultBranch: 'main',
    remote: { url: 'git@github.com:acme/Shop-Api.git', host: 'github.com', owner: 'acme', name: 'Shop-Api', isGitHub: true, apiUrl: 'https://api.github.com' },
    dirty: [],
    languages: [],
    manifests: [],
    ecosystems: ['github-actions'],
    node: null,
    monorepo: null,
    python: null,
    go: null,
    java: null,
    docker: { dockerfiles: [], compose: [] },
    iac: { terraform: [], helm: [], kubernetes: [], bicep: [], arm: [], cloudformation: [] },
    hooks: {
      managers: [],
      coreHooksPath: null,
      coreHooksPathScope: null,
      activeHooksDir: `${root}/.git/hooks`,
      gitHooks: [],
      huskyDir: null,
      huskyHooks: [],
      huskyVersion: null,
      preCommitConfig: null,
      lefthookConfig: null,
    },
    github: { workflows: [], codeowners: null, securityPolicy: null, dependabot: null, renovate: null },
    config: null,
    ci: { python: null, go: null, existing: { codeql: [], scorecard: [], dependencyReview: [] }, nodeEntry: null },
  };
}

function nodeProject(over: Partial<NodeProject>): NodeProject {
  return {
    dir: '.',
    name: 'app',
    manager: 'npm',
    scripts: { start: 'node server.js', test: 'vitest run', lint: 'eslint .' },
    devDependencies: {},
    dependencies: {},
    workspaces: [],
    workspacePackages: [],
    hasLintStaged: false,
    testCommand: 'npm test',
    lintCommand: 'npm run lint',
    typescript: false,
    ...over,
  };
}

/** A Detection as detect() would report it for each kind (root is a placeholder unless given). */
export function detection(kind: Kind, root = `/tmp/fixture-${kind}`): Detection {
  const d = base(root);
  switch (kind) {
    case 'node-app':
      d.languages = ['javascript'];
      d.manifests = [{ ecosystem: 'npm', manager: 'npm', dir: '.', manifest: 'package.json', lockfile: 'package-lock.json' }];
      d.ecosystems = ['npm', 'github-actions'];
      d.node = nodeProject({});
      d.ci.nodeEntry = 'server.js';
      return d;
    case 'node-monorepo':
      d.languages = ['typescript', 'javascript'];
      d.manifests = [
        { ecosystem: 'npm', manager: 'pnpm', dir: '.', manifest: 'package.json', lockfile: 'pnpm-lock.yaml' },
        { ecosystem: 'npm', manager: 'pnpm', dir: 'packages/api', manifest: 'packages/api/package.json', lockfile: null },
        { ecosystem: 'npm', manager: 'pnpm', dir: 'packages/web', manifest: 'packages/web/package.json', lockfile: null },
      ];
      d.ecosystems = ['npm', 'github-actions'];
      d.node = nodeProject({
        manager: 'pnpm',
        scripts: { test: 'turbo run test', lint: 'turbo run lint', typecheck: 'tsc -b', build: 'turbo run build' },
        workspaces: ['packages/*'],
        workspacePackages: ['packages/api', 'packages/web'],
        typescript: true,
        devDependencies: { 'create-secure-repo': '^0.1.0', typescript: '^5.9.0' },
      });
      d.monorepo = { tool: 'pnpm', packages: ['packages/api', 'packages/web'] };
      return d;
    case 'python':
      d.languages = ['python'];
      d.manifests = [{ ecosystem: 'pip', manager: 'uv', dir: '.', manifest: 'pyproject.toml', lockfile: 'uv.lock' }];
      d.ecosystems = ['pip', 'github-actions'];
      d.python = { manager: 'uv', testCommand: 'uv run pytest' };
      d.ci.python = { requirements: [], installable: true, testExtra: null, testGroup: 'dev', declaresPytest: true, script: 'ledger' };
      d.github.codeowners = '.github/CODEOWNERS';
      return d;
    case 'go-docker-tf-helm':
      d.languages = ['go'];
      d.manifests = [{ ecosystem: 'gomod', manager: 'go', dir: '.', manifest: 'go.mod', lockfile: 'go.sum' }];
      d.ecosystems = ['gomod', 'docker', 'terraform', 'github-actions'];
      d.go = { module: 'example.com/shop' };
      d.ci.go = { dir: '.', version: '1.24', toolchain: null, main: '.' };
      d.docker = { dockerfiles: ['build/Dockerfile'], compose: ['compose.yaml'] };
      d.iac = { ...d.iac, terraform: ['infra/main.tf', 'infra/s3.tf'], helm: ['charts/shop'], kubernetes: ['k8s/deployment.yaml'] };
      d.github.dependabot = '.github/dependabot.yml';
      return d;
    case 'java':
      d.languages = ['java'];
      d.manifests = [{ ecosystem: 'maven', manager: 'maven', dir: '.', manifest: 'pom.xml', lockfile: null }];
      d.ecosystems = ['maven', 'github-actions'];
      d.java = { build: 'maven', wrapper: true };
      return d;
    case 'empty':
      d.head = { branch: 'main', detached: false, hasCommits: false, sha: null };
      d.remote = null;
      return d;
  }
}

/** The config init would write by default for a detection: every applicable stage. */
export function configFor(det: Detection, over: Partial<Config['ci']> = {}): Config {
  const c = defaultConfig();
  c.stages = applicableStages(det);
  c.ci = { ...c.ci, ...over };
  return c;
}
