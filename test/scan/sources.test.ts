import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import type { Config } from '../../src/config/types.js';
import { runScan, type ScanOptions } from '../../src/scan/run.js';
import { SecretEngine } from '../../src/scan/secrets/engine.js';
import { scanCommits } from '../../src/scan/sources/commits.js';
import { emptyStats } from '../../src/scan/sources/fragments.js';
import type { Finding } from '../../src/scan/types.js';
import { gitIn, isolateGit, mint, newRepo, write } from './support/repo.js';

beforeAll(async () => {
  await isolateGit();
});

function scan(
  root: string,
  source: ScanOptions['source'],
  extra: Partial<ScanOptions> = {},
  config: Config = defaultConfig(),
) {
  return runScan({ root, cwd: root, source, secrets: true, sast: false, config, ...extra });
}

const where = (r: Awaited<ReturnType<typeof scan>>) => r.findings.map((f) => `${f.file}:${f.line}:${f.rule}`).sort();

describe('files source', () => {
  it('handles CRLF, invalid UTF-8, odd file names, symlinks, binary and large files, ignored files', async () => {
    const repo = await newRepo();
    const gh = mint('github-pat', 1);
    const slack = mint('slack-bot-token', 2);
    await write(repo, 'crlf.env', `A=1\r\nGH=${gh}\r\nB=2\r\n`);
    await write(
      repo,
      'latin1.txt',
      Buffer.concat([Buffer.from('caf\xe9 \xff\xfe\n', 'latin1'), Buffer.from(`token ${slack}\n`)]),
    );
    await write(repo, 'dir with space/na\u00efve \u65e5\u672c.yml', `x: 1\nslack: ${slack}\n`);
    await write(repo, 'new\nline.txt', `${gh}\n`);
    await write(repo, 'bin.dat', Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(gh)]));
    await write(repo, 'big.txt', `${'a'.repeat(3 * 1024 * 1024)}\n${gh}\n`);
    await write(repo, 'ignored.log', `${gh}\n`);
    await write(repo, '.gitignore', '*.log\n');
    await fsp.symlink(path.join(repo, 'crlf.env'), path.join(repo, 'link.env'));
    const r = await scan(repo, 'files');
    expect(where(r)).toEqual(
      [
        'crlf.env:2:github-pat',
        'dir with space/na\u00efve \u65e5\u672c.yml:2:slack-bot-token',
        'latin1.txt:2:slack-bot-token',
        'new\nline.txt:1:github-pat',
      ].sort(),
    );
    expect(r.stats.skipped).toEqual({ binary: 1, tooLarge: 1, symlink: 1, allowedPath: 0 });
    const crlf = r.findings.find((f) => f.file === 'crlf.env')!;
    expect(crlf.column).toBe(4);
    expect(crlf.lineText).toBe(`GH=${gh}`);
  });

  it('skips what is not a regular file: symlinks to a folder and to a file, a tracked file since deleted', async () => {
    const repo = await newRepo();
    const gh = mint('github-pat', 5);
    await write(repo, 'real/app.env', `GH=${gh}\n`);
    await write(repo, 'gone.txt', `${gh}\n`);
    gitIn(repo, 'add', 'gone.txt');
    await fsp.rm(path.join(repo, 'gone.txt'));
    await fsp.symlink(path.join(repo, 'real'), path.join(repo, 'linked-dir'));
    await fsp.symlink(path.join(repo, 'real', 'app.env'), path.join(repo, 'linked.env'));
    const r = await scan(repo, 'files');
    expect(where(r)).toEqual(['real/app.env:1:github-pat']);
    expect(r.stats.files).toBe(1);
    expect(r.stats.skipped).toEqual({ binary: 0, tooLarge: 0, symlink: 2, allowedPath: 0 });
  });

  it('scans a 5 MB single line without blowing up, and walks plain folders outside git', async () => {
    const dir = await fsp.realpath(await fsp.mkdtemp(path.join((await import('node:os')).tmpdir(), 'sr-plain-')));
    const gh = mint('github-pat', 3);
    await write(dir, 'one-line.js', `${'x=1;'.repeat(1_250_000)}var t="${gh}";`);
    await write(dir, 'nested/deep/conf.ini', `token=${mint('gitlab-pat', 4)}\n`);
    const config = defaultConfig();
    config.scan.maxFileSize = 8 * 1024 * 1024;
    // A hang or a blow-up is the test timeout; how fast is bench/ territory.
    const r = await scan(dir, 'files', {}, config);
    expect(where(r)).toEqual(['nested/deep/conf.ini:1:gitlab-pat', 'one-line.js:1:github-pat']);
  });

  it('honours inline allow markers, allowPaths, allowValues (plain and sha256) and only the given paths', async () => {
    const repo = await newRepo();
    const a = mint('stripe-secret-key', 5);
    const b = mint('stripe-secret-key', 6);
    const c = mint('stripe-secret-key', 7);
    const d = mint('stripe-secret-key', 8);
    const { createHash } = await import('node:crypto');
    await write(
      repo,
      'src/a.ts',
      [
        `const a = "${a}"; // secure-repo:allow`,
        `const b = "${b}"; // gitleaks:allow`,
        `const c = "${c}"; # pragma: allowlist secret`,
        '// secure-repo:allow-next-line',
        `const d = "${d}";`,
        `const e = "${a}";`,
      ].join('\n'),
    );
    await write(repo, 'fixtures/keys.txt', `${b}\n`);
    await write(repo, 'other/x.txt', `${c}\n${d}\n`);
    const config = defaultConfig();
    config.scan.allowPaths = ['fixtures/**'];
    config.scan.allowValues = [
      { value: c },
      { value: `sha256:${createHash('sha256').update(d).digest('hex')}` },
      { value: a, expires: '2001-01-01' },
    ];
    const r = await scan(repo, 'files', {}, config);
    expect(where(r)).toEqual(['src/a.ts:6:stripe-secret-key']);
    expect(r.stats.skipped.allowedPath).toBe(1);
    const only = await scan(repo, 'files', { paths: ['other'] });
    expect(where(only)).toEqual(['other/x.txt:1:stripe-secret-key', 'other/x.txt:2:stripe-secret-key']);
  });
});

