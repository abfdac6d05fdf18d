import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { secretRulesJson } from '../../src/scan/secrets/rules-data.js';
import { BUILTIN_RULES, RULE_GROUPS } from '../../src/scan/secrets/rules/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('secret rules reviewable as data', () => {
  it('rules/secrets.json is what the rules compile to (run `npm run build && npm run rules:secrets` after a change)', () => {
    const committed = readFileSync(path.join(root, 'rules', 'secrets.json'), 'utf8');
    expect(committed).toBe(secretRulesJson(BUILTIN_RULES));
  });

  it("the README's rule table lists every group, its count and its ids in order", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('### Rules'),
      readme.indexOf('Precision measures built into the rules'),
    );
    expect(section.length).toBeGreaterThan(100);
    const total = /^(\d+) rules, each data/m.exec(section);
    expect(total?.[1], 'the "N rules" sentence').toBe(String(BUILTIN_RULES.length));
    const rows = [...section.matchAll(/^\| ([a-z-]+) \| (\d+) \| (.+) \|$/gm)].map((m) => ({
      group: m[1]!,
      count: Number(m[2]),
      ids: [...m[3]!.matchAll(/`([a-z0-9-]+)`/g)].map((x) => x[1]),
    }));
    const expected = Object.entries(RULE_GROUPS).map(([group, rules]) => ({
      group,
      count: rules.length,
      ids: rules.map((r) => r.id),
    }));
    expect(expected.length).toBeGreaterThan(10);
    expect(rows).toEqual(expected);
  });
});
