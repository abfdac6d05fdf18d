import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { runScan, type ScanOptions } from '../../src/scan/run.js';
import { gitIn, isolateGit, mint, newRepo, write } from './support/repo.js';

beforeAll(async () => {
  await isolateGit();
});

function scan(root: string, source: ScanOptions['source'], extra: Partial<ScanOptions> = {}) {
  return runScan({ root, cwd: root, source, secrets: true, sast: false, config: defaultConfig(), ...extra });
}

const seen = (r: Awaited<ReturnType<typeof scan>>) => r.findings.map((f) => [f.file, f.line, f.rule, f.commit]);

/**
 * main and topic both edit line 2 of conf.py; the merge conflict is resolved by writing a new line holding a
 * credential that neither parent had. A second branch, `feature`, commits its own secret and merges cleanly.
 */
async function mergeRepo() {
  const repo = await newRepo();
  const resolved = mint('anthropic-api-key', 40);
  const branchSecret = mint('gitlab-pat', 41);
  await write(repo, 'conf.py', 'A = 1\nB = 2\nC = 3\n');
  gitIn(repo, 'add', '.');
  gitIn(repo, 'commit', '-qm', 'base');
  const base = gitIn(repo, 'rev-parse', 'HEAD');

  gitIn(repo, 'checkout', '-q', '-b', 'topic');
  await write(repo, 'conf.py', 'A = 1\nB = "topic"\nC = 3\n');
  gitIn(repo, 'commit', '-qam', 'topic edit');

  gitIn(repo, 'checkout', '-q', '-b', 'feature', base);
  await write(repo, 'feature.env', `TOKEN=${branchSecret}\n`);
  gitIn(repo, 'add', '.');
  gitIn(repo, 'commit', '-qm', 'feature secret');
  const featureCommit = gitIn(repo, 'rev-parse', 'HEAD');
  await write(repo, 'feature.txt', 'more\n');
  gitIn(repo, 'add', '.');
  gitIn(repo, 'commit', '-qm', 'feature more');

  gitIn(repo, 'checkout', '-q', 'main');
  await write(repo, 'conf.py', 'A = 1\nB = "main"\nC = 3\n');
  gitIn(repo, 'commit', '-qam', 'main edit');
  const beforeMerges = gitIn(repo, 'rev-parse', 'HEAD');

  gitIn(repo, 'merge', '-q', '--no-ff', '-m', 'merge feature', 'feature');
  const cleanMerge = gitIn(repo, 'rev-parse', 'HEAD');
  expect(() => gitIn(repo, 'merge', '-q', 'topic')).toThrow(); // conflict on line 2
  await write(repo, 'conf.py', `A = 1\nKEY = "${resolved}"\nC = 3\n`);
  gitIn(repo, 'commit', '-qam', 'merge topic');
  const conflictMerge = gitIn(repo, 'rev-parse', 'HEAD');
  expect(gitIn(repo, 'rev-list', '--parents', '-n', '1', 'HEAD').split(' ')).toHaveLength(3);
  return { repo, base, beforeMerges, cleanMerge, conflictMerge, featureCommit };
}

