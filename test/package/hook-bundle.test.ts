import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../src/scan/secrets/random.js';
import { BUILTIN_RULES } from '../../src/scan/secrets/rules/index.js';
import { buildCorpus } from '../scan/support/corpus.js';
import { mint } from '../scan/support/repo.js';
import { tempRepo, type TempRepo } from '../support/repo.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLE = path.join(ROOT, 'dist', 'hook', 'hook.cjs');
const ENTRY = path.join(ROOT, 'bin', 'hook.cjs');
const UNBUNDLED = path.join(ROOT, 'dist', 'cli', 'hook-main.js');
const SAST_FIXTURES = path.join(ROOT, 'test', 'sast', 'fixtures');

const repos: TempRepo[] = [];
let corpusRepo: TempRepo;

/** The labeled secrets corpus and the SAST fixtures (vulnerable and clean), all staged as one change. */
beforeAll(() => {
  if (!existsSync(BUNDLE)) throw new Error('dist/hook/hook.cjs is missing: run `npm run build` first');
  corpusRepo = tempRepo();
  repos.push(corpusRepo);
  corpusRepo.write({ 'README.md': '# corpus\n' });
  corpusRepo.git('add', '-A');
  corpusRepo.git('commit', '-qm', 'initial');
  const corpus = buildCorpus(BUILTIN_RULES, createRng(20240607), 2);
  corpusRepo.write(Object.fromEntries(corpus.files));
  // The fixtures are stored as NAME.fixture (so linters leave them alone); staged under their real names.
  for (const kind of ['vulnerable', 'clean']) {
    for (const f of readdirSync(path.join(SAST_FIXTURES, kind))) {
      corpusRepo.write({
        [`sast/${kind}/${f.replace(/\.fixture$/, '')}`]: readFileSync(path.join(SAST_FIXTURES, kind, f), 'utf8'),
      });
    }
  }
  corpusRepo.git('add', '-A');
});

