import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_CACHE, loadConfigCached } from '../../src/config/cache.js';
import { defaultConfig } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load.js';
import { tempRepo, type TempRepo } from '../support/repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function repoWith(config: string | null): { r: TempRepo; gitDir: string; cache: string } {
  const r = tempRepo();
  repos.push(r);
  if (config !== null) r.write({ '.secure-repo.yml': config });
  const gitDir = path.join(r.dir, '.git');
  return { r, gitDir, cache: path.join(gitDir, CONFIG_CACHE) };
}

const CONFIG =
  'version: 1\nhooks:\n  preCommit:\n    sast: false\nscan:\n  allowPaths: ["fixtures/**"]\n  maxFileSize: 2048\n';

describe('the config cache (keyed by the content hash of .secure-repo.yml)', () => {
  it('gives exactly what loadConfig gives, first from the file and then from the cache', async () => {
    const { r, gitDir, cache } = repoWith(CONFIG);
    const expected = (await loadConfig(r.dir)).config;
    expect(expected.scan.maxFileSize).toBe(2048);
    expect(existsSync(cache)).toBe(false);
    expect(await loadConfigCached(r.dir, gitDir)).toEqual(expected);
    expect(existsSync(cache)).toBe(true);
    // Proof the second read comes from the cache: a marked entry with the same key is returned as it is.
    const entry = JSON.parse(readFileSync(cache, 'utf8'));
    entry.config.scan.maxFileSize = 4096;
    writeFileSync(cache, JSON.stringify(entry));
    expect((await loadConfigCached(r.dir, gitDir)).scan.maxFileSize).toBe(4096);
  });

  it('an edited file is parsed again (the old entry no longer matches)', async () => {
    const { r, gitDir } = repoWith(CONFIG);
    await loadConfigCached(r.dir, gitDir);
    r.write({ '.secure-repo.yml': CONFIG.replace('2048', '1024') });
    expect((await loadConfigCached(r.dir, gitDir)).scan.maxFileSize).toBe(1024);
  });

  it('an invalid file is never cached: it fails every time, naming the file and line', async () => {
    const { r, gitDir, cache } = repoWith('version: 1\nhooks:\n  preCommit:\n    sast: maybe\n');
    for (let i = 0; i < 2; i++)
      await expect(loadConfigCached(r.dir, gitDir)).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/\.secure-repo\.yml:4/),
      });
    expect(existsSync(cache)).toBe(false);
  });

  it('no file: the defaults, and nothing written', async () => {
    const { r, gitDir, cache } = repoWith(null);
    expect(await loadConfigCached(r.dir, gitDir)).toEqual(defaultConfig());
    expect(existsSync(cache)).toBe(false);
  });

  it('a damaged cache is ignored and replaced; an unwritable git dir only costs the parse', async () => {
    const { r, gitDir, cache } = repoWith(CONFIG);
    mkdirSync(path.dirname(cache), { recursive: true });
    writeFileSync(cache, '{ not json');
    expect((await loadConfigCached(r.dir, gitDir)).scan.maxFileSize).toBe(2048);
    expect(JSON.parse(readFileSync(cache, 'utf8')).config.scan.maxFileSize).toBe(2048);
    // A git dir the cache cannot be written in (here a plain file: no folder can be made under it, even as root).
    const unwritable = path.join(r.home, 'not-a-folder');
    writeFileSync(unwritable, '');
    expect((await loadConfigCached(r.dir, unwritable)).scan.maxFileSize).toBe(2048);
  });
});
