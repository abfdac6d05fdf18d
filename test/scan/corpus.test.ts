import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { runScan, type ScanResult } from '../../src/scan/run.js';
import { createRng } from '../../src/scan/secrets/random.js';
import { BUILTIN_RULES } from '../../src/scan/secrets/rules/index.js';
import { buildCorpus, type Corpus } from './support/corpus.js';

/**
 * The labeled corpus: format-valid random credentials of every rule's kind in realistic files, plus look-alike
 * decoys. Recall and precision are measured against the labels; the bar is recall >= 97%, precision >= 98%.
 */
let dir: string;
let corpus: Corpus;
let result: ScanResult;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sr-corpus-'));
  corpus = buildCorpus(BUILTIN_RULES, createRng(20240607), 4);
  for (const [name, text] of corpus.files) {
    await fsp.mkdir(path.join(dir, path.dirname(name)), { recursive: true });
    await fsp.writeFile(path.join(dir, name), text);
  }
  result = await runScan({ root: dir, cwd: dir, source: 'files', secrets: true, sast: false, config: defaultConfig() });
});

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('labeled corpus', () => {
  it('meets recall >= 97% and precision >= 98%', () => {
    const expected = new Set(corpus.labels.map((l) => `${l.file}:${l.line}:${l.rule}`));
    const found = new Set(result.findings.map((f) => `${f.file}:${f.line}:${f.rule}`));
    const tp = [...found].filter((k) => expected.has(k));
    const fp = [...found].filter((k) => !expected.has(k));
    const fn = [...expected].filter((k) => !found.has(k));
    const recall = tp.length / expected.size;
    const precision = tp.length / (tp.length + fp.length);
    const summary = `labels ${expected.size}, decoys ${corpus.decoys}, TP ${tp.length}, FP ${fp.length}, FN ${fn.length}, recall ${(recall * 100).toFixed(2)}%, precision ${(precision * 100).toFixed(2)}%`;
    console.log(summary);
    if (fp.length) console.log('false positives:', fp.slice(0, 20));
    if (fn.length) console.log('missed:', fn.slice(0, 20));
    expect(recall, summary).toBeGreaterThanOrEqual(0.97);
    expect(precision, summary).toBeGreaterThanOrEqual(0.98);
  });

  it('covers every rule kind and never prints a planted secret whole', () => {
    const rulesFound = new Set(result.findings.map((f) => f.rule));
    expect(rulesFound.size).toBeGreaterThanOrEqual(BUILTIN_RULES.length * 0.97);
    for (const f of result.findings) {
      expect(f.secret).toBeDefined();
      expect(f.secret!.length).toBeLessThan(f.match!.length);
      expect(f.secret).toContain('****');
    }
  });
});
