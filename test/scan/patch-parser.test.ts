import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanCommits, type FileVersion } from '../../src/scan/sources/commits.js';
import { commitLogArgs } from '../../src/scan/sources/history-log.js';
import { emptyStats } from '../../src/scan/sources/fragments.js';
import type { KeyBlockCandidate } from '../../src/scan/sources/key-blocks.js';
import type { Fragment } from '../../src/scan/types.js';
import { parseWholeLog } from './support/string-patch-parser.js';
import { gitIn, isolateGit, mint, newRepo, rng, write } from './support/repo.js';

beforeAll(async () => {
  await isolateGit();
});

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function commit(repo: string, message: string, ...extra: string[]): void {
  gitIn(repo, 'add', '-A');
  gitIn(repo, 'commit', '-q', '--allow-empty', '-m', message, ...extra);
}

/** A PEM block whose body lines come from `seed` (so a new seed rewrites the body in place). */
function pem(seed: number): string {
  const r = rng(seed);
  const body = Array.from({ length: 10 }, () => r.chars(B64, 64));
  return ['-----BEGIN RSA PRIVATE KEY-----', ...body, '-----END RSA PRIVATE KEY-----'].join('\n');
}

/**
 * A history with what a patch parser can get wrong: renames (with and without edits), binary files, files without
 * a final newline, symlinks and mode changes, deletions, empty commits, a clean merge and a conflict resolution,
 * non-UTF-8 bytes (cut sequences, Latin-1, a stray continuation byte) beside valid multi-byte text, CRLF, odd file
 * names, marker-like text in added and removed lines, hunk headers with a non-ASCII function name, a key body
 * rewritten in place, and lines longer than a read (1 MB) so that lines and commits span reads.
 */
