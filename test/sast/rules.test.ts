import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/scan/sast/rules.js';
import { verifyRules } from '../../src/scan/sast/verify.js';

const rules = await loadRules(undefined, { withTests: true });
const results = verifyRules(rules);

describe('bundled SAST rules verify against their own samples', () => {
  it('has rules, each with valid and invalid samples', () => {
    expect(rules.length).toBeGreaterThan(20);
    for (const r of rules) {
      expect(r.tests?.invalid?.length ?? 0, `${r.id} invalid samples`).toBeGreaterThan(0);
      expect(r.tests?.valid?.length ?? 0, `${r.id} valid samples`).toBeGreaterThan(0);
    }
  });

  for (const rule of rules) {
    it(rule.id, () => {
      const mine = results.filter((r) => r.rule === rule.id);
      const wrong = mine.filter((r) => r.outcome === 'noisy' || r.outcome === 'missing');
      expect(wrong.map((w) => `${w.outcome} [${w.language}] ${w.snippet}`)).toEqual([]);
      // Every sample must parse in the rule's own language, or the sample proves nothing.
      const own = mine.filter((r) => r.language === mine[0]?.language && r.outcome === 'unparsable');
      expect(own.map((w) => w.snippet)).toEqual([]);
    });
  }
});
