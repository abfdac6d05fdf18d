import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { SecretEngine } from '../../src/scan/secrets/engine.js';
import { BUILTIN_RULES } from '../../src/scan/secrets/rules/index.js';
import { NEAR_MISSES } from './near-misses.js';

const engine = new SecretEngine(defaultConfig().scan);
const ruleIds = (text: string, path = 'sample.txt') => engine.detect({ path, text, commit: null }).map((f) => f.rule);

describe('hand-written near misses', () => {
  it('every built-in rule has one, and there is none for a rule that does not exist', () => {
    expect(Object.keys(NEAR_MISSES).sort()).toEqual(BUILTIN_RULES.map((r) => r.id).sort());
  });

  for (const rule of BUILTIN_RULES) {
    it(`${rule.id}: its near miss is not reported as ${rule.id}`, () => {
      const text = NEAR_MISSES[rule.id];
      expect(text, 'near miss').toBeTruthy();
      // Read where the rule runs: a near miss in a file the rule never reads would prove nothing.
      expect(ruleIds(text!, rule.samplePath)).not.toContain(rule.id);
    });
  }
});