describe('merge commits', () => {
  it('history finds a secret written while resolving a conflict, at the merge, and a merged secret once', async () => {
    const { repo, conflictMerge, featureCommit } = await mergeRepo();
    const r = await scan(repo, 'history');
    expect(seen(r)).toEqual([
      ['feature.env', 1, 'gitlab-pat', featureCommit],
      ['conf.py', 2, 'anthropic-api-key', conflictMerge],
    ]);
    expect(r.stats.commits).toBe(7);
  });

  it('range finds the conflict-resolution secret; and reports the merged branch secret once, at its own commit', async () => {
    const { repo, base, conflictMerge, featureCommit } = await mergeRepo();
    const all = await scan(repo, 'range', { range: `${base}..main` });
    expect(seen(all)).toEqual([
      ['feature.env', 1, 'gitlab-pat', featureCommit],
      ['conf.py', 2, 'anthropic-api-key', conflictMerge],
    ]);
    expect(all.stats.commits).toBe(6);
  });

  it('pre-push finds it when the merged branches are already on the remote, without repeating their secrets', async () => {
    const { repo, beforeMerges, conflictMerge } = await mergeRepo();
    const remote = await newRepo('sr-remote-');
    gitIn(remote, 'config', 'receive.denyCurrentBranch', 'ignore');
    gitIn(repo, 'remote', 'add', 'origin', remote);
    gitIn(repo, 'push', '-q', 'origin', `${beforeMerges}:refs/heads/main`, 'topic', 'feature');
    gitIn(repo, 'fetch', '-q', 'origin');
    const head = gitIn(repo, 'rev-parse', 'HEAD');
    const r = await scan(repo, 'pre-push', {
      prePushInput: `refs/heads/main ${head} refs/heads/main ${beforeMerges}\n`,
      remote: 'origin',
    });
    expect(r.stats.commits).toBe(2);
    expect(seen(r)).toEqual([['conf.py', 2, 'anthropic-api-key', conflictMerge]]);
  });

  it('attributes a secret to the commit that introduced it even when a branch commit has an older date (clock skew)', async () => {
    const repo = await newRepo();
    const key = mint('openai-api-key', 42);
    const at = (date: string, ...args: string[]) => {
      process.env.GIT_COMMITTER_DATE = date;
      process.env.GIT_AUTHOR_DATE = date;
      try {
        return gitIn(repo, ...args);
      } finally {
        delete process.env.GIT_COMMITTER_DATE;
        delete process.env.GIT_AUTHOR_DATE;
      }
    };
    await write(repo, 'k.py', `KEY = "${key}"\n`);
    gitIn(repo, 'add', '.');
    at('2030-01-01T00:00:00Z', 'commit', '-qm', 'adds the key');
    const introduced = gitIn(repo, 'rev-parse', 'HEAD');
    gitIn(repo, 'checkout', '-q', '-b', 'skewed');
    await write(repo, 'k.py', `KEY = "${key}"  # edited\n`);
    at('2001-01-01T00:00:00Z', 'commit', '-qam', 'edits the line, committed on a machine with a wrong clock');
    gitIn(repo, 'checkout', '-q', 'main');
    await write(repo, 'other.txt', 'x\n');
    gitIn(repo, 'add', '.');
    at('2030-01-02T00:00:00Z', 'commit', '-qm', 'main moves on');
    at('2030-01-03T00:00:00Z', 'merge', '-q', '--no-ff', '-m', 'merge', 'skewed');
    const r = await scan(repo, 'history');
    expect(seen(r)).toEqual([['k.py', 1, 'openai-api-key', introduced]]);
  });

  it("a resolution that keeps a parent's secret line next to new lines reports only what the merge wrote", async () => {
    const repo = await newRepo();
    const parentKey = mint('huggingface-token', 43);
    const written = mint('sentry-org-token', 44);
    await write(repo, 'app.ini', 'a = 1\nb = 2\nc = 3\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'base');
    gitIn(repo, 'checkout', '-q', '-b', 'topic');
    await write(repo, 'app.ini', 'a = 1\nb = "topic"\nc = 3\n');
    gitIn(repo, 'commit', '-qam', 'topic edit');
    gitIn(repo, 'checkout', '-q', 'main');
    await write(repo, 'app.ini', `a = 1\nhf = ${parentKey}\nc = 3\n`);
    gitIn(repo, 'commit', '-qam', 'add key');
    const before = gitIn(repo, 'rev-parse', 'HEAD');
    expect(() => gitIn(repo, 'merge', '-q', 'topic')).toThrow();
    // Both sides kept, in the other order, plus one new line.
    await write(repo, 'app.ini', `a = 1\nb = "topic"\nsentry = ${written}\nhf = ${parentKey}\nc = 3\n`);
    gitIn(repo, 'commit', '-qam', 'merge topic');
    const merge = gitIn(repo, 'rev-parse', 'HEAD');
    // git's own remerge diff shows the kept key line as removed and re-added; the combined diff knows it is a parent's.
    expect(gitIn(repo, 'show', '--remerge-diff', '-U0', '--format=', merge)).toContain(`\n+hf = ${parentKey}`);
    const r = await scan(repo, 'range', { range: `${before}..HEAD` });
    expect(seen(r)).toEqual([['app.ini', 3, 'sentry-org-token', merge]]);
    const history = await scan(repo, 'history');
    expect(seen(history)).toEqual([
      ['app.ini', 2, 'huggingface-token', before],
      ['app.ini', 3, 'sentry-org-token', merge],
    ]);
  });

  it('finds a secret slipped into a clean octopus merge, and SAST sees the merge result', async () => {
    const repo = await newRepo();
    await write(repo, 'base.txt', 'base\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'base');
    const base = gitIn(repo, 'rev-parse', 'HEAD');
    for (const b of ['one', 'two']) {
      gitIn(repo, 'checkout', '-q', '-b', b, base);
      await write(repo, `${b}.txt`, `${b}\n`);
      gitIn(repo, 'add', '.');
      gitIn(repo, 'commit', '-qm', b);
    }
    gitIn(repo, 'checkout', '-q', 'main');
    gitIn(repo, 'merge', '-q', '--no-ff', '--no-commit', 'one', 'two');
    const slipped = mint('doppler-token', 45);
    await write(repo, 'base.txt', `base\nDOPPLER_TOKEN=${slipped}\n`);
    await write(repo, 'run.js', 'module.exports = (code) => eval(code);\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'octopus');
    const merge = gitIn(repo, 'rev-parse', 'HEAD');
    expect(gitIn(repo, 'rev-list', '--parents', '-n', '1', 'HEAD').split(' ')).toHaveLength(4);
    const r = await runScan({
      root: repo,
      cwd: repo,
      source: 'range',
      range: `${base}..HEAD`,
      secrets: true,
      sast: true,
      config: defaultConfig(),
    });
    expect(r.findings.filter((f) => f.kind === 'secret').map((f) => [f.file, f.line, f.rule, f.commit])).toEqual([
      ['base.txt', 2, 'doppler-token', merge],
    ]);
    expect(r.findings.filter((f) => f.kind === 'sast').map((f) => [f.file, f.line, f.commit])).toEqual([
      ['run.js', 1, merge],
    ]);
  });
});
