import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyStats } from '../../src/scan/sources/fragments.js';
import { adoptStagedDiff, stagedFragments } from '../../src/scan/sources/staged.js';
import { gitIn, isolateGit, newRepo, write } from './support/repo.js';

// The staged source reads each file from a patch written with the whole file as context, instead of asking
// `git cat-file` for the blob. Whatever the file holds, that must give the blob's bytes exactly, and the same added
// lines as a zero-context diff.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repos: string[] = [];
beforeAll(async () => {
  await isolateGit();
});
afterAll(async () => {
  for (const r of repos) await fsp.rm(r, { recursive: true, force: true });
});

/** What git stores for PATH in the index, read with cat-file (the reference). */
function indexBlob(repo: string, p: string): Buffer {
  return execFileSync('git', ['cat-file', 'blob', `:${p}`], { cwd: repo });
}

/** Added line numbers of PATH from `git diff --cached -U0 -- PATH` (the reference), from its hunk headers. */
function addedLinesU0(repo: string, p: string): number[] {
  const out = execFileSync('git', ['diff', '--cached', '--no-renames', '-U0', '--no-color', '--', p], {
    cwd: repo,
    encoding: 'utf8',
  });
  const added: number[] = [];
  for (const m of out.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    const start = Number(m[1]);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    for (let n = start; n < start + count; n++) added.push(n);
  }
  return added;
}

/** A repository with one commit of BEFORE and the files of AFTER staged on top. */
async function staged(
  before: Record<string, string | Buffer>,
  after: Record<string, string | Buffer>,
  config: string[][] = [],
): Promise<string> {
  const repo = await newRepo();
  repos.push(repo);
  for (const [k, v] of config) gitIn(repo, 'config', k!, v!);
  for (const [p, c] of Object.entries(before)) await write(repo, p, c);
  gitIn(repo, 'add', '-A');
  gitIn(repo, 'commit', '-qm', 'base', '--allow-empty');
  for (const [p, c] of Object.entries(after)) await write(repo, p, c);
  gitIn(repo, 'add', '-A');
  return repo;
}

async function expectExact(repo: string, paths: string[]) {
  const fragments = await stagedFragments(repo, 10 * 1024 * 1024, emptyStats(), () => false);
  expect(fragments.map((f) => f.path).sort()).toEqual([...paths].sort());
  for (const f of fragments) {
    expect(f.text, f.path).toBe(indexBlob(repo, f.path).toString('utf8'));
    expect(
      [...f.addedLines!].sort((a, b) => a - b),
      f.path,
    ).toEqual(addedLinesU0(repo, f.path));
  }
  return fragments;
}

const tricky = [
  'plain line',
  'diff --git a/x b/x', // a line that reads like a patch header
  '@@ -1,2 +1,2 @@',
  '\\ No newline at end of file',
  'Binary files a/x and b/x differ',
  '+++ b/other',
  '--- a/other',
  '',
  '',
  '   indented',
].join('\n');

