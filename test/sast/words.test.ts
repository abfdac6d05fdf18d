import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledRulesDir, loadRules } from '../../src/scan/sast/index.js';
import { loadRuleWords } from '../../src/scan/sast/rules.js';
import { containsWord, necessaryWords, wordTester } from '../../src/scan/sast/words.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const words = (regex: string) => necessaryWords({ kind: 'identifier', regex });

describe('words a rule cannot match without', () => {
  it('reads literal alternatives, marking whole tokens only where anchors or punctuation bound them', () => {
    expect(words('^(readFile|fs\\.promises)$')).toEqual(['\\breadFile', 'fs.promises']);
    expect(words('noent|NOENT')).toEqual(['NOENT', 'noent']);
    expect(words('^(console|logger)\\.(log|info|warn)$')).toEqual(['\\bconsole', '\\blogger']);
    // after an optional group the boundary is unknown: plain words
    expect(words('^((child_process|cp)\\.)?(exec|execSync)$')).toEqual(['exec', 'execSync']);
    // inside a longer literal, an alternative is no whole token
    expect(words('^foo(barbaz|quxqux)$')).toEqual(['barbaz', 'quxqux']);
    expect(words('^refer(r)?er$')).toEqual(['refer']);
  });

  it('gives no words where it cannot be sure', () => {
    expect(words('(?i-u:token|secret)')).toBeUndefined();
    expect(words('^\\w+$')).toBeUndefined();
    expect(words('^[a-z]+Sync$')).toBeUndefined();
    expect(necessaryWords({ kind: 'call_expression' })).toBeUndefined();
    // one branch of an `any` without words: the rule may match anywhere
    expect(necessaryWords({ any: [{ regex: '^eval$' }, { kind: 'new_expression' }] })).toBeUndefined();
    expect(necessaryWords({ not: { regex: '^eval$' } })).toBeUndefined();
  });

  it('follows all, any, relations and utilities, and takes pattern identifiers', () => {
    expect(necessaryWords({ all: [{ regex: '^rm$' }, { has: { regex: '^createReadStream$' } }] })).toEqual([
      '\\bcreateReadStream',
    ]);
    expect(
      necessaryWords({ any: [{ regex: '^eval$' }, { matches: 'sink' }] }, { sink: { pattern: 'vm.runInContext($X)' } }),
    ).toEqual(['\\beval', '\\brunInContext']);
    expect(necessaryWords({ pattern: "$A.setHeader('X-Powered-By', $B)" })).toEqual(['\\bsetHeader']);
  });

  it('finds a whole-token word only between non-identifier characters', () => {
    expect(containsWord('fs.open(p)', '\\bopen')).toBe(true);
    expect(containsWord('open(p)', '\\bopen')).toBe(true);
    expect(containsWord('x = reopen(openSync)', '\\bopen')).toBe(false);
    expect(containsWord('x = $open', '\\bopen')).toBe(true);
    expect(containsWord('XML_PARSE_NOENT', 'NOENT')).toBe(true);
  });

  it('a tester for one text answers as containsWord does, for every word of every rule, on real code', async () => {
    const rules = await loadRules(undefined, { withTests: true });
    const all = new Set(
      rules.flatMap((r) => [...(r.words ?? []), ...(r.precheck ?? []), ...(r.metadata?.requires ?? [])]),
    );
    expect(all.size).toBeGreaterThan(100);
    // the rules' own examples, the SAST fixtures, and our sources (which hold many of the words, in many contexts)
    const fixtures = path.resolve(HERE, 'fixtures');
    const texts = [
      ...rules.flatMap((r) => [...(r.tests?.invalid ?? []), ...(r.tests?.valid ?? [])]),
      ...['vulnerable', 'clean'].flatMap((k) =>
        readdirSync(path.join(fixtures, k)).map((f) => readFileSync(path.join(fixtures, k, f), 'utf8')),
      ),
      ...readdirSync(path.resolve(HERE, '../../src/scan/sast')).map((f) =>
        readFileSync(path.resolve(HERE, '../../src/scan/sast', f), 'utf8'),
      ),
      'x = $open; _eval(y); eval_(z); évalué exec',
    ];
    let found = 0;
    for (const text of texts) {
      const has = wordTester(text);
      for (const w of all) {
        const expected = containsWord(text, w);
        expect(has(w), `${w} in ${text.slice(0, 80)}`).toBe(expected);
        expect(has(w)).toBe(expected); // the kept answer too
        if (expected) found++;
      }
    }
    expect(found).toBeGreaterThan(500);
  });

  it('every true example of every rule contains one of its words', async () => {
    const rules = (await loadRules(undefined, { withTests: true })).filter((r) => r.words);
    expect(rules.length).toBeGreaterThan(40);
    let examples = 0;
    for (const r of rules) {
      for (const code of r.tests?.invalid ?? []) {
        examples++;
        expect(
          r.words!.some((w) => containsWord(code, w)),
          `${r.id}: none of ${r.words!.join(' ')} in ${code}`,
        ).toBe(true);
      }
    }
    expect(examples).toBeGreaterThan(100);
  });

  it('the small words file says what the rules say, and is not used once a rule file changes', async () => {
    const rules = await loadRules();
    const words = loadRuleWords();
    expect(words).toEqual(
      rules.map((r) => ({
        id: r.id,
        language: r.language,
        ...(r.precheck ? { precheck: r.precheck } : {}),
        ...(r.metadata?.requires ? { metadata: { requires: r.metadata.requires } } : {}),
        ...(r.words ? { words: r.words } : {}),
      })),
    );
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'sast-words-'));
    try {
      cpSync(bundledRulesDir(), path.join(tmp, 'same'), { recursive: true });
      expect(loadRuleWords(path.join(tmp, 'same'))).toEqual(words);
      cpSync(bundledRulesDir(), path.join(tmp, 'edited'), { recursive: true });
      appendFileSync(path.join(tmp, 'edited', 'javascript', 'js-eval-dynamic.yml'), '\n# edited\n');
      expect(loadRuleWords(path.join(tmp, 'edited'))).toBeUndefined();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