async function edgeCaseHistory(): Promise<string> {
  const repo = await newRepo();
  const r = rng(7);
  await write(repo, 'a.py', `import os\n\ndef caf\u00e9():\n    return 1\n\nKEY = "${mint('github-pat', 1)}"\n`);
  await write(repo, 'crlf.txt', `one\r\ntwo\r\ntoken = "${mint('slack-bot-token', 2)}"\r\n`);
  await write(repo, 'no-newline.txt', `first\nlast line without newline ${mint('gitlab-pat', 3)}`);
  await write(repo, 'bin.dat', Buffer.concat([Buffer.from([0, 1, 2, 10, 255]), Buffer.from(mint('github-pat', 4))]));
  await write(
    repo,
    'moved/old name.txt',
    Array.from({ length: 30 }, (_, i) => `line ${i} ${r.chars(B64, 30)}`).join('\n'),
  );
  await write(repo, 'tab\there.txt', `x\n`);
  await write(repo, 'caf\u00e9 \u65e5\u672c.yml', `k: ${mint('openai-api-key', 5)}\n`);
  await write(repo, 'certs/k.pem', `# test key\n${pem(1)}\n`);
  // A drawing saved as PDF text: git would diff it as text; the scan's attributes make it binary.
  await write(repo, 'art/logo.AI', `%PDF-1.5\n%\u00e2\u00e3\n/Title (${mint('github-pat', 15)})\n`);
  commit(repo, 'base');

  commit(repo, 'empty one');

  // Bytes that are not UTF-8, next to valid multi-byte text: Latin-1, a sequence cut by the newline, a stray
  // continuation byte, a valid 4-byte emoji.
  await write(
    repo,
    'bytes.txt',
    Buffer.concat([
      Buffer.from('caf\xe9 \xff\n', 'latin1'),
      Buffer.from([0xe6, 0x97, 0x0a]),
      Buffer.from([0x80, 0x41, 0x0a]),
      Buffer.from('\u{1f511} emoji \u65e5\u672c\u8a9e\n'),
      Buffer.from(`t ${mint('slack-bot-token', 6)}\n`),
    ]),
  );
  // Text that looks like the patch's own structure, in added lines.
  await write(
    repo,
    'lookalike.txt',
    `diff --git a/x b/x\n\x01${'f'.repeat(40)}\n@@ -1 +1 @@\n+++ b/y\n\\ No newline\n`,
  );
  // The same inside lines, shifted one byte a line: reads of a fixed size start right at `diff --` or the marker
  // byte in the middle of some line (a boundary only where a newline comes before).
  await write(
    repo,
    'shifted.txt',
    Array.from({ length: 300 }, (_, i) => `${'s'.repeat(i % 97)}diff --cc x ${'t'.repeat(i % 89)}\x01${i}\n`).join(''),
  );
  // Edits: several hunks, a change in a function (non-ASCII function name in the hunk header), CRLF edit.
  await write(
    repo,
    'a.py',
    `import os\nimport sys\n\ndef caf\u00e9():\n    return 2  # ${mint('anthropic-api-key', 7)}\n\nKEY = "${mint('github-pat', 1)}"\n`,
  );
  await write(repo, 'crlf.txt', `one\r\nTWO\r\ntoken = "${mint('slack-bot-token', 2)}"\r\nmore\r\n`);
  await write(repo, 'no-newline.txt', `first\nlast line changed ${mint('gitlab-pat', 8)}`);
  await write(repo, 'bin.dat', Buffer.concat([Buffer.from([0, 9, 9]), Buffer.from(mint('github-pat', 9))]));
  await fsp.symlink('a.py', path.join(repo, 'link'));
  await fsp.chmod(path.join(repo, 'tab\there.txt'), 0o755);
  commit(repo, 'edits');

  // Renames: one pure, one with an edit; a deletion; a symlink retargeted; a key body rewritten in place.
  gitIn(repo, 'mv', 'moved/old name.txt', 'moved/new name.txt');
  gitIn(repo, 'mv', 'lookalike.txt', 'renamed-lookalike.txt');
  const moved = await fsp.readFile(path.join(repo, 'moved/new name.txt'), 'utf8');
  await write(repo, 'moved/new name.txt', moved.replace('line 3 ', `line 3 ${mint('digitalocean-pat', 10)} `));
  await fsp.rm(path.join(repo, 'caf\u00e9 \u65e5\u672c.yml'));
  await fsp.rm(path.join(repo, 'link'));
  await fsp.symlink('crlf.txt', path.join(repo, 'link'));
  await write(repo, 'certs/k.pem', `# test key\n${pem(2)}\n`);
  commit(repo, 'renames');

  // Lines longer than a read: one line of 1.5 MB, and a commit of several MB.
  await write(repo, 'long/one-line.txt', `${'y'.repeat(1536 * 1024)} ${mint('github-pat', 11)}\n`);
  for (let i = 0; i < 4; i++) {
    const lines = Array.from({ length: 12000 }, (_, l) => `row ${i}.${l} ${r.chars(B64, 60)}`);
    lines[7000] = `password = "${mint('gitlab-pat', 20 + i)}"`;
    await write(repo, `long/f${i}.txt`, `${lines.join('\n')}\n`);
  }
  commit(repo, 'big');

  // Merges: a clean one, and a conflict resolved with a line neither parent had.
  gitIn(repo, 'checkout', '-q', '-b', 'topic');
  await write(repo, 'conf.py', 'A = 1\nB = 2\nC = 3\n');
  commit(repo, 'topic conf');
  await write(repo, 'conf.py', 'A = 1\nB = "topic"\nC = 3\n');
  commit(repo, 'topic edit');
  gitIn(repo, 'checkout', '-q', '-b', 'side', 'main');
  await write(repo, 'side.txt', `side ${mint('openai-api-key', 12)}\n`);
  commit(repo, 'side');
  gitIn(repo, 'checkout', '-q', 'main');
  await write(repo, 'conf.py', 'A = 1\nB = "main"\nC = 3\n');
  commit(repo, 'main conf');
  // (the first merge adds a line of its own to a file the branch brought: not the last combined diff in the output)
  gitIn(repo, 'merge', '-q', '--no-ff', '--no-commit', 'side');
  await write(repo, 'side.txt', `side ${mint('openai-api-key', 12)}\nevil ${mint('github-pat', 14)}\n`);
  commit(repo, 'merge side');
  expect(() => gitIn(repo, 'merge', '-q', 'topic')).toThrow();
  await write(repo, 'conf.py', `A = 1\nKEY = "${mint('anthropic-api-key', 13)}"\nC = 3\n`);
  commit(repo, 'merge topic');

  // Removed lines that look like structure; a file emptied; a file made of blank added lines.
  await write(repo, 'renamed-lookalike.txt', 'plain\n');
  await write(repo, 'tab\there.txt', '');
  await write(repo, 'blank.txt', '\n\n\n');
  commit(repo, 'last');
  return repo;
}

interface Parsed {
  fragments: Fragment[];
  stats: ReturnType<typeof emptyStats>;
  keyBlocks: KeyBlockCandidate[];
  versions: [string, FileVersion][];
}

interface Reading {
  maxPending?: number;
  readBytes?: number;
  mergesApart?: boolean;
}