describe('staged source', () => {
  it('scans the index, not the work tree, with staged line numbers and added lines only', async () => {
    const repo = await newRepo();
    const old = mint('gitlab-pat', 10);
    const staged = mint('sendgrid-api-key', 11);
    const unstaged = mint('github-pat', 12);
    await write(repo, 'app.env', `OLD=${old}\nA=1\n`);
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'base');
    await write(repo, 'app.env', `OLD=${old}\nA=1\nB=2\nNEW=${staged}\n`);
    await write(repo, 'new file.txt', `hello\n${staged}\n`);
    gitIn(repo, 'add', '.');
    // Work tree changes after staging: shifted lines and a secret that is not staged.
    await write(repo, 'app.env', `X=0\nY=0\nOLD=${old}\nA=1\nB=2\nNEW=${staged}\nU=${unstaged}\n`);
    const r = await scan(repo, 'staged');
    expect(where(r)).toEqual(['app.env:4:sendgrid-api-key', 'new file.txt:2:sendgrid-api-key']);
    expect(r.stats.files).toBe(2);
  });

  it('works before the first commit and skips staged symlinks and binaries', async () => {
    const repo = await newRepo();
    const tok = mint('npm-access-token', 13);
    await write(repo, '.npmrc', `//registry.npmjs.org/:_authToken=${tok}\n`);
    await write(repo, 'blob.bin', Buffer.concat([Buffer.from([0]), Buffer.from(tok)]));
    await fsp.symlink('.npmrc', path.join(repo, 'link'));
    gitIn(repo, 'add', '.');
    const r = await scan(repo, 'staged');
    expect(where(r)).toEqual(['.npmrc:1:npm-access-token']);
    expect(r.stats.skipped.binary).toBe(1);
    expect(r.stats.skipped.symlink).toBe(1);
  });
});

