import type { RemoteInfo } from './types.js';

/**
 * Parses a git remote URL into GitHub owner/name. Handles https (with or without credentials), ssh:// (with port),
 * scp-like `git@host:owner/name`, GitHub Enterprise Server hosts and GHE.com data-residency hosts.
 * Returns null for URLs that do not name an owner/repository pair (local paths, file://).
 */
export function parseRemote(url: string): RemoteInfo | null {
  const trimmed = url.trim();
  let host: string;
  let pathPart: string;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(trimmed);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    let u: URL;
    try {
      u = new URL(trimmed);
    } catch {
      return null;
    }
    if (u.protocol === 'file:') return null;
    host = u.hostname.toLowerCase();
    pathPart = decodeURIComponent(u.pathname);
  } else if (scp && !/^[a-z]:\\/i.test(trimmed)) {
    host = scp[1]!.toLowerCase();
    pathPart = scp[2]!;
  } else {
    return null;
  }
  if (host === 'ssh.github.com') host = 'github.com';
  const segments = pathPart
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/');
  if (segments.length < 2) return null;
  const name = segments[segments.length - 1]!;
  const owner = segments[segments.length - 2]!;
  if (!owner || !name) return null;
  const isGitHub = host === 'github.com' || host.endsWith('.ghe.com') || /(^|[.-])github([.-]|$)/.test(host);
  const apiUrl =
    host === 'github.com'
      ? 'https://api.github.com'
      : host.endsWith('.ghe.com')
        ? `https://api.${host}`
        : `https://${host}/api/v3`;
  return { url: trimmed, host, owner, name, isGitHub, apiUrl };
}