describe('staged files read from one whole-file patch', () => {
  it('gives the staged bytes and the added lines exactly, whatever the lines look like', async () => {
    const repo = await staged(
      {
        'mod.txt': `${tricky}\nkeep\n`,
        'lose-newline.txt': 'a\nb\n',
        'gain-newline.txt': 'a\nb',
        'both-no-newline.txt': 'a\nb',
        'shrink.txt': 'a\nb\nc\n',
      },
      {
        'mod.txt': `first\n${tricky}\nkeep\nlast\n`,
        'new.txt': `${tricky}\n`,
        'new-no-newline.txt': 'one\ntwo',
        'lose-newline.txt': 'a\nb',
        'gain-newline.txt': 'a\nb\n',
        'both-no-newline.txt': 'z\na\nb',
        'shrink.txt': '',
        'crlf.txt': 'one\r\ntwo\r\n',
        'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a, 0xff, 0xfe, 0x0a]),
        'dir with space/ünï\tcode.txt': 'name with a tab\n',
      },
    );
    await expectExact(repo, [
      'mod.txt',
      'new.txt',
      'new-no-newline.txt',
      'lose-newline.txt',
      'gain-newline.txt',
      'both-no-newline.txt',
      'shrink.txt',
      'crlf.txt',
      'latin1.txt',
      'dir with space/ünï\tcode.txt',
    ]);
  });

  it('holds with settings that change how git writes patches', async () => {
    const repo = await staged({ 'a.txt': 'x\n\ny\n\nz\n' }, { 'a.txt': 'x\n\ny\nnew\n\nz\n', 'b.txt': '\n\nb\n' }, [
      ['diff.suppressBlankEmpty', 'true'], // empty context lines lose their leading space
      ['diff.noprefix', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['diff.algorithm', 'histogram'],
      ['diff.context', '0'],
      ['color.diff', 'always'],
    ]);
    await expectExact(repo, ['a.txt', 'b.txt']);
  });

  it('reads a mode-only change and an empty new file from their blobs, and skips binaries', async () => {
    const repo = await staged(
      { 'run.sh': 'echo hi\n' },
      { 'empty.txt': '', 'img.bin': Buffer.from([0x89, 0x50, 0x00, 0x01, 0x0a]), 'text.txt': 'text\n' },
    );
    gitIn(repo, 'update-index', '--chmod=+x', 'run.sh');
    const stats = emptyStats();
    const fragments = await stagedFragments(repo, 1024, stats, () => false);
    expect(fragments.map((f) => [f.path, f.text, [...f.addedLines!]])).toEqual([
      ['empty.txt', '', []],
      ['run.sh', 'echo hi\n', []],
      ['text.txt', 'text\n', [1]],
    ]);
    expect(stats.skipped.binary).toBe(1);
  });

  it('skips a file over the size limit, and a text file git is told is binary', async () => {
    const repo = await staged(
      { '.gitattributes': '*.dat binary\n' },
      { 'big.txt': `${'x'.repeat(3000)}\n`, 'small.txt': 'ok\n', 'table.dat': 'looks like text\n' },
    );
    const stats = emptyStats();
    const fragments = await stagedFragments(repo, 1000, stats, () => false);
    expect(fragments.map((f) => f.path)).toEqual(['small.txt']);
    expect(stats.skipped.tooLarge).toBe(1);
    expect(stats.skipped.binary).toBe(1);
  });

  it('many files in one commit stay matched to their own content', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++)
      files[`src/f${String(i).padStart(2, '0')}.js`] = `export const v${i} = ${i};\n`.repeat(i % 5);
    const repo = await staged({}, files);
    const fragments = await expectExact(repo, Object.keys(files));
    expect(fragments.length).toBe(60);
    expect(path.basename(fragments[7]!.path)).toBe('f07.js');
  });

  it('takes the diff the hook entry started early only when it ran the same arguments, and calls git when it failed', async () => {
    const repo = await staged({}, { 'real.txt': 'from git\n' });
    // the arguments bin/hook.cjs runs, read from the file itself
    const entry = await fsp.readFile(path.join(ROOT, 'bin', 'hook.cjs'), 'utf8');
    const block = /const STAGED_DIFF = \[([\s\S]*?)\];/.exec(entry)![1]!;
    const args = [...block.matchAll(/'([^']*)'|`([^`]*)`/g)].map((m) =>
      m[1] !== undefined ? m[1] : m[2]!.replace('${2 ** 31 - 1}', String(2 ** 31 - 1)),
    );
    expect(args.slice(0, 2)).toEqual(['diff', '--cached']);
    // A diff of another repository, handed over as the entry's result: adopted, so its file is what is read.
    const other = await staged({}, { 'handed-over.txt': 'from the entry\n' });
    const handed = execFileSync('git', args, { cwd: other });
    const early = (stdout: Buffer | null) => Promise.resolve({ stdout, started: 0, ended: 1 });
    adoptStagedDiff(repo, args, early(handed));
    expect((await stagedFragments(repo, 1 << 20, emptyStats(), () => false)).map((f) => f.text)).toEqual([
      'from the entry\n',
    ]);
    // other arguments (an entry of another version): not taken, git is asked
    adoptStagedDiff(repo, [...args, '--stat'], early(handed));
    expect((await stagedFragments(repo, 1 << 20, emptyStats(), () => false)).map((f) => f.text)).toEqual([
      'from git\n',
    ]);
    // the entry's git call failed: asked again
    adoptStagedDiff(repo, args, early(null));
    expect((await stagedFragments(repo, 1 << 20, emptyStats(), () => false)).map((f) => f.text)).toEqual([
      'from git\n',
    ]);
  });
});
