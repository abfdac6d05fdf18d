import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { activeRules } from '../../src/scan/secrets/engine.js';
import { KeywordPrefilter } from '../../src/scan/secrets/prefilter.js';
import { createRng } from '../../src/scan/secrets/random.js';
import { BUILTIN_RULES } from '../../src/scan/secrets/rules/index.js';
import { buildCorpus } from './support/corpus.js';

const keywords = activeRules(defaultConfig().scan).map((r) => r.keywords);
const prefilter = new KeywordPrefilter(keywords);

/** What the prefilter must answer, the slow way: ASCII letters folded, anything else compared as it is. */
function naive(text: string): Uint8Array {
  const folded = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return Uint8Array.from(keywords, (kws) => (kws.some((k) => folded.includes(k)) ? 1 : 0));
}

describe('keyword prefilter', () => {
  const corpus = [...buildCorpus(BUILTIN_RULES, createRng(5), 1).files.values()];
  const texts = [
    ...corpus,
    // keywords broken by non-ASCII characters, Latin-1 and astral ones, upper case, and at the very ends
    'GHP_ token SeCrEt',
    'gh\u00e9p_ se\u00a0cret pa\u{1f511}ssword api_kéy',
    'sk',
    '\u00ff\u0100x-usAKIA',
  ];

  it('flags exactly the rules whose keywords occur, from text and from its UTF-8 bytes alike', () => {
    expect(corpus.length).toBeGreaterThan(20);
    let flagged = 0;
    for (const text of texts) {
      const want = naive(text);
      expect([...prefilter.match(text)], JSON.stringify(text.slice(0, 60))).toEqual([...want]);
      expect([...prefilter.matchBytes(Buffer.from(text, 'utf8'))], JSON.stringify(text.slice(0, 60))).toEqual([
        ...want,
      ]);
      flagged += want.reduce((n, x) => n + x, 0);
    }
    expect(flagged).toBeGreaterThan(texts.length);
  });

  it('a keyword split by a non-ASCII character does not match', () => {
    const p = new KeywordPrefilter([['secret'], ['token']]);
    expect([...p.match('sec\u00e9ret tok\u{1f511}en')]).toEqual([0, 0]);
    expect([...p.matchBytes(Buffer.from('sec\u00e9ret TOKEN'))]).toEqual([0, 1]);
  });
});
