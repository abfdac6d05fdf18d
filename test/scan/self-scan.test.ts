import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { runScan } from '../../src/scan/run.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Sanity check on real code: the scanner's own sources, tests and benchmark, and every installed dependency,
 * contain no credentials, so any finding here is a false positive (or a literal that should be built from pieces).
 */
describe('self-scan', () => {
  it('finds nothing in the scanner, its tests and its benchmark', async () => {
    const r = await runScan({
      root,
      cwd: root,
      paths: [
        'src/scan',
        'src/cli/commands/scan.ts',
        'test/scan',
        'bench/secrets.bench.mjs',
        'bench/run.mjs',
        'README.md',
      ],
      source: 'files',
      secrets: true,
      sast: false,
      config: defaultConfig(),
    });
    expect(r.stats.files).toBeGreaterThan(20);
    expect(r.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual([]);
  });

  it('finds nothing in node_modules (tens of MB of real third-party code)', async () => {
    const config = defaultConfig();
    const prev = process.env.GIT_DIR;
    // node_modules is git-ignored: scan it as a plain folder.
    process.env.GIT_DIR = path.join(root, 'no-such-git-dir');
    try {
      const r = await runScan({
        root: path.join(root, 'node_modules'),
        cwd: path.join(root, 'node_modules'),
        source: 'files',
        secrets: true,
        sast: false,
        config,
      });
      console.log(
        `node_modules: ${r.stats.files} files, ${(r.stats.bytes / 1e6).toFixed(1)} MB, ${r.findings.length} findings in ${r.stats.ms} ms`,
      );
      expect(r.stats.bytes).toBeGreaterThan(10_000_000);
      expect(r.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual([]);
    } finally {
      if (prev === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = prev;
    }
  });
});
