import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { compileRules } from '../../src/scan/sast/engine.js';
import { createSastDetector, loadRules } from '../../src/scan/sast/index.js';
import { languageForPath } from '../../src/scan/sast/languages.js';
import { screenFiles } from '../../src/scan/sast/screen.js';
import type { Finding, Fragment } from '../../src/scan/types.js';
import { fragmentsOf } from './helpers.js';

/**
 * The batch screening (one rule compilation for many files) must change nothing but the time: the same findings
 * with and without it, on the labelled corpus (every file dense with vulnerable code) and on clean code (our own
 * sources, read from disk as a files scan reads them), where it must actually rule files out.
 */
const root = path.resolve(import.meta.dirname, '../..');
const corpus = await fragmentsOf(path.join(import.meta.dirname, 'corpus'));
const clean = (await fragmentsOf(path.join(root, 'src'))).map((f) => ({ ...f, path: `src/${f.path}` }));
const cleanFromDisk: Fragment[] = clean.map((f) => ({ ...f, disk: path.join(root, f.path) }));

const key = (f: Finding) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.fingerprint} ${JSON.stringify(f.flow)}`;

async function findings(fragments: readonly Fragment[], batch: boolean): Promise<string[]> {
  const detector = await createSastDetector(defaultConfig());
  // copies, so what the screening remembers of one run cannot reach the other
  const mine = fragments.filter((f) => detector.wants(f.path)).map((f) => ({ ...f }));
  if (batch) await detector.prepare!(mine);
  const out: Finding[] = [];
  for (const f of mine) out.push(...(await detector.detect(f)));
  return out.map(key).sort();
}

const leftovers = () => readdirSync(os.tmpdir()).filter((n) => n.startsWith('secure-repo-sast-'));

describe('SAST batch screening', () => {
  it('gives the same findings as file-by-file matching on the labelled corpus', async () => {
    const before = await findings(corpus, false);
    expect(before.length).toBeGreaterThan(100);
    expect(await findings(corpus, true)).toEqual(before);
  });

  it('gives the same findings on clean code read from disk, and rules most of those files out', async () => {
    const before = await findings(clean, false);
    expect(await findings(cleanFromDisk, true)).toEqual(before);

    const set = compileRules(await loadRules());
    const inputs = cleanFromDisk.flatMap((f) => {
      const language = languageForPath(f.path);
      return language ? [{ text: f.text, language, disk: f.disk! }] : [];
    });
    expect(inputs.length).toBeGreaterThan(100);
    const result = await screenFiles(set, inputs);
    const screened = result.flatMap((r) => (r.ruledOut ? [r.ruledOut] : []));
    const ruledOut = screened.filter((ids) => ids.size > 0).length;
    expect(screened.length).toBeGreaterThan(30);
    expect(ruledOut / screened.length, `${ruledOut} of ${screened.length}`).toBeGreaterThan(0.8);
  });

  it('screens every language from temporary copies, rules out nothing in vulnerable code, and removes the copies', async () => {
    const before = leftovers();
    const set = compileRules(await loadRules());
    // two copies of each corpus file: the same words, so one group per file
    const inputs = corpus.flatMap((f) => {
      const language = languageForPath(f.path);
      return language
        ? [
            { text: f.text, language },
            { text: f.text, language },
          ]
        : [];
    });
    const result = await screenFiles(set, inputs);
    const screened = new Set(inputs.filter((_, i) => result[i]!.ruledOut !== undefined).map((x) => x.language));
    expect([...screened].sort()).toEqual(['Html', 'JavaScript', 'TypeScript', 'go', 'java', 'php', 'python', 'ruby']);
    // every corpus file holds labelled vulnerable code: none may be ruled out as a whole
    const ruledOut = inputs.filter((_, i) => (result[i]!.ruledOut?.size ?? 0) > 0);
    expect(ruledOut.filter((x) => /expect: /.test(x.text))).toEqual([]);
    expect(leftovers()).toEqual(before);
  });
});
