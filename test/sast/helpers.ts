import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Fragment } from '../../src/scan/types.js';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/**
 * Every file under `dir`, as scan fragments with paths relative to `dir`. Fixture files end in `.fixture` so that
 * neither the TypeScript build nor a scan of this repository treats the deliberately vulnerable samples as code;
 * the suffix is dropped here.
 */
export async function fragmentsOf(dir: string): Promise<Fragment[]> {
  const out: Fragment[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile())
        out.push({
          path: path
            .relative(dir, p)
            .split(path.sep)
            .join('/')
            .replace(/\.fixture$/, ''),
          text: await fsp.readFile(p, 'utf8'),
          commit: null,
        });
    }
  };
  await walk(dir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** `file:line rule` for every `expect: <rule>` marker in the fragments. */
export function expectedMarkers(fragments: Fragment[]): string[] {
  const out: string[] = [];
  for (const f of fragments) {
    f.text.split('\n').forEach((line, i) => {
      const m = /expect: ([a-z0-9-]+)/.exec(line);
      if (m) out.push(`${f.path}:${i + 1} ${m[1]}`);
    });
  }
  return out.sort();
}

/** A git repository in a fresh temp dir, with git's global config and HOME pointed inside it. */
export async function tempRepo(): Promise<{
  dir: string;
  git: (...args: string[]) => string;
  cleanup: () => Promise<void>;
}> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sast-'));
  const home = path.join(dir, '.home');
  await fsp.mkdir(home);
  const repo = path.join(dir, 'repo');
  await fsp.mkdir(repo);
  const env = {
    ...process.env,
    HOME: home,
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = (...args: string[]): string =>
    execFileSync(
      'git',
      ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args],
      {
        cwd: repo,
        env,
        encoding: 'utf8',
      },
    );
  git('init', '-q', '-b', 'main');
  return { dir: repo, git, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}

/** The 1-based line numbers a unified diff with -U0 adds to the new file. */
export function addedLinesFromDiff(diff: string): Set<number> {
  const lines = new Set<number>();
  for (const m of diff.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    const start = Number(m[1]);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    for (let i = 0; i < count; i++) lines.add(start + i);
  }
  return lines;
}
