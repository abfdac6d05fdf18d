import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { SecretEngine } from '../../src/scan/secrets/engine.js';
import { BUILTIN_RULES } from '../../src/scan/secrets/rules/index.js';
import { createRng } from '../../src/scan/secrets/random.js';

const engine = new SecretEngine(defaultConfig().scan);
const ruleIds = (text: string, path = 'sample.txt') => engine.detect({ path, text, commit: null }).map((f) => f.rule);

describe('secret rules as data', () => {
  it('has at least 120 rules with unique ids, keywords and examples', () => {
    expect(BUILTIN_RULES.length).toBeGreaterThanOrEqual(120);
    expect(new Set(BUILTIN_RULES.map((r) => r.id)).size).toBe(BUILTIN_RULES.length);
    for (const r of BUILTIN_RULES) {
      expect(r.id, r.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      // A rule without keywords runs on every fragment unless its file name confines it.
      if (r.keywords.length === 0) {
        expect(r.samplePath, `${r.id} keywords or samplePath`).toBeTruthy();
        expect(r.skipPaths?.test(r.samplePath!), `${r.id} runs at its samplePath`).toBe(false);
        expect(r.skipPaths?.test('sample.txt'), `${r.id} is confined to its files`).toBe(true);
      }
      for (const k of r.keywords) expect(k, `${r.id} keyword ${k}`).toBe(k.toLowerCase());
      expect(r.examples.positive.length, `${r.id} positives`).toBeGreaterThan(0);
      expect(r.regex.flags, r.id).toContain('g');
    }
  });

  it('mints no examples when the rules load (the hook path loads them on every commit)', () => {
    // Each rule's examples are built on first read: an accessor, never a value computed at load time.
    const eager = BUILTIN_RULES.filter(
      (r) => typeof Object.getOwnPropertyDescriptor(r, 'examples')?.get !== 'function',
    );
    expect(eager.map((r) => r.id)).toEqual([]);
    // and the accessor gives the same examples every time
    const first = BUILTIN_RULES.find((r) => r.id === 'private-key-rsa')!;
    expect(first.examples).toBe(first.examples);
    expect(first.examples.positive[0]).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  });

  for (const rule of BUILTIN_RULES) {
    it(`${rule.id}: positives are reported as ${rule.id}, negatives are not`, () => {
      for (const p of rule.examples.positive)
        expect(ruleIds(p, rule.samplePath), `positive ${JSON.stringify(p.slice(0, 60))}`).toContain(rule.id);
      for (const n of rule.examples.negative)
        expect(ruleIds(n, rule.samplePath), `negative ${JSON.stringify(n.slice(0, 60))}`).not.toContain(rule.id);
    });
  }

  it('every rule sample contains one of its keywords (so the prefilter lets it through)', () => {
    const rng = createRng(7);
    for (const r of BUILTIN_RULES.filter((x) => x.keywords.length > 0)) {
      for (let i = 0; i < 5; i++) {
        const s = r.sample(rng).toLowerCase();
        expect(
          r.keywords.some((k) => s.includes(k)),
          `${r.id}: ${s.slice(0, 50)}`,
        ).toBe(true);
      }
    }
  });

  it('GitHub and npm tokens with a wrong CRC32 are not reported as live credentials', () => {
    const rng = createRng(11);
    const gh = BUILTIN_RULES.find((r) => r.id === 'github-pat')!.sample(rng);
    expect(ruleIds(gh)).toContain('github-pat');
    const last = gh.at(-1)!;
    const broken = gh.slice(0, -1) + (last === 'a' ? 'b' : 'a');
    expect(ruleIds(broken)).not.toContain('github-pat');
    const npm = BUILTIN_RULES.find((r) => r.id === 'npm-access-token')!.sample(rng);
    expect(ruleIds(npm)).toContain('npm-access-token');
    expect(ruleIds(npm.slice(0, 10) + npm.slice(11) + 'Q')).not.toContain('npm-access-token');
  });

  it('a specific rule wins over the generic one on the same value', () => {
    const rng = createRng(5);
    const token = BUILTIN_RULES.find((r) => r.id === 'stripe-secret-key')!.sample(rng);
    const ids = ruleIds(`STRIPE_SECRET_KEY="${token}"`);
    expect(ids).toEqual(['stripe-secret-key']);
  });
});
// Regex safety on adversarial input is timing, so it lives in bench/regex-safety.bench.mjs.