describe('staged source while concluding a merge', () => {
  it('reports what the resolution wrote, not what the merged branch brings', async () => {
    const repo = await newRepo();
    await write(repo, 'conf.py', 'A = 1\nB = 2\nC = 3\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'base');
    gitIn(repo, 'checkout', '-q', '-b', 'topic');
    const branchSecret = mint('gitlab-pat', 14);
    await write(repo, 'topic.env', `TOKEN=${branchSecret}\n`);
    await write(repo, 'conf.py', 'A = 1\nB = "topic"\nC = 3\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'topic');
    gitIn(repo, 'checkout', '-q', 'main');
    await write(repo, 'conf.py', 'A = 1\nB = "main"\nC = 3\n');
    gitIn(repo, 'commit', '-qam', 'main');
    expect(() => gitIn(repo, 'merge', '-q', 'topic')).toThrow();
    const written = mint('sendgrid-api-key', 15);
    await write(repo, 'conf.py', `A = 1\nB = "topic"\nKEY = "${written}"\nC = 3\n`);
    gitIn(repo, 'add', '.');
    const r = await scan(repo, 'staged');
    expect(where(r)).toEqual(['conf.py:3:sendgrid-api-key']);
    // Without MERGE_HEAD the same index, compared with HEAD alone, also holds the branch's file.
    gitIn(repo, 'update-ref', '-d', 'MERGE_HEAD');
    expect(where(await scan(repo, 'staged'))).toEqual(['conf.py:3:sendgrid-api-key', 'topic.env:1:gitlab-pat']);
  });

  it('does the same in a linked worktree, where .git is a file', async () => {
    const repo = await newRepo();
    await write(repo, 'a.txt', 'one\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'base');
    gitIn(repo, 'branch', 'side');
    const wt = `${repo}-wt`;
    gitIn(repo, 'worktree', 'add', '-q', wt, 'side');
    await write(wt, 'side.env', `TOKEN=${mint('gitlab-pat', 16)}\n`);
    await write(wt, 'a.txt', 'side\n');
    gitIn(wt, 'add', '.');
    gitIn(wt, 'commit', '-qm', 'side');
    await write(repo, 'a.txt', 'main\n');
    gitIn(repo, 'commit', '-qam', 'main');
    gitIn(wt, 'checkout', '-q', '-b', 'merging', 'main');
    expect(() => gitIn(wt, 'merge', '-q', 'side')).toThrow();
    await write(wt, 'a.txt', `KEY = "${mint('sendgrid-api-key', 17)}"\n`);
    gitIn(wt, 'add', '.');
    expect(where(await scan(wt, 'staged'))).toEqual(['a.txt:1:sendgrid-api-key']);
  });
});

describe('history, range and pre-push sources', () => {
  async function historyRepo() {
    const repo = await newRepo();
    const s1 = mint('anthropic-api-key', 20);
    const s2 = mint('openai-api-key', 21);
    await write(repo, 'a.py', `KEY = "${s1}"\n`);
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'one');
    const c1 = gitIn(repo, 'rev-parse', 'HEAD');
    // Same secret, line edited and shifted: still introduced by c1.
    await write(repo, 'a.py', `import os\nKEY = "${s1}"  # moved\n`);
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'two');
    // Added then removed in the next commit.
    await write(repo, 'b.js', `const k = '${s2}';\n`);
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'three');
    const c3 = gitIn(repo, 'rev-parse', 'HEAD');
    await fsp.rm(path.join(repo, 'b.js'));
    gitIn(repo, 'add', '-A');
    gitIn(repo, 'commit', '-qm', 'four');
    return { repo, c1, c3 };
  }

  it('history reports each secret once, at the commit that introduced it', async () => {
    const { repo, c1, c3 } = await historyRepo();
    const progress: number[] = [];
    const r = await scan(repo, 'history', { onProgress: (d) => progress.push(d) });
    expect(r.findings.map((f) => [f.file, f.line, f.rule, f.commit])).toEqual([
      ['a.py', 1, 'anthropic-api-key', c1],
      ['b.js', 1, 'openai-api-key', c3],
    ]);
    expect(r.stats.commits).toBe(4);
    expect(progress.at(-1)).toBe(4);
  });

  it('maps added lines of several hunks (and files without a final newline) to file line numbers', async () => {
    const repo = await newRepo();
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
    await write(repo, 'conf.txt', lines.join('\n'));
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'base');
    const a = mint('gitlab-pat', 60);
    const b = mint('digitalocean-pat', 61);
    const edited = [...lines];
    edited[4] = `+leading plus ${a}`;
    edited.splice(30, 0, 'inserted');
    edited[edited.length - 1] = `last ${b}`; // changes the final line, which has no newline
    await write(repo, 'conf.txt', edited.join('\n'));
    gitIn(repo, 'commit', '-qam', 'edit');
    const r = await scan(repo, 'history');
    expect(where(r)).toEqual(['conf.txt:41:digitalocean-pat', 'conf.txt:5:gitlab-pat']);
    expect(r.findings.find((f) => f.rule === 'gitlab-pat')!.column).toBe(15);
  });

  it('keeps added lines that begin with a backslash (not `\\ No newline` markers) and the line numbers after them', async () => {
    const repo = await newRepo();
    await write(repo, 'doc.tex', 'intro\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'base');
    const a = mint('gitlab-pat', 70);
    const b = mint('digitalocean-pat', 71);
    await write(repo, 'doc.tex', `intro\n\\section{Setup}\n\\newcommand{\\token}{${a}}\nplain ${b}\n`);
    gitIn(repo, 'commit', '-qam', 'tex');
    const r = await scan(repo, 'history');
    expect(where(r)).toEqual(['doc.tex:3:gitlab-pat', 'doc.tex:4:digitalocean-pat']);
  });

  it('a commit larger than the parse window is processed file by file with the same result', async () => {
    const repo = await newRepo();
    const planted: string[] = [];
    for (let i = 0; i < 40; i++) {
      const secret = i % 9 === 0 ? `\nk = "${mint('pulumi-access-token', i)}"` : '';
      if (secret) planted.push(`f${i}.py:51`);
      await write(repo, `f${i}.py`, `${Array.from({ length: 50 }, (_, l) => `x${l} = ${l}`).join('\n')}${secret}\n`);
    }
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'big');
    const engine = new SecretEngine(defaultConfig().scan);
    for (const maxPending of [500, 32 * 1024 * 1024]) {
      const stats = emptyStats();
      const found: Finding[] = [];
      await scanCommits({
        root: repo,
        revs: ['--all'],
        maxSize: 1 << 20,
        stats,
        isAllowedPath: () => false,
        onFragment: (f) => found.push(...engine.detect(f)),
        maxPending,
      });
      expect(found.map((f) => `${f.file}:${f.line}`).sort(), `window ${maxPending}`).toEqual(planted.sort());
      expect(stats.files).toBe(40);
      expect(stats.commits).toBe(1);
    }
  });

  it('pre-push and range run SAST on the newest version of changed files, blaming only newly added lines', async () => {
    const repo = await newRepo();
    await write(repo, 'old.js', 'module.exports = (code) => eval(code);\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'base');
    const base = gitIn(repo, 'rev-parse', 'HEAD');
    await write(repo, 'app.js', 'const x = 1;\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'add app');
    await write(repo, 'app.js', 'const x = 1;\nfunction run(code) {\n  return eval(code);\n}\n');
    await write(repo, 'old.js', '// touched\nmodule.exports = (code) => eval(code);\n');
    gitIn(repo, 'commit', '-qam', 'add eval');
    const head = gitIn(repo, 'rev-parse', 'HEAD');
    const config = defaultConfig();
    const r = await runScan({
      root: repo,
      cwd: repo,
      source: 'range',
      range: `${base}..HEAD`,
      secrets: true,
      sast: true,
      config,
    });
    const sast = r.findings.filter((f) => f.kind === 'sast');
    expect(sast.map((f) => [f.file, f.line, f.commit])).toEqual([['app.js', 3, head]]);
    const push = await runScan({
      root: repo,
      cwd: repo,
      source: 'pre-push',
      prePushInput: `refs/heads/main ${head} refs/heads/main ${base}\n`,
      secrets: false,
      sast: true,
      config,
    });
    expect(push.findings.filter((f) => f.kind === 'sast').map((f) => f.file)).toEqual(['app.js']);
  });

  it('range scans only the commits in it', async () => {
    const { repo, c3 } = await historyRepo();
    const r = await scan(repo, 'range', { range: 'HEAD~2..HEAD' });
    expect(r.findings.map((f) => [f.file, f.commit])).toEqual([['b.js', c3]]);
    expect(r.stats.commits).toBe(2);
    await expect(scan(repo, 'range', { range: 'nope..HEAD' })).rejects.toThrow(/git log failed/);
  });

  it('pre-push: new branch, nothing new, deleted ref, force push, unknown remote sha', async () => {
    const { repo, c3 } = await historyRepo();
    const remote = await newRepo('sr-remote-');
    gitIn(remote, 'config', 'receive.denyCurrentBranch', 'ignore');
    gitIn(repo, 'remote', 'add', 'origin', remote);
    const head = gitIn(repo, 'rev-parse', 'HEAD');
    const zero = '0'.repeat(40);
    // New branch: every commit not on the remote, including a secret added then removed.
    const first = await scan(repo, 'pre-push', {
      prePushInput: `refs/heads/main ${head} refs/heads/main ${zero}\n`,
      remote: 'origin',
    });
    expect(first.findings.map((f) => f.rule).sort()).toEqual(['anthropic-api-key', 'openai-api-key']);
    expect(first.stats.commits).toBe(4);
    gitIn(repo, 'push', '-q', 'origin', 'main');
    gitIn(repo, 'fetch', '-q', 'origin');
    // Pushing what the remote already has: nothing to scan.
    const again = await scan(repo, 'pre-push', {
      prePushInput: `refs/heads/main ${head} refs/heads/main ${head}\n`,
      remote: 'origin',
    });
    expect(again.findings).toEqual([]);
    expect(again.stats.commits).toBe(0);
    // Deleting a remote branch adds nothing.
    const del = await scan(repo, 'pre-push', {
      prePushInput: `(delete) ${zero} refs/heads/old ${head}\n`,
      remote: 'origin',
    });
    expect(del.stats.commits).toBe(0);
    // Force push of a rewritten branch whose old tip the local repo never had.
    gitIn(repo, 'checkout', '-q', '-b', 'topic', c3);
    await write(repo, 'c.yml', `token: ${mint('doppler-token', 30)}\n`);
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'five');
    const topic = gitIn(repo, 'rev-parse', 'HEAD');
    const unknown = 'f'.repeat(40);
    const forced = await scan(repo, 'pre-push', {
      prePushInput: `refs/heads/topic ${topic} refs/heads/topic ${unknown}\n`,
      remote: 'origin',
    });
    expect(forced.findings.map((f) => [f.file, f.rule, f.commit])).toEqual([['c.yml', 'doppler-token', topic]]);
    expect(forced.stats.commits).toBe(1);
  });

  it('pre-push of an annotated tag scans the commits it brings; a tag of a commit the remote has adds nothing', async () => {
    const { repo } = await historyRepo();
    const remote = await newRepo('sr-remote-');
    gitIn(remote, 'config', 'receive.denyCurrentBranch', 'ignore');
    gitIn(repo, 'remote', 'add', 'origin', remote);
    gitIn(repo, 'push', '-q', 'origin', 'main');
    gitIn(repo, 'fetch', '-q', 'origin');
    const zero = '0'.repeat(40);
    gitIn(repo, 'tag', '-a', 'v1', '-m', 'release 1');
    const old = await scan(repo, 'pre-push', {
      prePushInput: `refs/tags/v1 ${gitIn(repo, 'rev-parse', 'v1')} refs/tags/v1 ${zero}\n`,
      remote: 'origin',
    });
    expect(old.stats.commits).toBe(0);
    // A tag on an unpushed commit: git passes the tag object's id, which names the commit behind it.
    gitIn(repo, 'checkout', '-q', '-b', 'release');
    await write(repo, 'release.env', `TOKEN=${mint('vercel-token', 31)}\n`);
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'release');
    const commit = gitIn(repo, 'rev-parse', 'HEAD');
    gitIn(repo, 'tag', '-a', 'v2', '-m', 'release 2');
    const tagObject = gitIn(repo, 'rev-parse', 'v2');
    expect(tagObject).not.toBe(commit);
    const r = await scan(repo, 'pre-push', {
      prePushInput: `refs/tags/v2 ${tagObject} refs/tags/v2 ${zero}\n`,
      remote: 'origin',
    });
    expect(r.findings.map((f) => [f.file, f.rule, f.commit])).toEqual([['release.env', 'vercel-token', commit]]);
    expect(r.stats.commits).toBe(1);
  });

  it('commit sources skip symlinks and binaries, keep odd names, non-UTF-8 text and files over the size limit apart', async () => {
    const repo = await newRepo();
    const gh = mint('github-pat', 32);
    const slack = mint('slack-bot-token', 33);
    await write(repo, 'new\nline.txt', `${gh}\n`);
    await write(repo, 'caf\u00e9 \u65e5.yml', `k: ${slack}\n`);
    await write(
      repo,
      'latin1.txt',
      Buffer.concat([Buffer.from('caf\xe9 \xff\n', 'latin1'), Buffer.from(`t ${slack}\n`)]),
    );
    await write(repo, 'bin.dat', Buffer.concat([Buffer.from([0, 1]), Buffer.from(gh)]));
    await write(repo, 'big.txt', `${'a'.repeat(2048)}\n${gh}\n`);
    await fsp.symlink(gh, path.join(repo, 'link-to-secret'));
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'odd files');
    const config = defaultConfig();
    config.scan.maxFileSize = 1024;
    const r = await scan(repo, 'history', {}, config);
    expect(where(r)).toEqual(
      ['caf\u00e9 \u65e5.yml:1:slack-bot-token', 'latin1.txt:2:slack-bot-token', 'new\nline.txt:1:github-pat'].sort(),
    );
    expect(r.stats.skipped.binary).toBe(1);
    expect(r.stats.skipped.tooLarge).toBe(1);
    expect(r.stats.skipped.symlink).toBe(1);
    // Deleting the link later is not another skipped symlink.
    gitIn(repo, 'rm', '-q', 'link-to-secret');
    gitIn(repo, 'commit', '-qm', 'drop link');
    expect((await scan(repo, 'history', {}, config)).stats.skipped.symlink).toBe(1);
  });

  it('a change whose added lines hold a NUL byte is binary, as in a files scan, even where git shows it as text', async () => {
    const repo = await newRepo();
    const gh = mint('github-pat', 34);
    // More than 8 KB of text first, so git diffs it as text; then a binary tail with a token-shaped run in it.
    // (PostScript: the scan's attributes make PDF-based formats binary for git already, see binary-formats.)
    const head = `%!PS-Adobe-3.0\n${'% comment line of a drawing\n'.repeat(400)}`;
    await write(repo, 'drawing.ps', head);
    await write(repo, 'notes.txt', 'nothing\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'text');
    await write(repo, 'drawing.ps', Buffer.concat([Buffer.from(head), Buffer.from([0, 7, 0]), Buffer.from(`${gh}\n`)]));
    await write(repo, 'notes.txt', `nothing\ntoken ${gh}\n`);
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'binary tail');
    expect(gitIn(repo, 'log', '-p', '-1', '--', 'drawing.ps')).not.toMatch(/^Binary files/m);
    const r = await scan(repo, 'history');
    expect(where(r)).toEqual(['notes.txt:2:github-pat']);
    expect(r.stats.skipped.binary).toBe(1);
    // the same file in a files scan: binary too
    const files = await scan(repo, 'files');
    expect(where(files)).toEqual(['notes.txt:2:github-pat']);
  });
});
