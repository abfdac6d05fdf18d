import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireFreshBuild } from '../support/dist.js';
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
      env: process.env,
    });
    expect(p.status, p.stderr).toBe(1);
    const out = JSON.parse(p.stdout);
    expect(out.stats.files).toBe(600);
    expect(out.stats.bytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(out.findings.map((f: { file: string }) => f.file).sort()).toEqual(planted.sort());
    for (const f of out.findings) expect(f.line).toBe(401);
  });
});
