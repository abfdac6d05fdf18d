import { readFileSync } from 'node:fs';
import path from 'node:path';
import { git, gitBuffer } from '../../core/git.js';
import { prePushRevs } from '../../scan/sources/commits.js';

const ZERO = /^0+$/;

export interface PushLine {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

/** git's pre-push stdin: `<local ref> <local sha> <remote ref> <remote sha>` per line. */
export function parsePushLines(input: string): PushLine[] {
  return input
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length === 4)
    .map(([localRef, localSha, remoteRef, remoteSha]) => ({
      localRef: localRef!,
      localSha: localSha!,
      remoteRef: remoteRef!,
      remoteSha: remoteSha!,
    }));
}

/**
 * The pre-commit framework runs pre-push hooks without git's stdin and passes the refs in PRE_COMMIT_* variables;
 * rebuild the line git would have given. When the push includes the root commit, the framework sets no from/to refs
 * at all (it runs "all files"): then the local branch's whole history is what is being pushed.
 */
export async function pushInputFromEnv(root: string, env: NodeJS.ProcessEnv): Promise<string> {
  const local = env.PRE_COMMIT_LOCAL_BRANCH || 'HEAD';
  const remote = env.PRE_COMMIT_REMOTE_BRANCH || local;
  const to = env.PRE_COMMIT_TO_REF;
  if (!to) {
    if (!env.PRE_COMMIT_LOCAL_BRANCH) return '';
    const sha = await git(['rev-parse', '--verify', '-q', `${local}^{commit}`], { cwd: root, allowFailure: true });
    return sha ? `${local} ${sha} ${remote} ${'0'.repeat(40)}\n` : '';
  }
  const from =
    env.PRE_COMMIT_FROM_REF && !ZERO.test(env.PRE_COMMIT_FROM_REF) ? env.PRE_COMMIT_FROM_REF : '0'.repeat(40);
  return `${local} ${to} ${remote} ${from}\n`;
}

/**
 * Every commit the push adds to the remote: the scanner's own definition (prePushRevs), so the signature check and
 * the secret scan always agree on what is being pushed.
 */
export async function pushedCommits(
  root: string,
  lines: PushLine[],
  remote: string,
  exclude: string | null = null,
): Promise<string[]> {
  const input = lines.map((l) => `${l.localRef} ${l.localSha} ${l.remoteRef} ${l.remoteSha}`).join('\n');
  const revs = await prePushRevs(root, input, remote);
  if (!revs) return [];
  // Before the range: a later `--not` in revs would flip the meaning of the caret.
  return (await git(['rev-list', ...(exclude ? [`^${exclude}`] : []), ...revs], { cwd: root }))
    .split('\n')
    .filter(Boolean);
}

/**
 * The commit the repository was at when secure-repo was set up (the baseline's `head`): history up to it was written
 * before any signing policy, so pushing it to a new remote is not refused for signatures. Null when not recorded.
 */
export function preexistingHead(root: string, baseline: string | null): string | null {
  if (!baseline) return null;
  try {
    const head = (JSON.parse(readFileSync(path.resolve(root, baseline), 'utf8')) as { head?: unknown }).head;
    return typeof head === 'string' && /^[0-9a-f]{40,64}$/.test(head) ? head : null;
  } catch {
    return null;
  }
}

/** Commits without a signature header (gpgsig / gpgsig-sha256: what GitHub verifies against the author's keys). */
export async function unsignedCommits(root: string, shas: string[]): Promise<{ sha: string; subject: string }[]> {
  if (shas.length === 0) return [];
  const out = await gitBuffer(['cat-file', '--batch'], { cwd: root, input: `${shas.join('\n')}\n` });
  const unsigned: { sha: string; subject: string }[] = [];
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(0x0a, pos);
    if (nl === -1) break;
    const [sha, type, size] = out.subarray(pos, nl).toString('utf8').split(' ');
    const len = type === 'missing' ? 0 : Number(size);
    const body = out.subarray(nl + 1, nl + 1 + len).toString('utf8');
    pos = nl + 1 + len + (type === 'missing' ? 0 : 1);
    if (type !== 'commit') continue;
    const headerEnd = body.indexOf('\n\n');
    const header = headerEnd === -1 ? body : body.slice(0, headerEnd);
    if (!/^gpgsig(-sha256)? /m.test(header)) {
      const subject = headerEnd === -1 ? '' : (body.slice(headerEnd + 2).split('\n')[0] ?? '');
      unsigned.push({ sha: sha!, subject });
    }
  }
  return unsigned;
}

/**
 * The branch the policy protects: the configured one, else the default branch of the remote pushed to, else
 * origin's (a new remote has no HEAD yet, while origin's names the project's default), else init.defaultBranch,
 * else main.
 */
export async function protectedBranch(root: string, remote: string, configured: string | null): Promise<string> {
  if (configured) return configured;
  for (const name of new Set([remote, 'origin'])) {
    const head = await git(['symbolic-ref', '-q', '--short', `refs/remotes/${name}/HEAD`], {
      cwd: root,
      allowFailure: true,
    });
    if (head) return head.slice(head.indexOf('/') + 1);
  }
  const local = await git(['config', '--get', 'init.defaultBranch'], { cwd: root, allowFailure: true });
  return local || 'main';
}

/**
 * The oldest of `commits` in history order (a rebase that starts at its parent reaches them all), and whether it is
 * the root commit. Null when none is given.
 */
export async function rebaseStart(root: string, commits: string[]): Promise<{ oldest: string; root: boolean } | null> {
  const wanted = new Set(commits);
  if (wanted.size === 0) return null;
  const order =
    (await git(['rev-list', '--topo-order', '--reverse', ...wanted], { cwd: root, allowFailure: true }))?.split('\n') ??
    [];
  const oldest = order.find((sha) => wanted.has(sha)) ?? commits[commits.length - 1]!;
  const parent = await git(['rev-parse', '--verify', '-q', `${oldest}^`], { cwd: root, allowFailure: true });
  return { oldest, root: !parent };
}
