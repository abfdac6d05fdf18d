import { spawnSync } from 'node:child_process';
import { promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireFreshBuild } from '../support/dist.js';
import { adoptHistoryLog, startHistoryLog, takeHistoryLog } from '../../src/scan/sources/history-log.js';
import { runScan } from '../../src/scan/run.js';
import { defaultConfig } from '../../src/config/defaults.js';
import { commitFiles, gitIn, isolateGit, mint, newRepo } from './support/repo.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'secure-repo.js');
const top = (dir: string): string => path.resolve(dir);

beforeAll(async () => {
  requireFreshBuild();
  await isolateGit();
});

/** A history with a secret in an ordinary commit and one that only a merge wrote (its combined diff). */
async function historyWithMerge(): Promise<{ repo: string; merge: string }> {
  const repo = await newRepo();
  await commitFiles(repo, { 'a.txt': `token ${mint('github-pat', 61)}\n` }, 'a');
  gitIn(repo, 'checkout', '-q', '-b', 'side');
  await commitFiles(repo, { 'b.txt': 'side\n' }, 'side');
  gitIn(repo, 'checkout', '-q', 'main');
  await commitFiles(repo, { 'c.txt': 'main\n' }, 'main');
  gitIn(repo, 'merge', '-q', '--no-ff', '--no-commit', 'side');
  const merge = await commitFiles(repo, { 'b.txt': `side\nkey ${mint('slack-bot-token', 62)}\n` }, 'merge side');
  await commitFiles(repo, { 'd.txt': 'later\n' }, 'later');
  return { repo, merge };
}

describe('the history log started before the scan code loads', () => {
  it('the built CLI starts git early and the scan takes those processes over: same findings, no second git log', async () => {
    const { repo, merge } = await historyWithMerge();
    const trace = path.join(await fsp.mkdtemp(path.join(os.tmpdir(), 'sr-trace-')), 'git.trace');
    const p = spawnSync(process.execPath, [bin, 'scan', '--history', '--format', 'json'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, GIT_TRACE: trace },
    });
    expect(p.status, p.stderr).toBe(1);
    const found = JSON.parse(p.stdout).findings.map((f: { file: string; rule: string; commit: string }) => [
      f.file,
      f.rule,
      f.commit === merge,
    ]);
    expect(found).toEqual([
      ['a.txt', 'github-pat', false],
      ['b.txt', 'slack-bot-token', true],
    ]);
    // Two processes (the patch, and the merges' combined diffs), each started once: the early ones were used.
    const logs = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((l) => /trace: built-in: git .*\blog\b/.test(l));
    expect(logs).toHaveLength(2);
    expect(logs.filter((l) => l.includes(' --merges '))).toHaveLength(1);
    // In process, where nothing starts early: the same findings.
    const inProcess = await runScan({
      root: top(repo),
      cwd: repo,
      source: 'history',
      config: defaultConfig(),
      secrets: true,
      sast: false,
    });
    expect(inProcess.findings.map((f) => [f.file, f.rule, f.commit === merge])).toEqual(found);
  });

  it('is taken once, and only for the same repository, revisions and reading; anything else is stopped', async () => {
    const { repo } = await historyWithMerge();
    const started = await startHistoryLog(repo, ['--all'], false, true);
    expect(started).not.toBeNull();
    adoptHistoryLog(started!);
    expect(takeHistoryLog(top(repo), ['--all'], false, true)).toBe(started);
    expect(takeHistoryLog(top(repo), ['--all'], false, true)).toBeNull();
    started!.main.close();
    started!.merges!.close();

    for (const [revs, raw, apart] of [
      [['HEAD~1..HEAD'], false, true],
      [['--all'], true, true],
      [['--all'], false, false],
    ] as const) {
      const other = await startHistoryLog(repo, ['--all'], false, true);
      adoptHistoryLog(other!);
      expect(takeHistoryLog(top(repo), [...revs], raw, apart)).toBeNull();
      // stopped: its processes end and report (killed, or done if git was quicker)
      expect([0, 1]).toContain((await other!.main.result()).code);
      expect([0, 1]).toContain((await other!.merges!.result()).code);
    }
    const elsewhere = await startHistoryLog(repo, ['--all'], false, true);
    adoptHistoryLog(elsewhere!);
    expect(takeHistoryLog(path.join(top(repo), 'sub'), ['--all'], false, true)).toBeNull();
    // Outside a repository nothing starts.
    expect(
      await startHistoryLog(await fsp.mkdtemp(path.join(os.tmpdir(), 'sr-norepo-')), ['--all'], false, true),
    ).toBeNull();
  });
});