/** What a parser is given to fill (the same for both), and what it filled. */
function sink(maxSize: number, raw: boolean) {
  const fragments: Fragment[] = [];
  const stats = emptyStats();
  const keyBlocks: KeyBlockCandidate[] = [];
  const versions = new Map<string, FileVersion>();
  return {
    options: {
      maxSize,
      stats,
      isAllowedPath: (p: string) => p === 'blank.txt',
      onFragment: (f: Fragment) => fragments.push(f),
      keyBlocks,
      ...(raw ? { versions } : {}),
    },
    parsed: (): Parsed => ({ fragments, stats, keyBlocks, versions: [...versions] }),
  };
}

async function byteParser(repo: string, maxSize: number, raw: boolean, reading: Reading = {}): Promise<Parsed> {
  const out = sink(maxSize, raw);
  await scanCommits({ root: repo, revs: ['--all'], ...out.options, ...reading });
  return out.parsed();
}

function stringParser(repo: string, maxSize: number, raw: boolean): Parsed {
  const output = execFileSync('git', commitLogArgs(['--all'], raw), { cwd: repo, maxBuffer: 1 << 28 });
  const out = sink(maxSize, raw);
  parseWholeLog(output, out.options);
  return out.parsed();
}

describe('the byte-level patch parser', () => {
  it('reads what the string parser read: fragments, line maps, counters, key blocks and file versions', async () => {
    const repo = await edgeCaseHistory();
    const big = 4 * 1024 * 1024;
    const expected = stringParser(repo, big, true);
    // The history holds every case the parser must get right (so the comparison below covers them).
    const texts = expected.fragments.map((f) => f.text);
    expect(expected.stats.commits).toBe(12);
    expect(expected.fragments.map((f) => f.path)).toEqual(
      expect.arrayContaining(['bytes.txt', 'crlf.txt', 'no-newline.txt', 'moved/new name.txt', 'conf.py']),
    );
    expect(texts.some((t) => t.includes('\ufffd') && t.includes('\u{1f511}'))).toBe(true);
    expect(texts.some((t) => t.includes('\r\n'))).toBe(true);
    expect(texts.some((t) => t.length > 1536 * 1024)).toBe(true);
    expect(texts.some((t) => t.includes('\x01ffff'))).toBe(true);
    // Both merges' own lines (the combined diffs), and not as the last commit.
    const merged = expected.fragments.filter(
      (f) => f.text.includes(mint('github-pat', 14)) || f.text.includes(mint('anthropic-api-key', 13)),
    );
    expect(merged.map((f) => f.path)).toEqual(['side.txt', 'conf.py']);
    expect(expected.stats.skipped).toEqual({ binary: 3, tooLarge: 0, symlink: 2, allowedPath: 1 });
    expect(expected.fragments.some((f) => f.path === 'art/logo.AI')).toBe(false);
    expect(expected.keyBlocks.map((k) => k.path)).toEqual(['certs/k.pem']);
    expect(expected.versions.length).toBeGreaterThan(8);

    // Merges read from a second process as well as inline, with every way of cutting the output.
    for (const mergesApart of [false, true]) {
      for (const maxPending of [undefined, 200, 64 * 1024]) {
        const label = `merges ${mergesApart ? 'apart' : 'inline'}, window ${maxPending ?? 'default'}`;
        expect(await byteParser(repo, big, true, { maxPending, mergesApart }), label).toEqual(expected);
      }
      // Reads that end anywhere: inside marker lines, `diff --` headers, hunk headers and multi-byte characters,
      // and just before or after a newline (odd sizes, so the ends move through the patch).
      for (const readBytes of [61, 4093]) {
        const label = `merges ${mergesApart ? 'apart' : 'inline'}, reads of ${readBytes}`;
        expect(await byteParser(repo, big, true, { readBytes, mergesApart }), label).toEqual(expected);
        expect(await byteParser(repo, big, true, { maxPending: 200, readBytes, mergesApart }), label).toEqual(expected);
      }
    }
    // Through pipes (no usable temp folder): the merges' process waits on its full pipe until the main stream
    // reaches each merge.
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = path.join(repo, 'no-such-folder');
    try {
      expect(await byteParser(repo, big, true, { mergesApart: true }), 'through pipes').toEqual(expected);
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
    // Without --raw, and with a size limit that skips the long files.
    expect(await byteParser(repo, big, false)).toEqual(stringParser(repo, big, false));
    const small = stringParser(repo, 64 * 1024, false);
    expect(small.stats.skipped.tooLarge).toBe(5);
    expect(await byteParser(repo, 64 * 1024, false, { maxPending: 200 })).toEqual(small);
    expect(await byteParser(repo, 64 * 1024, false, { maxPending: 200, mergesApart: true })).toEqual(small);
  });
});
