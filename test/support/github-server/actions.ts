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
import { planAllows, CODE_SCANNING_MESSAGE } from './plans.js';
import { DOCS, type ServerModule } from './module.js';

export interface ActionsSettings {
  enabled: boolean;
  allowed_actions: 'all' | 'local_only' | 'selected';
  selected?: { github_owned_allowed: boolean; verified_allowed: boolean; patterns_allowed: string[] };
}

export const actionsModule: ServerModule = {
  handle({ id, repo }, send) {
    if (!repo) return false;
    const base = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
    switch (id) {
      case 'actions/get-github-actions-permissions-repository': {
        const a = repo.actions;
        send(200, a.enabled ? { enabled: true, allowed_actions: a.allowed_actions, selected_actions_url: `${base}/actions/permissions/selected-actions` } : { enabled: false });
        return true;
      }
      case 'actions/get-allowed-actions-repository':
        // Documented: only meaningful when allowed_actions is `selected`. ASSUMED: 409 otherwise (as the org variant).
        if (repo.actions.allowed_actions !== 'selected') send(409, { message: 'Allowed actions is not set to selected.', documentation_url: DOCS });
        else send(200, repo.actions.selected ?? { github_owned_allowed: true, verified_allowed: false, patterns_allowed: [] });
        return true;
      case 'code-scanning/get-default-setup':
        if (!planAllows(repo, 'code-scanning')) send(403, { message: CODE_SCANNING_MESSAGE, documentation_url: DOCS, status: '403' });
        else send(200, { state: repo.defaultSetup ? 'configured' : 'not-configured', languages: repo.defaultSetup ? ['javascript-typescript'] : [], query_suite: 'default', updated_at: null, schedule: repo.defaultSetup ? 'weekly' : null });
        return true;
      default:
        return false;
    }
  },
};
