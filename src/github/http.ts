import type { GitHubClient } from './client.js';
import { acceptedPermissions, classify } from './errors.js';
import type { Mechanism } from './types.js';

/** What the GitHub API hands back, before it is read into our types. */
export type Json = Record<string, unknown>;

/** An object field, or an empty object when the API left it out or sent another shape. */
export const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
/** An array field, or an empty array. */
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A string field, or the fallback when the API left it out or sent another shape. */
export const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

/** The name our ruleset goes by: how a re-run finds (and updates rather than duplicates) it. */
export const RULESET_NAME = 'secure-repo: default branch';

/** How protect chooses between mechanisms and treats what the user added beyond the policy. */
export interface DiffOptions {
  mode: 'auto' | Mechanism;
  /** Drop what the user added beyond the policy (extra checks, bypass actors, reviewers) and relax stricter values. */
  prune: boolean;
}

export interface Got {
  status: number;
  data: unknown;
  /** On a 403: the permission GitHub says the request needs (`X-Accepted-GitHub-Permissions`), in words: "Administration: read". */
  needs?: string;
}

/** GET that turns the listed statuses into answers instead of errors; anything else throws. */
export async function get(client: GitHubClient, route: string, params: Json, answers: number[] = []): Promise<Got> {
  try {
    const res = await client.request(route, params);
    return { status: res.status, data: res.data };
  } catch (err) {
    const status = (err as { status?: number }).status;
    const f = classify(err);
    if (status !== undefined && answers.includes(status) && f.kind !== 'rate-limit' && f.kind !== 'network') {
      const needs = status === 403 ? acceptedPermissions(err) : undefined;
      return { status, data: (err as { response?: { data?: unknown } }).response?.data, ...(needs ? { needs } : {}) };
    }
    throw err;
  }
}

export const planLimited = (g: Got) =>
  g.status === 403 && classify({ status: 403, response: { data: g.data, headers: {} } }).kind === 'plan';
