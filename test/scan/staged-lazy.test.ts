import { promises as fsp, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { runScan } from '../../src/scan/run.js';
import { createSastDetector, languagesToScan } from '../../src/scan/sast/index.js';
import { SecretEngine } from '../../src/scan/secrets/engine.js';
import { createRng } from '../../src/scan/secrets/random.js';
import { BUILTIN_RULES } from '../../src/scan/secrets/rules/index.js';
import { emptyStats } from '../../src/scan/sources/fragments.js';
import { stagedFragments } from '../../src/scan/sources/staged.js';
import type { Finding } from '../../src/scan/types.js';
import { buildCorpus } from './support/corpus.js';
import { gitIn, isolateGit, newRepo, write } from './support/repo.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../sast/fixtures');
const key = (f: Finding) => `${f.file}:${f.line}:${f.column}:${f.rule}`;

let repo: string;

beforeAll(async () => {
  await isolateGit();
  repo = await newRepo();
  for (const [name, text] of buildCorpus(BUILTIN_RULES, createRng(7), 1).files) await write(repo, name, text);
  for (const kind of ['vulnerable', 'clean']) {
    for (const f of readdirSync(path.join(FIXTURES, kind)))
      await write(
        repo,
        `sast/${kind}/${f.replace(/\.fixture$/, '')}`,
        readFileSync(path.join(FIXTURES, kind, f), 'utf8'),
      );
  }
  // Code that holds none of the words any rule looks for, in several languages.
  await write(repo, 'plain/util.py', 'def add(a, b):\n    return a + b\n');
  await write(repo, 'plain/util.go', 'package util\n\nfunc Add(a, b int) int { return a + b }\n');
  await write(repo, 'plain/util.ts', 'export const add = (a: number, b: number) => a + b;\n');
  gitIn(repo, 'add', '-A');
});

describe('the staged scan loads detectors lazily and finds the same', () => {
  it('equals every detector run eagerly on every staged file', async () => {
    const config = defaultConfig();
    const lazy = await runScan({ root: repo, cwd: repo, source: 'staged', secrets: true, sast: true, config });
    const fragments = await stagedFragments(repo, config.scan.maxFileSize, emptyStats(), () => false);
    const engine = new SecretEngine(config.scan);
    const sast = await createSastDetector(config);
    const eager: Finding[] = [];
    for (const f of fragments) {
      eager.push(...engine.detect(f));
      if (sast.wants(f.path)) eager.push(...(await sast.detect(f)));
    }
    expect(fragments.length).toBeGreaterThan(20);
    expect(eager.filter((f) => f.kind === 'sast').length).toBeGreaterThan(10);
    expect(eager.filter((f) => f.kind === 'secret').length).toBeGreaterThan(50);
    expect(lazy.findings.map(key).sort()).toEqual(eager.map(key).sort());
  });

  it('languagesToScan names a language only when a rule of it may match a staged file', async () => {
    const config = defaultConfig();
    const files = [
      { path: 'a.py', text: 'def add(a, b):\n    return a + b\n' },
      { path: 'b.js', text: 'export const x = 1;\n' },
      { path: 'README.md', text: 'eval(x) exec(y)\n' },
    ];
    expect([...(await languagesToScan(config, files))]).toEqual([]);
    const vulnerable = readFileSync(path.join(FIXTURES, 'vulnerable', 'app.py.fixture'), 'utf8');
    expect([...(await languagesToScan(config, [...files, { path: 'c.py', text: vulnerable }]))]).toEqual(['python']);
    const off = defaultConfig();
    off.scan.sast.enabled = false;
    expect([...(await languagesToScan(off, [{ path: 'c.py', text: vulnerable }]))]).toEqual([]);
  });

  it('a staged file over the size limit is skipped as too large (read in the same single cat-file call)', async () => {
    const big = await newRepo();
    await write(big, 'small.txt', 'hello\n');
    await write(big, 'big.txt', `${'x'.repeat(5000)}\n`);
    gitIn(big, 'add', '-A');
    const stats = emptyStats();
    const fragments = await stagedFragments(big, 1000, stats, () => false);
    expect(fragments.map((f) => f.path)).toEqual(['small.txt']);
    expect(stats.skipped.tooLarge).toBe(1);
    await fsp.rm(big, { recursive: true, force: true });
  });
});