afterAll(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

/**
 * Runs one hook through the entry the hook runner starts (bin/hook.cjs: the bundle, with its code cache) or
 * through the unbundled modules (dist/cli/hook-main.js).
 */
function runEntry(entry: 'bundle' | 'unbundled', r: TempRepo, hook = 'pre-commit', env: Record<string, string> = {}) {
  const script = `const m = await import(${JSON.stringify(UNBUNDLED)}); process.exitCode = await m.runHook([${JSON.stringify(hook)}]);`;
  const args = entry === 'bundle' ? [ENTRY, hook] : ['--input-type=module', '-e', script];
  const res = spawnSync(process.execPath, args, {
    cwd: r.dir,
    env: { ...r.env, ...env },
    encoding: 'utf8',
    input: '',
  });
  // The summary line says how long the scan took; everything else must match byte for byte.
  return { code: res.status, stderr: res.stderr.replace(/ in \d+ ms/g, ' in N ms'), stdout: res.stdout };
}

describe('the bundled hook entry (bin/hook.cjs and dist/hook/hook.cjs)', () => {
  it('finds exactly what the unbundled modules find on the corpus (secrets and SAST), with and without its code cache', () => {
    const cache = path.join(corpusRepo.dir, '.git', 'secure-repo', 'hook-code-cache.bin');
    rmSync(cache, { force: true });
    const noCache = runEntry('bundle', corpusRepo, 'pre-commit', { SECURE_REPO_CODE_CACHE: '0' });
    expect(existsSync(cache)).toBe(false);
    const cold = runEntry('bundle', corpusRepo); // compiles from source and writes the cache
    const written = statSync(cache);
    expect(readFileSync(cache, 'latin1').split('\n')[0]).toContain(` ${process.version} ${process.arch} `);
    const warm = runEntry('bundle', corpusRepo); // runs from the cache, which matched: not written again
    expect(statSync(cache).mtimeMs).toBe(written.mtimeMs);
    expect(statSync(cache).ino).toBe(written.ino);
    const unbundled = runEntry('unbundled', corpusRepo);
    expect(unbundled.code, unbundled.stderr).toBe(1);
    // a real amount of both kinds of finding, so an empty pair of outputs cannot pass
    const blocked = /commit blocked: (\d+) secrets? and (\d+) code issues?/.exec(unbundled.stderr);
    expect(blocked, unbundled.stderr.slice(-500)).not.toBeNull();
    expect(Number(blocked![1])).toBeGreaterThan(50);
    expect(Number(blocked![2])).toBeGreaterThan(10);
    for (const bundled of [noCache, cold, warm]) {
      expect(bundled.code).toBe(unbundled.code);
      expect(bundled.stderr).toBe(unbundled.stderr);
      expect(bundled.stdout).toBe(unbundled.stdout);
    }
  });

  it('a damaged or foreign code cache is never trusted: same findings, and the cache is written again', () => {
    const cache = path.join(corpusRepo.dir, '.git', 'secure-repo', 'hook-code-cache.bin');
    const expected = runEntry('unbundled', corpusRepo);
    runEntry('bundle', corpusRepo);
    const key = readFileSync(cache, 'latin1').split('\n')[0]!;
    // the right key over bytes V8 rejects, then a cache of another bundle (another content hash)
    for (const damaged of [
      `${key}\n${'x'.repeat(4096)}`,
      key.replace(/ [0-9a-f]{64} /, ` ${'0'.repeat(64)} `) + '\n',
    ]) {
      writeFileSync(cache, damaged, 'latin1');
      const res = runEntry('bundle', corpusRepo);
      expect(res.code).toBe(expected.code);
      expect(res.stderr).toBe(expected.stderr);
      expect(readFileSync(cache, 'latin1')).not.toBe(damaged);
      expect(readFileSync(cache, 'latin1').startsWith(`${key}\n`)).toBe(true);
    }
  });

  it('is what bin/secure-repo.js runs for the hooks, with the same result', () => {
    const viaBin = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'secure-repo.js'), 'hook', 'pre-commit'], {
      cwd: corpusRepo.dir,
      env: corpusRepo.env,
      encoding: 'utf8',
    });
    expect(viaBin.status).toBe(1);
    expect(viaBin.stderr.replace(/ in \d+ ms/g, ' in N ms')).toBe(runEntry('unbundled', corpusRepo).stderr);
  });

  it('holds only our hook-path modules: no package code, nothing from init, GitHub, templates or the command table', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    const modules = [...text.matchAll(/^\/\/ ((?:dist|node_modules)\/\S+\.js)$/gm)].map((m) => m[1]!);
    expect(text).toMatch(/\n\/\/ content sha256 [0-9a-f]{64}\n$/);
    expect(modules).toContain('dist/scan/run.js');
    expect(modules).toContain('dist/hooks/run/pre-commit.js');
    expect(modules.length).toBeGreaterThan(30);
    expect(modules.filter((m) => !m.startsWith('dist/'))).toEqual([]);
    expect(
      modules.filter((m) =>
        /^dist\/(init|github|templates|audit|changes|detect)\/|^dist\/cli\/(main|commands\/)/.test(m),
      ),
    ).toEqual([]);
    // Packages load from node_modules at run time, and only these (each only when needed): required, or required
    // through createRequire (ast-grep's CommonJS binding).
    const bare = new Set(
      [...text.matchAll(/(?:\brequire\(|\bcreateRequire\)\(.*\)\()\s*"([^".][^"]*)"/g)]
        .map((m) => m[1]!)
        .filter((s) => !s.startsWith('node:')),
    );
    expect([...bare].sort()).toEqual(['@ast-grep/napi', 'picomatch', 'yaml']);
  });

  it('fails closed: a bundle that cannot load stops the commit, and a missing bundle falls back to the full check', () => {
    // A copy of the package layout, so the shared build is left alone.
    const pkg = tempRepo({ git: false, name: 'pkg' });
    repos.push(pkg);
    for (const part of ['bin', 'dist', 'rules', 'schema', 'hooks', 'package.json'])
      cpSync(path.join(ROOT, part), path.join(pkg.dir, part), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg.dir, 'node_modules'), 'dir');
    const cli = path.join(pkg.dir, 'bin', 'secure-repo.js');
    const r = tempRepo();
    repos.push(r);
    r.write({ 'a.txt': 'hello\n' });
    r.git('add', 'a.txt');
    r.git('commit', '-qm', 'initial');
    r.write({ 'settings.py': `TOKEN = "${mint('github-pat', 7)}"\n` });
    r.git('add', 'settings.py');
    const install = spawnSync(process.execPath, [cli, 'hook', 'install', '--hooks', 'git', '--no-install'], {
      cwd: r.dir,
      env: r.env,
      encoding: 'utf8',
    });
    expect(install.status, install.stderr).toBe(0);
    const head = () => r.git('rev-parse', 'HEAD');
    const before = head();
    // What a GUI client gives a hook: no PATH beyond the system folders, no HOME settings beyond git's.
    const commitUnderEnvI = () =>
      spawnSync(
        '/usr/bin/env',
        [
          '-i',
          'PATH=/usr/bin:/bin',
          `HOME=${r.home}`,
          `GIT_CONFIG_GLOBAL=${r.env.GIT_CONFIG_GLOBAL}`,
          'GIT_CONFIG_NOSYSTEM=1',
          'git',
          'commit',
          '-m',
          'x',
        ],
        { cwd: r.dir, encoding: 'utf8' },
      );

    const working = commitUnderEnvI();
    expect(working.status).not.toBe(0);
    expect(working.stderr).toMatch(/commit blocked/);

    writeFileSync(path.join(pkg.dir, 'dist', 'hook', 'hook.cjs'), 'throw new Error("damaged install");\n');
    const broken = commitUnderEnvI();
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toMatch(/could not start/);
    expect(broken.stderr).toMatch(/the pre-commit check could not run .* so the commit was stopped/);
    expect(head()).toBe(before);

    rmSync(path.join(pkg.dir, 'dist', 'hook'), { recursive: true });
    const fallback = commitUnderEnvI();
    expect(fallback.status).not.toBe(0);
    expect(fallback.stderr).toMatch(/settings\.py:1/);
    expect(fallback.stderr).toMatch(/commit blocked/);
    expect(head()).toBe(before);
    expect(readdirSync(path.join(pkg.dir, 'dist'))).not.toContain('hook');
  });
});

