import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireFreshBuild } from '../support/dist.js';
import { threadCount } from '../../src/scan/secrets/pool.js';
import { isolateGit, mint, newRepo, write } from './support/repo.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'secure-repo.js');

beforeAll(async () => {
  requireFreshBuild();
  await isolateGit();
});

/** Large trees go to worker threads (the built worker module is needed, so this runs the built CLI). */
describe('worker threads', () => {
  it('a tree over the parallel threshold is split across workers and every planted secret is found once', async () => {
    const repo = await newRepo();
    const planted: string[] = [];
    const filler = Array.from({ length: 400 }, (_, i) => `export function f${i}(a, b) { return a * ${i} + b; }`).join(
      '\n',
    );
    for (let i = 0; i < 600; i++) {
      const secret = i % 100 === 7 ? `\nconst k = "${mint('sendgrid-api-key', i)}";` : '';
      if (secret) planted.push(`src/m${i}.js`);
      await write(repo, `src/m${i}.js`, `${filler}${secret}\n`);
    }
    const p = spawnSync(process.execPath, [bin, 'scan', '--secrets-only', '--format', 'json'], {
      cwd: repo,
      encoding: 'utf8',
      // Two threads whatever the machine's load (on a busy machine the scan would otherwise keep to one).
      env: { ...process.env, SECURE_REPO_THREADS: '2' },
    });
    expect(p.status, p.stderr).toBe(1);
    const out = JSON.parse(p.stdout);
    expect(out.stats.files).toBe(600);
    expect(out.stats.bytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(out.findings.map((f: { file: string }) => f.file).sort()).toEqual(planted.sort());
    for (const f of out.findings) expect(f.line).toBe(401);
  });
});

describe('thread count', () => {
  it('one thread per idle core by the load average, at most 8, at least 1; SECURE_REPO_THREADS decides instead', () => {
    expect(threadCount(2, 0.1, undefined)).toBe(2);
    expect(threadCount(2, 0.9, undefined)).toBe(1);
    expect(threadCount(2, 12, undefined)).toBe(1);
    expect(threadCount(8, 2, undefined)).toBe(6);
    expect(threadCount(64, 0, undefined)).toBe(8);
    expect(threadCount(2, 12, '2')).toBe(2);
    expect(threadCount(2, 0, '1')).toBe(1);
    expect(threadCount(2, 0, 'lots')).toBe(2);
  });
});
