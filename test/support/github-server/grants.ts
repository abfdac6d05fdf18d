/**
 * Fine-grained tokens (GitHub Apps, the workflow GITHUB_TOKEN, fine-grained PATs) carry repository permissions; a
 * request needing one the token lacks gets 403 "Resource not accessible by integration" (personal access token:
 * "... by personal access token") and the header `X-Accepted-GitHub-Permissions` naming what would do, e.g.
 * `administration=read` (github.blog changelog 2023-08-10; docs.github.com "Permissions required for fine-grained
 * personal access tokens"). Only repositories given `grants` are checked.
 */
import type { ServerModule } from './module.js';
import { DOCS } from './module.js';

/**
 * The permission each read needs (docs.github.com, "Permissions required for fine-grained personal access tokens").
 * Rulesets and collaborators are readable with metadata, which every token has.
 */
export const REQUIRED_PERMISSION: Record<string, string> = {
  'repos/get-branch-protection': 'administration=read',
  'repos/get-commit-signature-protection': 'administration=read',
  'repos/check-vulnerability-alerts': 'administration=read',
  'repos/check-automated-security-fixes': 'administration=read',
  // ASSUMED: listed under Administration on the permissions page as the other security toggles are.
  'repos/check-private-vulnerability-reporting': 'administration=read',
  'actions/get-github-actions-default-workflow-permissions-repository': 'administration=read',
  'actions/get-github-actions-permissions-repository': 'administration=read',
  'actions/get-allowed-actions-repository': 'administration=read',
  // ASSUMED: Administration, like the other repository settings.
  'code-scanning/get-default-setup': 'administration=read',
  'repos/get-environment': 'actions=read',
  'actions/get-repo-variable': 'variables=read',
  'actions/get-repo-secret': 'secrets=read',
  'repos/get-repo-rulesets': 'metadata=read',
  'repos/get-repo-ruleset': 'metadata=read',
  'repos/get-branch-rules': 'metadata=read',
  'repos/list-collaborators': 'metadata=read',
};

const LEVEL = { read: 1, write: 2, admin: 3 } as const;

/** True when the grants include the permission at that level or higher. */
export function granted(grants: string[], needed: string): boolean {
  const [name, level] = needed.split('=') as [string, keyof typeof LEVEL];
  return grants.some((g) => {
    const [n, l] = g.split('=') as [string, keyof typeof LEVEL];
    return n === name && LEVEL[l] >= LEVEL[level];
  });
}

export const grantsModule: ServerModule = {
  handle({ id, repo }, send) {
    if (!repo?.grants) return false;
    const needed = REQUIRED_PERMISSION[id];
    if (!needed || granted(['metadata=read', ...repo.grants], needed)) return false;
    send(
      403,
      { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' },
      { 'x-accepted-github-permissions': needed },
    );
    return true;
  },
};
