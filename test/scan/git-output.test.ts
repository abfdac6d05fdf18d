import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fsp, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoDirs } from '../../src/core/git.js';
import { roomFor } from '../../src/scan/sources/history-log.js';
import { gitOutput, MIN_FREE_BYTES } from '../../src/scan/sources/git-output.js';
import { requireFreshBuild } from '../support/dist.js';
import { commitFiles, gitIn, isolateGit, newRepo, write } from './support/repo.js';

beforeAll(async () => {
  await isolateGit();
});

const leftovers = () => readdirSync(os.tmpdir()).filter((n) => n.startsWith('secure-repo-log-'));

/** A repository whose `git log -p` is several megabytes: many reads, some while git is still writing. */
async function biggishRepo(): Promise<string> {
  const repo = await newRepo();
  for (let c = 0; c < 30; c++) {
    const lines = Array.from({ length: 4000 }, (_, i) => `commit ${c} line ${i} ${'x'.repeat(i % 70)}`);
    await write(repo, `f${c % 4}.txt`, `${lines.join('\n')}\n`);
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', `c${c}`);
  }
  return repo;
}

describe('git output read through a temporary file', () => {
  it('gives exactly what git writes, and leaves no file behind', async () => {
    const repo = await biggishRepo();
    const before = leftovers();
    const args = ['log', '-p', '--reverse', '--all'];
    const expected = execFileSync('git', args, { cwd: repo, maxBuffer: 1 << 28 });
    expect(expected.length).toBeGreaterThan(4 * 1024 * 1024);
    const out = gitOutput(args, repo, 0);
    expect(out.via).toBe('file');
    const chunks: Buffer[] = [];
    for await (const c of out.chunks) chunks.push(c);
    expect(chunks.length).toBeGreaterThan(3);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    expect(await out.result()).toEqual({ code: 0, stderr: '' });
    expect(leftovers()).toEqual(before);
  });

  it('falls back to a pipe where no temporary file can be made or the temp folder is short of room', async () => {
    const repo = await biggishRepo();
    const args = ['log', '-p', '--reverse', '--all'];
    const expected = execFileSync('git', args, { cwd: repo, maxBuffer: 1 << 28 });
    const saved = { TMPDIR: process.env.TMPDIR, TMP: process.env.TMP, TEMP: process.env.TEMP };
    const missing = path.join(os.tmpdir(), 'secure-repo-no-such-dir', 'deeper');
    process.env.TMPDIR = process.env.TMP = process.env.TEMP = missing;
    try {
      expect(os.tmpdir()).toBe(missing);
      const out = gitOutput(args, repo, 0);
      expect(out.via).toBe('pipe');
      const chunks: Buffer[] = [];
      for await (const c of out.chunks) chunks.push(c);
      expect(Buffer.concat(chunks).equals(expected)).toBe(true);
      expect(await out.result()).toEqual({ code: 0, stderr: '' });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    // A temp folder without the room asked for: the pipe too.
    const out = gitOutput(args, repo, Number.MAX_SAFE_INTEGER);
    expect(out.via).toBe('pipe');
    const chunks: Buffer[] = [];
    for await (const c of out.chunks) chunks.push(c);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
  });

  it('stops git when the reader stops early', async () => {
    const repo = await biggishRepo();
    const out = gitOutput(['log', '-p', '--all'], repo);
    let seen = 0;
    for await (const c of out.chunks) {
      seen += c.length;
      break;
    }
    expect(seen).toBeGreaterThan(0);
    const { code } = await out.result();
    // Killed (no exit code: 1 here), or finished in the meantime (0); either way, it is over.
    expect([0, 1]).toContain(code);
  });

  it("reports git's failure with its message", async () => {
    const repo = await newRepo();
    await write(repo, 'a.txt', 'a\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'a');
    const out = gitOutput(['log', '-p', 'no-such-ref..HEAD'], repo);
    const chunks: Buffer[] = [];
    for await (const c of out.chunks) chunks.push(c);
    expect(chunks).toEqual([]);
    const r = await out.result();
    expect(r.code).toBe(128);
    expect(r.stderr).toMatch(/no-such-ref/);
  });
});

describe('git output when node exits early', () => {
  it.runIf(process.platform === 'linux')(
    'does not leave git running (through a pipe it died of the broken pipe)',
    async () => {
      requireFreshBuild();
      const repo = await newRepo();
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sr-early-exit-'));
      const script = path.join(dir, 'early-exit.mjs');
      const distUrl = pathToFileURL(path.resolve('dist/scan/sources/git-output.js')).href;
      // git waits for an alias that runs for seconds; the script exits while it does, as `scan --history | head` does.
      await fsp.writeFile(
        script,
        `import { readFileSync } from 'node:fs';
const { gitOutput } = await import(${JSON.stringify(distUrl)});
const out = gitOutput(['-c', 'alias.slow=!sleep 3', 'slow'], ${JSON.stringify(repo)}, 0);
await new Promise((r) => setTimeout(r, 200));
const kids = readFileSync('/proc/self/task/' + process.pid + '/children', 'utf8').trim().split(' ');
process.stdout.write(kids.join(','));
process.exit(0);
`,
      );
      const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      const pids = r.stdout.split(',').filter(Boolean).map(Number);
      expect(pids.length).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const alive = pids.filter((pid) => {
        try {
          process.kill(pid, 0);
          return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
        } catch {
          return false;
        }
      });
      expect(alive).toEqual([]);
    },
  );
});

/** A work tree's own git dir (a linked worktree's is under the repository's .git/worktrees/). */
async function gitDirOf(dir: string): Promise<string> {
  return (await repoDirs(dir))!.gitDir;
}

describe('room the temporary file needs', () => {
  it('is 16 times the packed history when that is over the floor, found from a worktree too', async () => {
    const repo = await newRepo();
    await commitFiles(repo, { 'a.txt': 'one\n' }, 'one');
    expect(roomFor(await gitDirOf(repo))).toBe(MIN_FREE_BYTES); // loose objects only: the floor
    // a pack standing for a large history (sparse: no disk used)
    const pack = path.join(repo, '.git', 'objects', 'pack', 'pack-big.pack');
    await fsp.mkdir(path.dirname(pack), { recursive: true });
    const handle = await fsp.open(pack, 'w');
    await handle.truncate(512 * 1024 * 1024);
    await handle.close();
    expect(roomFor(await gitDirOf(repo))).toBe(16 * 512 * 1024 * 1024);
    const wt = `${repo}-wt`;
    gitIn(repo, 'worktree', 'add', '-q', wt);
    expect(roomFor(await gitDirOf(wt))).toBe(16 * 512 * 1024 * 1024);
    await fsp.rm(wt, { recursive: true, force: true });
    await fsp.rm(repo, { recursive: true, force: true });
  });
});
