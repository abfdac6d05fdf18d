import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireFreshBuild } from '../support/dist.js';
import { gitIn, isolateGit, mint, newRepo, write } from './support/repo.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist', 'scan', 'run.js');

beforeAll(async () => {
  requireFreshBuild();
  await isolateGit();
});

/**
 * The pre-commit hook calls runScan('staged') in-process: it must not load yaml (without a config), prompts,
 * spinners or octokit. Runs against the build; the time it takes is measured by the bench, not asserted here.
 */
describe('staged scan on the hook path', () => {
  it('is lean for a 20-file staged change (its speed: bench/hooks.bench.mjs)', async () => {
    const repo = await newRepo();
    for (let i = 0; i < 20; i++) {
      const body = Array.from({ length: 60 }, (_, l) => `export const v${l} = ${l * i}; // line ${l}`).join('\n');
      await write(repo, `src/mod${i}.ts`, `${body}\n${i === 7 ? `const t = "${mint('github-pat', 50)}";\n` : ''}`);
    }
    gitIn(repo, 'add', '.');
    const trace = path.join(os.tmpdir(), `sr-trace-${process.pid}.txt`);
    const script = `
      const { runScan } = await import(${JSON.stringify(dist)});
      const { defaultConfig } = await import(${JSON.stringify(path.join(root, 'dist/config/defaults.js'))});
      const times = [];
      let r;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        r = await runScan({ root: ${JSON.stringify(repo)}, cwd: ${JSON.stringify(repo)}, source: 'staged', secrets: true, sast: false, config: defaultConfig() });
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(JSON.stringify({ first: times[0], median: times[2], findings: r.findings.map((f) => f.rule), files: r.stats.files }));
    `;
    const t = performance.now();
    const p = spawnSync(
      process.execPath,
      ['--import', path.join(root, 'test/support/trace-register.mjs'), '--input-type=module', '-e', script],
      {
        cwd: repo,
        env: { ...process.env, TRACE_FILE: trace },
        encoding: 'utf8',
      },
    );
    const wall = performance.now() - t;
    expect(p.status, p.stderr).toBe(0);
    const out = JSON.parse(p.stdout.trim().split('\n').pop()!);
    console.log(
      `staged scan, 20 files: median ${out.median.toFixed(1)} ms in-process; process wall time with 5 runs ${wall.toFixed(0)} ms`,
    );
    expect(out.findings).toEqual(['github-pat']);
    expect(out.files).toBe(20);
    const loaded = readFileSync(trace, 'utf8');
    for (const heavy of ['/yaml/', '@inquirer', '/ora/', '@octokit', 'picomatch', '@ast-grep'])
      expect(loaded, heavy).not.toContain(heavy);
  });
});
