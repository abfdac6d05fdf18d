import { CliError } from '../core/errors.js';
import type { PinEntry, PinFile } from './pins.js';

export interface ResolveOptions {
  apiUrl: string;
  token: string | null;
  /** Use each repository's latest release instead of the recorded tag. */
  latest?: boolean;
  fetch?: typeof globalThis.fetch;
  /** Per request; a silent server must not hang the command. */
  timeoutMs?: number;
}

export type PinStatus = 'unchanged' | 'updated' | 'failed' | 'skipped';

export interface PinResult {
  uses: string;
  tag: string | null;
  sha: string | null;
  previousTag: string | null;
  previousSha: string | null;
  status: PinStatus;
  note?: string;
}

interface GitRef {
  object: { sha: string; type: string };
}

/** A failure that belongs to one pin (unknown tag), as opposed to one that stops the run (bad token). */
class PinFailure extends Error {}

/** GitHub REST client for the three calls we need; the token travels only in the Authorization header. */
function client(opts: ResolveOptions) {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const base = opts.apiUrl.replace(/\/+$/, '');
  return async function get<T>(path: string): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28', 'User-Agent': 'create-secure-repo' };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new CliError(`cannot reach ${base} (${(err as Error).message}).`, 'Check the network, or pass --api-url for GitHub Enterprise Server (https://HOST/api/v3).');
    }
    if (res.status === 401) throw new CliError(`${base} refused the token (401).`, 'Set GITHUB_TOKEN or GH_TOKEN to a valid token; public actions need no scopes.');
    if (res.status === 403 || res.status === 429) {
      const remaining = res.headers.get('x-ratelimit-remaining');
      throw new CliError(
        remaining === '0' ? `GitHub API rate limit reached (${res.status}).` : `${base} denied ${path} (${res.status}).`,
        remaining === '0' ? 'Set GITHUB_TOKEN or GH_TOKEN: authenticated requests get a much higher limit.' : 'Check that the token can read public repositories.',
      );
    }
    if (res.status === 404) throw new PinFailure(`not found: ${path}`);
    if (!res.ok) throw new PinFailure(`${path} answered ${res.status}`);
    return (await res.json()) as T;
  };
}

/** owner/repo of a `uses:` value (sub-actions and reusable workflows live in the same repository). */
function repoOf(uses: string): string {
  return uses.split('/').slice(0, 2).join('/');
}

/** Tag → commit SHA, peeling annotated tags (a tag object may point at another tag object). */
async function resolveTag(get: ReturnType<typeof client>, repo: string, tag: string): Promise<string> {
  const ref = await get<GitRef>(`/repos/${repo}/git/ref/tags/${encodeURIComponent(tag)}`);
  let { sha, type } = ref.object;
  for (let depth = 0; type === 'tag'; depth++) {
    if (depth > 5) throw new PinFailure(`tag ${tag} of ${repo} does not peel to a commit`);
    const obj = await get<GitRef>(`/repos/${repo}/git/tags/${sha}`);
    ({ sha, type } = obj.object);
  }
  if (type !== 'commit') throw new PinFailure(`tag ${tag} of ${repo} points at a ${type}, not a commit`);
  return sha;
}

/**
 * Re-resolves every pinned action's tag (or its latest release with `latest`) to a commit SHA through the API.
 * Returns the updated pin file and a result per entry; one repository is asked once per tag.
 */
export async function resolvePins(file: PinFile, opts: ResolveOptions): Promise<{ file: PinFile; results: PinResult[] }> {
  const get = client(opts);
  const cache = new Map<string, Promise<{ tag: string; sha: string }>>();
  const lookup = (repo: string, tag: string) => {
    const key = `${repo}@${opts.latest ? 'latest' : tag}`;
    if (!cache.has(key)) {
      cache.set(
        key,
        (async () => {
          const useTag = opts.latest ? (await get<{ tag_name: string }>(`/repos/${repo}/releases/latest`)).tag_name : tag;
          return { tag: useTag, sha: await resolveTag(get, repo, useTag) };
        })(),
      );
    }
    return cache.get(key)!;
  };
  const results: PinResult[] = [];
  const actions: PinEntry[] = [];
  for (const entry of file.actions) {
    const base = { uses: entry.uses, previousTag: entry.tag ?? null, previousSha: entry.sha ?? null };
    if (!entry.tag || !entry.uses.includes('/') || entry.uses.includes(' ')) {
      actions.push(entry);
      results.push({ ...base, tag: entry.tag ?? null, sha: entry.sha ?? null, status: 'skipped', note: 'no tag to resolve' });
      continue;
    }
    try {
      const { tag, sha } = await lookup(repoOf(entry.uses), entry.tag);
      const changed = tag !== entry.tag || sha !== entry.sha;
      const pinLine = entry.referenceBy === 'tag-only' ? `${entry.uses}@${tag}` : `${entry.uses}@${sha} # ${tag}`;
      actions.push({ ...entry, tag, sha, ...('pinLine' in entry ? { pinLine } : {}) });
      results.push({ ...base, tag, sha, status: changed ? 'updated' : 'unchanged' });
    } catch (err) {
      if (!(err instanceof PinFailure)) throw err;
      actions.push(entry);
      results.push({ ...base, tag: entry.tag, sha: entry.sha ?? null, status: 'failed', note: err.message });
    }
  }
  return { file: { ...file, actions }, results };
}
