import { describe, expect, it, afterEach } from 'vitest';
import { chmodSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { detect, parseRemote } from '../../src/detect/index.js';
import { KINDS } from '../support/kinds.js';
import { tempRepo, type TempRepo } from '../support/repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

/** detect runs git in-process; point git at the test's isolated config. */
async function detectIn(r: TempRepo) {
  const saved = { ...process.env };
  Object.assign(process.env, { GIT_CONFIG_GLOBAL: r.env.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: '1', HOME: r.home });
  try {
    return await detect(r.dir);
  } finally {
    process.env = saved;
  }
}

function repoOf(kind: keyof typeof KINDS, remote?: string) {
  const r = tempRepo();
  repos.push(r);
  r.write(KINDS[kind]);
  if (remote) r.git('remote', 'add', 'origin', remote);
  return r;
}

describe('detect on six kinds of repository', () => {
  it('Node app: npm, scripts, tests, GitHub remote', async () => {
    const d = await detectIn(repoOf('node-app', 'git@github.com:acme/shop-api.git'));
    expect(d.languages).toContain('javascript');
    expect(d.node?.manager).toBe('npm');
    expect(d.node?.testCommand).toBe('npm test');
    expect(d.node?.lintCommand).toBe('npm run lint');
    expect(d.monorepo).toBeNull();
    expect(d.manifests).toEqual([
      { ecosystem: 'npm', manager: 'npm', dir: '.', manifest: 'package.json', lockfile: 'package-lock.json' },
    ]);
    expect(d.remote).toMatchObject({
      owner: 'acme',
      name: 'shop-api',
      isGitHub: true,
      apiUrl: 'https://api.github.com',
    });
    expect(d.ecosystems).toEqual(expect.arrayContaining(['npm', 'github-actions']));
    expect(d.head).toMatchObject({ branch: 'main', hasCommits: false });
  });

  it('Node monorepo: pnpm workspaces resolved to packages, TypeScript', async () => {
    const d = await detectIn(repoOf('node-monorepo'));
    expect(d.node?.manager).toBe('pnpm');
    expect(d.monorepo?.tool).toBe('pnpm');
    expect(d.monorepo?.packages.sort()).toEqual(['apps/web', 'packages/ui']);
    expect(d.languages[0]).toBe('typescript');
    expect(d.node?.typescript).toBe(true);
  });

  it('Python: poetry, pytest, existing pre-commit framework config', async () => {
    const d = await detectIn(repoOf('python'));
    expect(d.languages).toEqual(['python']);
    expect(d.python).toEqual({ manager: 'poetry', testCommand: 'poetry run pytest -q' });
    expect(d.hooks.managers).toEqual(['pre-commit']);
    expect(d.hooks.preCommitConfig).toBe('.pre-commit-config.yaml');
    expect(d.ecosystems).toContain('pip');
  });

  it('Go with Docker, Terraform, Helm and Kubernetes manifests', async () => {
    const d = await detectIn(repoOf('go-infra', 'https://github.example.com/platform/edge.git'));
    expect(d.go).toEqual({ module: 'github.com/acme/edge' });
    expect(d.docker.dockerfiles).toEqual(['Dockerfile']);
    expect(d.iac.terraform).toEqual(['infra']);
    expect(d.iac.helm).toEqual(['charts/edge']);
    // Helm templates are not plain manifests; the Service is.
    expect(d.iac.kubernetes).toEqual(['k8s/service.yaml']);
    expect(d.ecosystems).toEqual(expect.arrayContaining(['gomod', 'docker', 'terraform', 'github-actions']));
    expect(d.remote).toMatchObject({
      host: 'github.example.com',
      isGitHub: true,
      apiUrl: 'https://github.example.com/api/v3',
    });
  });

  it('Java: Maven with wrapper', async () => {
    const d = await detectIn(repoOf('java'));
    expect(d.languages).toEqual(['java']);
    expect(d.java).toEqual({ build: 'maven', wrapper: true });
    expect(d.ecosystems).toContain('maven');
  });

  it('an empty new repository', async () => {
    const d = await detectIn(repoOf('empty'));
    expect(d.languages).toEqual([]);
    expect(d.manifests).toEqual([]);
    expect(d.node).toBeNull();
    expect(d.head).toEqual({ branch: 'main', detached: false, hasCommits: false, sha: null });
    expect(d.remote).toBeNull();
    expect(d.ecosystems).toEqual(['github-actions']);
  });
});

describe('detect: a Node application in a subfolder', () => {
  it('takes the only shallowest package.json as the project; several side by side are not one project', async () => {
    const r = tempRepo();
    repos.push(r);
    r.write({
      'app/package.json': '{"name":"web","scripts":{"test":"vitest"}}\n',
      'app/package-lock.json': '{}\n',
      'app/src/a.ts': 'export {};\n',
      'infra/main.tf': '',
    });
    const d = await detectIn(r);
    expect(d.node).toMatchObject({ dir: 'app', name: 'web', manager: 'npm', testCommand: 'npm test' });
    r.write({ 'tools/package.json': '{"name":"tools"}\n' });
    expect((await detectIn(r)).node).toBeNull();
  });
});

describe('detect: what the repository already has', () => {
  it('finds non-sample .git/hooks scripts, husky, core.hooksPath and GitHub files', async () => {
    const r = repoOf('node-app');
    r.write({
      '.husky/pre-commit': 'npx lint-staged\n',
      '.github/workflows/ci.yml': 'on: push\n',
      '.github/CODEOWNERS': '* @acme/team\n',
      'SECURITY.md': '# Security\n',
      'renovate.json': '{}\n',
    });
    const hook = path.join(r.dir, '.git/hooks/pre-push');
    writeFileSync(hook, '#!/bin/sh\necho legacy\n');
    chmodSync(hook, 0o755);
    r.git('config', 'core.hooksPath', '.githooks');
    const d = await detectIn(r);
    expect(d.hooks.gitHooks).toEqual(['pre-push']);
    expect(d.hooks.managers).toContain('husky');
    expect(d.hooks.huskyHooks).toEqual(['pre-commit']);
    expect(d.hooks.coreHooksPath).toBe('.githooks');
    expect(d.hooks.coreHooksPathScope).toBe('local');
    expect(d.github).toEqual({
      workflows: ['.github/workflows/ci.yml'],
      codeowners: '.github/CODEOWNERS',
      securityPolicy: 'SECURITY.md',
      dependabot: null,
      renovate: 'renovate.json',
    });
  });

  it('reports detached HEAD, commits and uncommitted changes; paths with spaces and non-ASCII work', async () => {
    const base = tempRepo({ name: 'mon projet é' });
    repos.push(base);
    base.write({ 'docs/read me.md': 'x\n', 'package.json': '{"name":"x"}\n' });
    base.git('add', '-A');
    base.git('commit', '-qm', 'init');
    base.git('checkout', '-q', '--detach');
    writeFileSync(path.join(base.dir, 'package.json'), '{"name":"y"}\n');
    const d = await detectIn(base);
    expect(d.root).toBe(base.dir);
    expect(d.head.detached).toBe(true);
    expect(d.head.hasCommits).toBe(true);
    expect(d.dirty).toEqual(['package.json']);
  });

  it('rejects a file, a missing folder and a bare repository with clear errors', async () => {
    const r = tempRepo({ git: false });
    repos.push(r);
    writeFileSync(path.join(r.dir, 'f.txt'), 'x');
    await expect(detect(path.join(r.dir, 'f.txt'))).rejects.toThrow(/is a file, not a folder/);
    await expect(detect(path.join(r.dir, 'nope'))).rejects.toThrow(/does not exist/);
    await expect(detect(r.dir)).rejects.toThrow(/not inside a git repository/);
    mkdirSync(path.join(r.dir, 'bare.git'));
    r.git('init', '-q', '--bare', 'bare.git');
    await expect(detect(path.join(r.dir, 'bare.git'))).rejects.toThrow(/bare repository/);
  });
});

describe('parseRemote', () => {
  it.each([
    ['https://github.com/acme/app.git', 'github.com', 'acme', 'app', 'https://api.github.com'],
    ['https://token@github.com/acme/app', 'github.com', 'acme', 'app', 'https://api.github.com'],
    ['git@github.com:acme/app.git', 'github.com', 'acme', 'app', 'https://api.github.com'],
    ['ssh://git@github.com/acme/app.git', 'github.com', 'acme', 'app', 'https://api.github.com'],
    ['ssh://git@ssh.github.com:443/acme/app.git', 'github.com', 'acme', 'app', 'https://api.github.com'],
    ['git@github.acme.corp:team/svc.git', 'github.acme.corp', 'team', 'svc', 'https://github.acme.corp/api/v3'],
    ['https://octo.ghe.com/org/repo', 'octo.ghe.com', 'org', 'repo', 'https://api.octo.ghe.com'],
  ])('%s', (url, host, owner, name, apiUrl) => {
    expect(parseRemote(url)).toMatchObject({ host, owner, name, apiUrl, isGitHub: true });
  });

  it('GitLab is recognised as not GitHub; local paths are not remotes', () => {
    expect(parseRemote('git@gitlab.com:acme/app.git')).toMatchObject({ isGitHub: false, owner: 'acme' });
    expect(parseRemote('/srv/git/app.git')).toBeNull();
    expect(parseRemote('file:///srv/git/app.git')).toBeNull();
    expect(parseRemote('../app.git')).toBeNull();
  });
});
