import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KINDS, type RepoKind } from '../support/kinds.js';
import { runCli, tempRepo, type TempRepo } from '../support/repo.js';
import { snapshotTree } from '../support/snapshot.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function repoOf(kind: RepoKind) {
  const r = tempRepo();
  repos.push(r);
  r.write(KINDS[kind]);
  return r;
}

interface JsonChange {
  action: string;
  target: string;
  reason: string;
}
const initJson = (r: TempRepo, extra: string[] = []) => {
  const res = runCli(['init', '--json', '--no-github', '--no-install', ...extra], { cwd: r.dir, env: r.env });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as { version: number; dryRun: boolean; changes: JsonChange[] };
};

const KIND_LIST = Object.keys(KINDS) as RepoKind[];

describe.each(KIND_LIST)('init on a %s repository', (kind) => {
  it('dry run changes nothing; apply then re-run reports every change unchanged', () => {
    const r = repoOf(kind);
    if (kind !== 'empty') r.git('remote', 'add', 'origin', `https://github.com/acme/${kind}.git`);
    const before = snapshotTree(r.dir);
    const dry = initJson(r, ['--dry-run']);
    expect(dry.dryRun).toBe(true);
    expect(dry.changes.some((c) => c.action === 'create')).toBe(true);
    expect(snapshotTree(r.dir)).toEqual(before);

    const first = initJson(r);
    const created = first.changes.filter((c) => c.action === 'create').map((c) => c.target);
    expect(created).toContain('.secure-repo.yml');
    // What the dry run promised is what apply did.
    expect(first.changes.map((c) => [c.action, c.target])).toEqual(dry.changes.map((c) => [c.action, c.target]));
    for (const t of created.filter((t) => !t.startsWith('git ') && !t.includes(' ')))
      expect(existsSync(path.join(r.dir, t)), t).toBe(true);

    const afterFirst = snapshotTree(r.dir);
    const second = initJson(r);
    const changed = second.changes.filter((c) => c.action !== 'unchanged' && c.action !== 'skip');
    expect(changed).toEqual([]);
    // Whatever the first run wrote, the second run recognises as its own and up to date.
    const again = new Map(second.changes.map((c) => [c.target, c.action]));
    const createdFiles = first.changes
      .filter((c) => c.action === 'create' && (c as { kind?: string }).kind === 'file')
      .map((c) => c.target);
    for (const t of createdFiles) expect(again.get(t), t).toBe('unchanged');
    for (const t of created) if (again.has(t)) expect(again.get(t), t).toBe('unchanged');
    expect(snapshotTree(r.dir)).toEqual(afterFirst);
  });
});

describe('init without a terminal', () => {
  it('never prompts and never hangs: defaults are used when stdin is not a TTY, even without --yes or CI', () => {
    const r = repoOf('python');
    const res = runCli(['--no-github', '--no-install'], { cwd: r.dir, env: { ...r.env, CI: '' } });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toMatch(/^\? /m); // no inquirer question was printed
    expect(res.stdout).toMatch(/Applied \d+ changes/);
    expect(existsSync(path.join(r.dir, '.secure-repo.yml'))).toBe(true);
  });
});

describe('init and GitHub', () => {
  it('without a token the GitHub step is skipped with a note saying how to run it later; everything else applies', () => {
    const r = repoOf('node-app');
    r.git('remote', 'add', 'origin', 'git@github.com:acme/shop-api.git');
    const res = runCli(['init', '--json', '--no-install'], { cwd: r.dir, env: { ...r.env, PATH: '/usr/bin:/bin' } });
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { changes: (JsonChange & { note?: string })[] };
    const gh = out.changes.find((c) => c.target === 'GitHub protection (acme/shop-api)');
    expect(gh).toMatchObject({ action: 'skip' });
    expect(gh?.note).toMatch(/no GitHub token: set GITHUB_TOKEN or GH_TOKEN.*secure-repo protect/);
    expect(out.changes.filter((c) => c.action === 'create').length).toBeGreaterThan(10);
  });

  it('a non-GitHub remote skips the GitHub step and says why', () => {
    const r = repoOf('empty');
    r.git('remote', 'add', 'origin', 'git@gitlab.com:acme/app.git');
    const res = runCli(['init', '--json', '--no-install'], { cwd: r.dir, env: r.env });
    const parsed = JSON.parse(res.stdout) as { changes: (JsonChange & { note?: string })[]; warnings: string[] };
    expect(parsed.changes.find((c) => c.target.startsWith('GitHub protection'))).toMatchObject({
      action: 'skip',
      note: 'origin is on gitlab.com, not GitHub',
    });
    expect(parsed.warnings.join('\n')).toMatch(/gitlab\.com\) is not GitHub/);
  });
});

