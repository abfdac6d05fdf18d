import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitIn, isolateGit, mint, newRepo, write } from './support/repo.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist', 'scan', 'run.js');

beforeAll(async () => {
  await isolateGit();
});

/**
 * The pre-commit hook calls runScan('staged') in-process: it must not load yaml (without a config), prompts,
 * spinners or octokit. Runs against the build. (How long it takes is measured in bench/hooks.bench.mjs.)
 */
describe.skipIf(!existsSync(dist))('staged scan on the hook path', () => {
  it('is lean for a 20-file staged change, and finds the one token in it', async () => {
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
      const r = await runScan({ root: ${JSON.stringify(repo)}, cwd: ${JSON.stringify(repo)}, source: 'staged', secrets: true, sast: false, config: defaultConfig() });
      console.log(JSON.stringify({ findings: r.findings.map((f) => f.rule), files: r.stats.files }));
    `;
    const p = spawnSync(process.execPath, ['--import', path.join(root, 'test/support/trace-register.mjs'), '--input-type=module', '-e', script], {
      cwd: repo,
      env: { ...process.env, TRACE_FILE: trace },
      encoding: 'utf8',
    });
    expect(p.status, p.stderr).toBe(0);
    const out = JSON.parse(p.stdout.trim().split('\n').pop()!);
    expect(out.findings).toEqual(['github-pat']);
    expect(out.files).toBe(20);
    const loaded = readFileSync(trace, 'utf8');
    for (const heavy of ['/yaml/', '@inquirer', '/ora/', '@octokit', 'picomatch', '@ast-grep']) expect(loaded, heavy).not.toContain(heavy);
  });
});
