import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { createSastDetector } from '../../src/scan/sast/index.js';
import type { Finding } from '../../src/scan/types.js';
import { expectedMarkers, fragmentsOf } from './helpers.js';

/**
 * The labelled SAST corpus (test/sast/corpus/<language>/): realistic handlers written from each class's
 * documentation (CWE, OWASP cheat sheets, framework security docs), every vulnerable line marked
 * `expect: <rule>`, next to safe twins that must stay quiet. Scored per language on `file:line rule`.
 */
const CORPUS = path.join(import.meta.dirname, 'corpus');
const fragments = await fragmentsOf(CORPUS);
const detector = await createSastDetector(defaultConfig());
const found: Finding[] = [];
for (const f of fragments) if (detector.wants(f.path)) found.push(...(await detector.detect(f)));
const expected = new Set(expectedMarkers(fragments));
const got = new Set(found.map((f) => `${f.file}:${f.line} ${f.rule}`));
const languages = [...new Set(fragments.map((f) => f.path.split('/')[0]!))].sort();

describe('labelled SAST corpus', () => {
  it('has labels in every language folder, and safe code next to them', () => {
    expect(languages).toEqual(['go', 'java', 'javascript', 'php', 'python', 'ruby', 'templates']);
    for (const lang of languages) {
      const labels = [...expected].filter((k) => k.startsWith(`${lang}/`));
      expect(labels.length, lang).toBeGreaterThanOrEqual(
        lang === 'go' || lang === 'javascript' || lang === 'python' ? 20 : 5,
      );
    }
    // safe twins: code the rules must not report, marked as such in each file
    const twins = fragments.filter((f) => /safe twin/i.test(f.text)).length;
    expect(twins).toBeGreaterThanOrEqual(fragments.length * 0.75);
  });

  for (const lang of ['go', 'java', 'javascript', 'php', 'python', 'ruby', 'templates']) {
    it(`${lang}: recall >= 90% and precision >= 95%`, () => {
      const mine = (k: string) => k.startsWith(`${lang}/`);
      const exp = [...expected].filter(mine);
      const hits = [...got].filter(mine);
      const tp = hits.filter((k) => expected.has(k));
      const fp = hits.filter((k) => !expected.has(k));
      const fn = exp.filter((k) => !got.has(k));
      const recall = tp.length / exp.length;
      const precision = tp.length / Math.max(1, tp.length + fp.length);
      const summary = `${lang}: labels ${exp.length}, TP ${tp.length}, FP ${fp.length} ${fp.join(', ')}, FN ${fn.length} ${fn.join(', ')}`;
      expect(exp.length).toBeGreaterThan(0);
      expect(recall, summary).toBeGreaterThanOrEqual(0.9);
      expect(precision, summary).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('taint findings carry the path from the source line to the sink line', () => {
    const flows = found.filter((f) => f.flow);
    expect(flows.length).toBeGreaterThanOrEqual(40);
    for (const f of flows) {
      expect(f.flow!.length, `${f.file}:${f.line}`).toBeGreaterThanOrEqual(2);
      expect(f.flow!.at(-1)!.line, `${f.file}:${f.line}`).toBe(f.line);
      expect(f.cwe, f.rule).toMatch(/^CWE-\d+$/);
    }
    // a source two lines above its sink: `const { id } = req.params;` … `pool.query(sql)`
    const sql = found.find((f) => f.file === 'javascript/orders-api.js' && f.rule === 'js-sql-injection');
    expect(sql?.flow?.map((s) => s.line)).toEqual([12, 13]);
  });
});