describe('init keeps what the user wrote', () => {
  it('existing files, hooks and config comments survive byte for byte', () => {
    const r = repoOf('node-app');
    const mine = {
      'SECURITY.md': '# Our own policy\nMail security@acme.test\n',
      '.github/workflows/ci.yml': 'name: ci\non: push\njobs: {}\n',
      '.github/CODEOWNERS': '* @acme/owners\n',
      '.secure-repo.yml': '# my notes stay\nversion: 1\nscan:\n  failOn: critical # we chose this\n',
    };
    r.write(mine);
    const hook = path.join(r.dir, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\necho my old hook\n');
    chmodSync(hook, 0o755);
    initJson(r);
    initJson(r, ['--stages', 'code,build']);
    for (const [rel, content] of Object.entries(mine)) {
      const now = readFileSync(path.join(r.dir, rel), 'utf8');
      if (rel === '.secure-repo.yml') {
        expect(now).toContain('# my notes stay');
        expect(now).toContain('failOn: critical # we chose this');
        expect(now).toMatch(/stages: \[ ?code, build ?\]/);
      } else expect(now).toBe(content);
    }
    expect(readFileSync(hook, 'utf8')).toContain('echo my old hook');
  });

  it('a file with uncommitted changes is never written', () => {
    const r = repoOf('node-app');
    r.git('add', '-A');
    r.git('commit', '-qm', 'base');
    writeFileSync(path.join(r.dir, '.secure-repo.yml'), 'version: 1\n');
    r.git('add', '.secure-repo.yml');
    writeFileSync(path.join(r.dir, '.secure-repo.yml'), 'version: 1\n# work in progress\n');
    const out = initJson(r, ['--stages', 'code']);
    const cfg = out.changes.find((c) => c.target === '.secure-repo.yml');
    expect(cfg?.action).toBe('skip');
    expect(readFileSync(path.join(r.dir, '.secure-repo.yml'), 'utf8')).toBe('version: 1\n# work in progress\n');
  });

  it("a re-run names only the user's uncommitted files, not those an earlier run of init wrote", () => {
    const r = repoOf('node-app');
    writeFileSync(path.join(r.dir, 'NOTES.md'), 'notes\n');
    r.git('add', '-A');
    r.git('commit', '-qm', 'base');
    initJson(r, ['--stages', 'code']);
    writeFileSync(path.join(r.dir, 'NOTES.md'), 'notes\nmy work in progress\n');
    const again = initJson(r, ['--stages', 'code']) as unknown as { warnings: string[] };
    const note = again.warnings.find((w) => /uncommitted changes/.test(w)) ?? '';
    expect(note).toMatch(/^1 file has uncommitted changes \(NOTES\.md\)/);
    // package.json, which the first run updated, is uncommitted too, and not named
    expect(r.git('status', '--porcelain')).toMatch(/^ M package\.json$/m);
  });
});

describe('init: bad input gets one clear paragraph and exit 2', () => {
  const expectUsageError = (res: { code: number; stderr: string; stdout: string }, re: RegExp) => {
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(re);
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(res.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  };

  it('not a git repository without --yes; --yes runs git init', () => {
    const r = tempRepo({ git: false });
    repos.push(r);
    r.write({ 'main.go': 'package main\n' });
    expectUsageError(runCli(['--no-github'], { cwd: r.dir, env: r.env }), /not a git repository.*--yes/);
    expect(existsSync(path.join(r.dir, '.git'))).toBe(false);
    const ok = runCli(['--yes', '--no-github', '--no-install'], { cwd: r.dir, env: r.env });
    expect(ok.code).toBe(0);
    expect(existsSync(path.join(r.dir, '.git/HEAD'))).toBe(true);
    expect(existsSync(path.join(r.dir, '.secure-repo.yml'))).toBe(true);
  });

  it('a new project folder is created and initialised; dry run creates nothing', () => {
    const r = tempRepo({ git: false });
    repos.push(r);
    const dry = runCli(['my app é', '--dry-run', '--no-github'], { cwd: r.dir, env: r.env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('git init my app é (new folder)');
    expect(existsSync(path.join(r.dir, 'my app é'))).toBe(false);
    const res = runCli(['my app é', '--yes', '--no-github', '--no-install'], { cwd: r.dir, env: r.env });
    expect(res.code).toBe(0);
    expect(existsSync(path.join(r.dir, 'my app é/.git/HEAD'))).toBe(true);
    expect(existsSync(path.join(r.dir, 'my app é/.secure-repo.yml'))).toBe(true);
  });

  it('DIR is a file, a bare repository, an unknown flag, a bad --stages', () => {
    const r = tempRepo();
    repos.push(r);
    writeFileSync(path.join(r.dir, 'notes.txt'), 'x');
    expectUsageError(runCli(['init', 'notes.txt', '--yes'], { cwd: r.dir, env: r.env }), /is a file, not a folder/);
    r.git('init', '-q', '--bare', 'srv.git');
    expectUsageError(
      runCli(['init', 'srv.git', '--yes', '--no-github'], { cwd: r.dir, env: r.env }),
      /bare repository/,
    );
    expectUsageError(
      runCli(['init', '--frobnicate'], { cwd: r.dir, env: r.env }),
      /Unknown option '--frobnicate'.*--help/s,
    );
    expectUsageError(
      runCli(['init', '--stages', 'code,ship'], { cwd: r.dir, env: r.env }),
      /unknown stage\(s\) in --stages: ship/,
    );
    expectUsageError(runCli(['init', '--hooks', 'overcommit'], { cwd: r.dir, env: r.env }), /--hooks must be one of/);
  });

  it('a malformed .secure-repo.yml names the file, line and problem', () => {
    const r = repoOf('empty');
    r.write({ '.secure-repo.yml': 'version: 1\nscan:\n  failOn: severe\n' });
    expectUsageError(
      runCli(['init', '--yes', '--no-github'], { cwd: r.dir, env: r.env }),
      /\.secure-repo\.yml:3: scan\.failOn must be one of/,
    );
    r.write({ '.secure-repo.yml': 'version: 1\nscan: [unclosed\n' });
    expectUsageError(
      runCli(['init', '--yes', '--no-github'], { cwd: r.dir, env: r.env }),
      /\.secure-repo\.yml:\d+(:\d+)?: malformed YAML/,
    );
    r.write({ '.secure-repo.yml': 'version: 1\nhooks:\n  manger: husky\n' });
    expectUsageError(
      runCli(['init', '--yes', '--no-github'], { cwd: r.dir, env: r.env }),
      /:3: hooks\.manger is not a known setting/,
    );
  });
});
