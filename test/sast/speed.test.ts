import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { createSastDetector } from '../../src/scan/sast/index.js';
import type { Fragment } from '../../src/scan/types.js';

/** 200 real JavaScript files: eslint's own sources, which ship with the dev dependencies. */
async function realJs(count: number): Promise<Fragment[]> {
  const base = path.join(import.meta.dirname, '..', '..', 'node_modules', 'eslint', 'lib');
  const files: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of (await fsp.readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.js')) files.push(p);
    }
  };
  await walk(base);
  return Promise.all(files.slice(0, count).map(async (p) => ({ path: path.relative(base, p), text: await fsp.readFile(p, 'utf8'), commit: null })));
}

describe('SAST speed (generous bounds; the bench has the real figures)', () => {
  it('creates the detector and scans 200 real JS files in under 10 s', async () => {
    const fragments = await realJs(200);
    expect(fragments).toHaveLength(200);
    expect(fragments.reduce((n, f) => n + f.text.length, 0)).toBeGreaterThan(500_000);
    const t0 = performance.now();
    const detector = await createSastDetector(defaultConfig());
    const t1 = performance.now();
    for (const f of fragments) if (detector.wants(f.path)) await detector.detect(f);
    const t2 = performance.now();
    expect(t1 - t0).toBeLessThan(2000);
    expect(t2 - t1).toBeLessThan(10_000);
  });
});
