import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/scan/secrets/random.js';
import { BUILTIN_RULES } from '../../src/scan/secrets/rules/index.js';
import { buildCorpus } from './support/corpus.js';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/scan/secrets');
const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.join(DIST, file)).href)) as T;

type Prefilter = { match: (text: string) => Uint8Array };
interface CacheModule {
  PREFILTER_FILE: URL;
  prefilterFor: (k: readonly (readonly string[])[]) => Prefilter;
}

/** The stored tables (dist/scan/secrets/prefilter.bin, written by the build) must behave exactly as built ones. */
describe.skipIf(!existsSync(path.join(DIST, 'prefilter-cache.js')))('stored prefilter tables', () => {
  it('the build stores them, and they flag the same rules as freshly built tables on every corpus file', async () => {
    const cache = await load<CacheModule>('prefilter-cache.js');
    const { KeywordPrefilter } = await load<{
      KeywordPrefilter: new (k: readonly (readonly string[])[]) => Prefilter & { tables: unknown };
    }>('prefilter.js');
    const { activeRules } = await load<{ activeRules: (s: unknown) => { keywords: string[] }[] }>('engine.js');
    const { defaultConfig } = await import('../../src/config/defaults.js');
    expect(existsSync(cache.PREFILTER_FILE)).toBe(true);
    const keywords = activeRules(defaultConfig().scan).map((r) => r.keywords);
    const stored = cache.prefilterFor(keywords);
    const built = new KeywordPrefilter(keywords);
    const files = [...buildCorpus(BUILTIN_RULES, createRng(11), 1).files.values()];
    expect(files.length).toBeGreaterThan(20);
    let flagged = 0;
    for (const text of files) {
      const a = stored.match(text);
      expect(Buffer.from(a).equals(Buffer.from(built.match(text)))).toBe(true);
      flagged += a.reduce((n, x) => n + x, 0);
    }
    expect(flagged).toBeGreaterThan(files.length);
    // Other keywords (a custom rule) do not match the stored key: tables are built for them, and still work.
    const custom = [...keywords, ['zzcustomkw']];
    expect(cache.prefilterFor(custom).match('x zzcustomkw y')[custom.length - 1]).toBe(1);
  });
});
