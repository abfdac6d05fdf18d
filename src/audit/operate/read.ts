import type { GitHubClient } from '../../github/client.js';
import { acceptedPermissions } from '../../github/errors.js';

/** What one read gave: the data, or why this part could not be checked (a missing permission named). */
export type ReadResult<T> =
  { ok: true; value: T; truncated: boolean } | { ok: false; reason: string; needs: string | null };

interface ErrorLike {
  status?: number;
  message?: string;
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
}

/** GitHub filters run searches to at most this many results, however many pages one asks for. */
export const SEARCH_CAP = 1000;

/**
 * A 403 (not a rate limit) or 404 becomes "not checked" naming what is missing; anything else (bad token, network,
 * rate limit after the client's own waits) is thrown: it stops the audit, as it would stop every other check too.
 */
function notChecked(err: unknown, declared: string): { ok: false; reason: string; needs: string | null } {
  const e = (err ?? {}) as ErrorLike;
  const headers = e.response?.headers ?? {};
  const data = e.response?.data as { message?: string } | undefined;
  const message = (data?.message ?? e.message ?? '').trim();
  const rateLimited = String(headers['x-ratelimit-remaining'] ?? '') === '0' || /rate limit/i.test(message);
  if (e.status === 403 && !rateLimited) {
    const needs = acceptedPermissions(err) ?? declared;
    return { ok: false, reason: `GitHub refused (403: ${message || 'forbidden'})`, needs };
  }
  if (e.status === 404)
    return {
      ok: false,
      reason: `not available (404: ${message || 'not found'}): the feature is off, or the token cannot see it`,
      needs: declared,
    };
  if (typeof e.status === 'number' && e.status >= 500)
    return { ok: false, reason: `GitHub answered ${e.status}: ${message}`, needs: null };
  throw err;
}

export class Reader {
  constructor(
    readonly client: GitHubClient,
    readonly owner: string,
    readonly repo: string,
  ) {}

  async get<T>(route: string, params: Record<string, unknown>, needs: string): Promise<ReadResult<T>> {
    try {
      const r = await this.client.request(route, { owner: this.owner, repo: this.repo, ...params });
      return { ok: true, value: r.data as T, truncated: false };
    } catch (err) {
      return notChecked(err, needs);
    }
  }

  /**
   * Every page of a list endpoint, following the Link header; `key` names the array inside wrapped answers
   * (`workflow_runs`, `jobs`). Stops at `max` items and says the list was cut.
   */
  async list<T>(
    route: string,
    params: Record<string, unknown>,
    needs: string,
    key: string | null = null,
    max = 5000,
  ): Promise<ReadResult<T[]>> {
    const items: T[] = [];
    try {
      let url: string | null = null;
      for (let page = 0; page < 200; page++) {
        const r: { data: unknown; headers: Record<string, string | number | undefined> } = url
          ? await this.client.request(`GET ${url}`)
          : await this.client.request(route, { owner: this.owner, repo: this.repo, per_page: 100, ...params });
        const got = (key ? ((r.data as Record<string, unknown>)[key] as T[] | undefined) : (r.data as T[])) ?? [];
        items.push(...got);
        if (items.length >= max) return { ok: true, value: items.slice(0, max), truncated: true };
        url = nextLink(String(r.headers.link ?? ''));
        if (!url || !got.length) break;
      }
      return { ok: true, value: items, truncated: false };
    } catch (err) {
      return notChecked(err, needs);
    }
  }

  /** A job's log: GitHub answers 302 to a short-lived storage URL, which fetch follows. */
  async log(jobId: number, needs: string): Promise<ReadResult<string>> {
    try {
      const r = await this.client.request('GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs', {
        owner: this.owner,
        repo: this.repo,
        job_id: jobId,
      });
      const d: unknown = r.data;
      return {
        ok: true,
        value: typeof d === 'string' ? d : d instanceof ArrayBuffer ? new TextDecoder().decode(d) : '',
        truncated: false,
      };
    } catch (err) {
      return notChecked(err, needs);
    }
  }
}

function nextLink(link: string): string | null {
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (m) return m[1]!;
  }
  return null;
}
