/**
 * Whether GitHub Actions can run our workflows here, and code scanning's state: what decides whether a required
 * `security-gate` check can ever report.
 * - GET /repos/{o}/{r}/actions/permissions: `enabled`, `allowed_actions` all | local_only | selected; with `selected`,
 *   GET .../permissions/selected-actions lists `github_owned_allowed`, `verified_allowed`, `patterns_allowed`
 *   (docs.github.com/rest/actions/permissions). A disallowed action fails the run before any job starts.
 * - Code scanning default setup (GET /repos/{o}/{r}/code-scanning/default-setup, state configured | not-configured):
 *   eligible only with Actions enabled and Code Security on the repository (docs.github.com, "Configuring default setup
 *   for code scanning"); while it is on, advanced (workflow) CodeQL uploads are refused ("CodeQL analyses from advanced
 *   configurations cannot be processed when the default setup is enabled", codeql-action upload-lib).
 */
import { gunzipSync } from 'node:zlib';
import type { RepoState } from '../github-server.js';
import { planAllows, CODE_SCANNING_MESSAGE } from './plans.js';
import { DOCS, type ServerModule } from './module.js';

/** The refusal codeql-action reports when an advanced-setup CodeQL upload meets default setup (upload-lib.ts). */
export const DEFAULT_SETUP_CONFLICT =
  'CodeQL analyses from advanced configurations cannot be processed when the default setup is enabled';

/** SARIF uploads per repository: id → processing result. */
const uploads = new WeakMap<
  RepoState,
  Map<string, { processing_status: 'complete' | 'failed'; errors: string[] | null }>
>();

/** The tool names in an upload (`sarif` is gzip, then base64, as the REST API takes it). */
function sarifTools(sarif: unknown): string[] {
  try {
    const doc = JSON.parse(gunzipSync(Buffer.from(String(sarif), 'base64')).toString('utf8')) as {
      runs?: { tool?: { driver?: { name?: string } } }[];
    };
    return (doc.runs ?? []).map((r) => r.tool?.driver?.name ?? '');
  } catch {
    return [];
  }
}

export interface ActionsSettings {
  enabled: boolean;
  allowed_actions: 'all' | 'local_only' | 'selected';
  selected?: { github_owned_allowed: boolean; verified_allowed: boolean; patterns_allowed: string[] };
  /** "Require actions to be pinned to a full-length commit SHA" (changelog 2025-08-15; in the description). */
  sha_pinning_required?: boolean;
}

export const actionsModule: ServerModule = {
  handle({ id, repo, body, params }, send) {
    if (!repo) return false;
    const base = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
    switch (id) {
      case 'actions/get-github-actions-permissions-repository': {
        const a = repo.actions;
        send(
          200,
          a.enabled
            ? {
                enabled: true,
                allowed_actions: a.allowed_actions,
                selected_actions_url: `${base}/actions/permissions/selected-actions`,
                ...(a.sha_pinning_required !== undefined ? { sha_pinning_required: a.sha_pinning_required } : {}),
              }
            : { enabled: false },
        );
        return true;
      }
      case 'actions/get-allowed-actions-repository':
        // Documented: only meaningful when allowed_actions is `selected`. ASSUMED: 409 otherwise (as the org variant).
        if (repo.actions.allowed_actions !== 'selected')
          send(409, { message: 'Allowed actions is not set to selected.', documentation_url: DOCS });
        else
          send(
            200,
            repo.actions.selected ?? { github_owned_allowed: true, verified_allowed: false, patterns_allowed: [] },
          );
        return true;
      case 'code-scanning/get-default-setup':
        if (!planAllows(repo, 'code-scanning'))
          send(403, { message: CODE_SCANNING_MESSAGE, documentation_url: DOCS, status: '403' });
        else
          send(200, {
            state: repo.defaultSetup ? 'configured' : 'not-configured',
            languages: repo.defaultSetup ? ['javascript-typescript'] : [],
            query_suite: 'default',
            updated_at: null,
            schedule: repo.defaultSetup ? 'weekly' : null,
          });
        return true;
      case 'code-scanning/upload-sarif': {
        if (!planAllows(repo, 'code-scanning')) {
          send(403, { message: CODE_SCANNING_MESSAGE, documentation_url: DOCS, status: '403' });
          return true;
        }
        // The upload is accepted; processing then refuses CodeQL results from a workflow while default setup is on.
        const list = uploads.get(repo) ?? new Map();
        uploads.set(repo, list);
        const id = `sarif-${list.size + 1}`;
        const conflict = repo.defaultSetup && sarifTools(body?.sarif).some((t) => t === 'CodeQL');
        list.set(
          id,
          conflict
            ? { processing_status: 'failed', errors: [DEFAULT_SETUP_CONFLICT] }
            : { processing_status: 'complete', errors: null },
        );
        send(202, { id, url: `${base}/code-scanning/sarifs/${id}` });
        return true;
      }
      case 'code-scanning/get-sarif': {
        const got = uploads.get(repo)?.get(String(params.sarif_id));
        if (!got) send(404, { message: 'Not Found', documentation_url: DOCS });
        else send(200, { ...got, analyses_url: null });
        return true;
      }
      default:
        return false;
    }
  },
};
