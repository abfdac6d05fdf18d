import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { tempRepo, type TempRepo } from '../support/repo.js';
import { cli } from './helpers.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function repo(files: Record<string, string>): TempRepo {
  const r = tempRepo();
  repos.push(r);
  r.write(files);
  r.git('add', '-A');
  r.git('commit', '-qm', 'initial');
  return r;
}

const read = (r: TempRepo, rel: string) => readFileSync(path.join(r.dir, rel), 'utf8');

function install(r: TempRepo, ...flags: string[]) {
  const res = cli(r, ['hook', 'install', '--no-install', '--json', ...flags]);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as { manager: string; changes: { action: string; target: string }[] };
}

function uninstall(r: TempRepo) {
  const res = cli(r, ['uninstall']);
  expect(res.code, res.stderr).toBe(0);
}

describe('husky', () => {
  const userPkg =
    '{\n    "name": "app",\n    "scripts": {\n        "prepare": "husky",\n        "test": "node -e 0"\n    },\n    "devDependencies": {\n        "husky": "^9.1.7"\n    }\n}';
  const userHook = 'npm test\necho "their hook ran"\n';

  it('adds to an existing husky setup without losing a byte, and uninstall gives the files back exactly', () => {
    const r = repo({ 'package.json': userPkg, '.husky/pre-commit': userHook });
    const out = install(r);
    expect(out.manager).toBe('husky');
    const pkg = JSON.parse(read(r, 'package.json'));
    expect(pkg.devDependencies).toEqual({
      'create-secure-repo': `^${pkg.devDependencies['create-secure-repo'].slice(1)}`,
      husky: '^9.1.7',
    });
    expect(pkg.scripts.prepare).toBe('husky'); // their prepare already activates husky
    expect(read(r, 'package.json')).toMatch(/^\{\n {4}"name"/); // four-space indentation kept
    expect(read(r, 'package.json').endsWith('}')).toBe(true); // no final newline, as before
    const hook = read(r, '.husky/pre-commit');
    expect(hook.split('\n')[0]).toMatch(/secure-repo\.sh" pre-commit "\$@"/);
    expect(hook).toContain(userHook);
    expect(existsSync(path.join(r.dir, '.husky/secure-repo.sh'))).toBe(true);

    uninstall(r);
    expect(read(r, 'package.json')).toBe(userPkg);
    expect(read(r, '.husky/pre-commit')).toBe(userHook);
    expect(existsSync(path.join(r.dir, '.husky/secure-repo.sh'))).toBe(false);
    expect(existsSync(path.join(r.dir, '.husky/pre-push'))).toBe(false);
  });

  it('brings husky into a Node project with a robust prepare step, and takes it all out again', () => {
    const pkg =
      '{\n\t"name": "app",\n\t"scripts": {\n\t\t"prepare": "npm run build"\n\t},\n\t"devDependencies": {\n\t\t"typescript": "^5.0.0"\n\t}\n}\n';
    const r = repo({ 'package.json': pkg, 'index.js': 'console.log(1)\n' });
    install(r);
    const after = JSON.parse(read(r, 'package.json'));
    expect(Object.keys(after.devDependencies)).toEqual(['create-secure-repo', 'husky', 'typescript']);
    expect(after.scripts.prepare).toBe('npm run build && node .husky/install.mjs');
    expect(read(r, 'package.json')).toContain('\n\t"name"');
    // prepare must never fail an install: not installed, CI, HUSKY=0
    for (const env of [{}, { CI: 'true' }, { HUSKY: '0' }]) {
      const res = spawnSync(process.execPath, ['.husky/install.mjs'], {
        cwd: r.dir,
        env: { ...r.env, CI: '', ...env },
        encoding: 'utf8',
      });
      expect(res.status, res.stderr).toBe(0);
    }
    expect(install(r).changes.every((c) => c.action === 'unchanged')).toBe(true);
    uninstall(r);
    expect(read(r, 'package.json')).toBe(pkg);
    expect(existsSync(path.join(r.dir, '.husky'))).toBe(false);
    expect(existsSync(path.join(r.dir, '.gitattributes'))).toBe(false);
  });
});

describe('husky 4 (hooks driven from package.json)', () => {
  it("gets plain hooks that chain husky 4's .git/hooks scripts, since husky 4 has no .husky folder", () => {
    const pkg =
      '{\n  "name": "old",\n  "husky": { "hooks": { "pre-commit": "echo v4" } },\n  "devDependencies": { "husky": "^4.3.8" }\n}\n';
    const r = repo({ 'package.json': pkg });
    install(r);
    expect(r.git('config', 'core.hooksPath')).toBe('.githooks');
    expect(r.git('config', 'secure-repo.chain')).toBe(path.join(r.dir, '.git', 'hooks'));
    expect(read(r, 'package.json')).toBe(pkg);
    expect(existsSync(path.join(r.dir, '.husky'))).toBe(false);
  });
});

describe('pre-commit framework', () => {
  const config = `# shared hooks for the team
default_stages: [pre-commit]
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0  # pinned on purpose
    hooks:
      - id: trailing-whitespace
      - id: end-of-file-fixer
`;

  it('adds a repo: local entry, keeps comments, is idempotent and uninstalls to the identical file', () => {
    const r = repo({ '.pre-commit-config.yaml': config, 'main.py': 'print(1)\n' });
    expect(install(r).manager).toBe('pre-commit');
    const merged = read(r, '.pre-commit-config.yaml');
    expect(merged.startsWith(config)).toBe(true); // everything of theirs first, untouched
    expect(merged).toContain('- repo: local');
    expect(merged).toContain('entry: sh .secure-repo/secure-repo.sh --managed pre-commit');
    expect(merged).toContain('entry: sh .secure-repo/secure-repo.sh --managed pre-push');
    expect(merged).toMatch(/pass_filenames: false/);
    expect(merged).toMatch(/^default_install_hook_types: \[pre-commit, pre-push\]$/m);
    // still valid YAML that the pre-commit framework reads as one more `repos` item
    const parsed = parseYaml(merged) as { repos: { repo: string; hooks: { id: string; stages: string[] }[] }[] };
    expect(parsed.repos.map((x) => x.repo)).toEqual(['https://github.com/pre-commit/pre-commit-hooks', 'local']);
    expect(parsed.repos[1]!.hooks.map((h) => [h.id, h.stages])).toEqual([
      ['secure-repo', ['pre-commit']],
      ['secure-repo-pre-push', ['pre-push']],
    ]);
    expect(install(r).changes.every((c) => c.action === 'unchanged')).toBe(true);
    uninstall(r);
    expect(read(r, '.pre-commit-config.yaml')).toBe(config);
    expect(existsSync(path.join(r.dir, '.secure-repo'))).toBe(false);
  });

  it('adds pre-push to an existing default_install_hook_types and removes only that', () => {
    const own =
      'default_install_hook_types: [pre-commit, commit-msg]\nrepos:\n  - repo: local\n    hooks:\n      - id: mine\n        name: mine\n        entry: "true"\n        language: system\n';
    const r = repo({ '.pre-commit-config.yaml': own });
    install(r);
    const merged = read(r, '.pre-commit-config.yaml');
    expect(merged).toContain('id: mine');
    expect(merged).toMatch(
      /^default_install_hook_types: \[pre-commit, commit-msg, pre-push\] # pre-push added by secure-repo$/m,
    );
    expect((parseYaml(merged) as { repos: unknown[] }).repos).toHaveLength(2);
    uninstall(r);
    expect(read(r, '.pre-commit-config.yaml')).toBe(own);
  });
});

describe('lefthook', () => {
  const config = `# lefthook config
pre-commit:
  parallel: true
  commands:
    lint:
      run: npm run lint
`;
  it('adds a command to each hook, keeps theirs, and uninstalls to the identical file', () => {
    const r = repo({ 'lefthook.yml': config });
    expect(install(r).manager).toBe('lefthook');
    const merged = read(r, 'lefthook.yml');
    expect(merged).toContain('run: npm run lint');
    expect(merged).toContain('run: sh .secure-repo/secure-repo.sh --managed pre-commit');
    expect(merged).toContain('run: sh .secure-repo/secure-repo.sh --managed pre-push {1} {2}');
    expect(merged).toContain('use_stdin: true');
    const parsed = parseYaml(merged) as Record<string, { commands: Record<string, { run: string }> }>;
    expect(Object.keys(parsed['pre-commit']!.commands)).toEqual(['lint', 'secure-repo']);
    expect(parsed['pre-push']!.commands['secure-repo']!.run).toMatch(/pre-push \{1\} \{2\}$/);
    expect(install(r).changes.every((c) => c.action === 'unchanged')).toBe(true);
    uninstall(r);
    expect(read(r, 'lefthook.yml')).toBe(config);
  });
});

describe('manager choice', () => {
  it('picks git hooks for a repository with no package manager hooks and no Node', () => {
    const r = repo({ 'main.go': 'package main\n', 'go.mod': 'module x\n' });
    const out = install(r);
    expect(out.manager).toBe('git');
    expect(r.git('config', 'core.hooksPath')).toBe('.githooks');
    expect(install(r).changes.every((c) => c.action === 'unchanged')).toBe(true);
  });
});