describe('the bundled scan command (dist/hook/scan.js)', () => {
  /** `scan` with these arguments through bin/secure-repo.js (the bundle) or through the command table. */
  function scan(via: 'bin' | 'table', args: string[]) {
    const script =
      via === 'bin'
        ? null
        : `const m = await import(${JSON.stringify(path.join(ROOT, 'dist', 'cli', 'main.js'))}); process.exitCode = await m.run(${JSON.stringify(['scan', ...args])});`;
    const res = spawnSync(
      process.execPath,
      script ? ['--input-type=module', '-e', script] : [path.join(ROOT, 'bin', 'secure-repo.js'), 'scan', ...args],
      { cwd: corpusRepo.dir, env: corpusRepo.env, encoding: 'utf8', input: '' },
    );
    return { code: res.status, stderr: res.stderr, stdout: res.stdout.replace(/"ms": \d+/g, '"ms": 0') };
  }

  it('is what bin/secure-repo.js runs for `scan`, and finds exactly what the command table does', () => {
    const bundled = scan('bin', ['--secrets-only', '--format', 'json']);
    const table = scan('table', ['--secrets-only', '--format', 'json']);
    expect(table.code, table.stderr).toBe(1);
    expect(JSON.parse(table.stdout).findings.length).toBeGreaterThan(50);
    expect(bundled).toEqual(table);
    // errors and help go the same way too
    expect(scan('bin', ['--no-such-flag'])).toEqual(scan('table', ['--no-such-flag']));
    expect(scan('bin', ['--help']).stdout).toMatch(/^Usage: secure-repo scan/);
    expect(readFileSync(path.join(ROOT, 'dist', 'hook', 'scan.js'), 'utf8')).not.toMatch(/^\/\/ dist\/cli\/main\.js$/m);
  });
});

describe('--timing', () => {
  it('prints where the hook spent its time, step by step, on stderr only', () => {
    const r = tempRepo();
    repos.push(r);
    r.write({ 'src/app.js': 'export const x = 1;\n', '.secure-repo.yml': 'version: 1\n' });
    r.git('add', '-A');
    const res = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin', 'secure-repo.js'), 'hook', 'pre-commit', '--timing'],
      { cwd: r.dir, env: r.env, encoding: 'utf8' },
    );
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toBe('');
    for (const step of [
      'node start-up',
      'load the hook code',
      'config (.secure-repo.yml)',
      'load the scanner',
      'read the staged files',
      'git diff',
      'secrets: compile the rules',
      'secrets: scan',
      'total in node',
    ]) {
      expect(res.stderr, step).toMatch(new RegExp(`^  ${step.replace(/[.()]/g, '\\$&')}.* ms`, 'm'));
    }
    // Run from the top of the work tree (as git runs hooks), finding the repository costs no git call, and one diff
    // call gives what is staged: the added lines and the whole files (no cat-file process).
    expect(res.stderr).not.toMatch(/git rev-parse/);
    expect(res.stderr).not.toMatch(/git cat-file/);
    const quiet = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'secure-repo.js'), 'hook', 'pre-commit'], {
      cwd: r.dir,
      env: r.env,
      encoding: 'utf8',
    });
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});

// a staged change of only deletions: nothing to read, so no detector is loaded (the timing shows no rules step)
describe('nothing staged that can hold a finding', () => {
  it('loads no rules and no parser', () => {
    const r = tempRepo();
    repos.push(r);
    r.write({ 'old.js': 'eval(x)\n' });
    r.git('add', '-A');
    r.git('commit', '-qm', 'initial');
    r.git('rm', '-q', 'old.js');
    const res = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin', 'secure-repo.js'), 'hook', 'pre-commit', '--timing'],
      { cwd: r.dir, env: r.env, encoding: 'utf8' },
    );
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/read the staged files/);
    expect(res.stderr).not.toMatch(/secrets: compile the rules|sast: load/);
  });
});
