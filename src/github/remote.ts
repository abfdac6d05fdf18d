import { git } from '../core/git.js';
import type { RepoRef } from './types.js';

/** OWNER/NAME from a flag; null when it does not have that shape. */
export function parseRepoSlug(slug: string): RepoRef | null {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(slug.trim());
  return m ? { owner: m[1]!, repo: m[2]!.replace(/\.git$/, '') } : null;
}

/** Host and OWNER/NAME from a remote URL (https, ssh://, scp-like git@host:owner/name). */
function parseRemoteUrl(url: string): (RepoRef & { host: string }) | null {
  const scp = /^[^@/\s]+@([^:/\s]+):\/?([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(url);
  if (scp) return { host: scp[1]!, owner: scp[2]!, repo: scp[3]! };
  try {
    const u = new URL(url);
    const parts = u.pathname
      .replace(/^\/+|\/+$/g, '')
      .replace(/\.git$/, '')
      .split('/');
    if (parts.length < 2) return null;
    return { host: u.hostname, owner: parts[parts.length - 2]!, repo: parts[parts.length - 1]! };
  } catch {
    return null;
  }
}

/** The REST base URL for a GitHub host: api.github.com, or GitHub Enterprise Server's /api/v3. */
export function apiUrlForHost(host: string): string {
  return host === 'github.com' || host === 'www.github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
}

export async function originRemote(root: string): Promise<(RepoRef & { host: string }) | null> {
  const url = await git(['config', '--get', 'remote.origin.url'], { cwd: root, allowFailure: true });
  return url ? parseRemoteUrl(url.trim()) : null;
}
