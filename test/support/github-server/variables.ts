/**
 * Repository variables for Actions (docs.github.com/rest/actions/variables): get answers 404 for an absent name,
 * create is POST {name, value} (201; ASSUMED 409 when it exists), update is PATCH (204). Names are case-insensitive
 * and stored upper case (docs: "Variable names are case insensitive" ... ASSUMED upper-casing as the UI shows).
 */
import type { RepoState } from '../github-server.js';
import { DOCS, type ServerModule } from './module.js';

const store = new WeakMap<RepoState, Map<string, { value: string; created_at: string; updated_at: string }>>();

export function variablesOf(r: RepoState): Map<string, { value: string; created_at: string; updated_at: string }> {
  let m = store.get(r);
  if (!m) store.set(r, (m = new Map()));
  return m;
}

export const variablesModule: ServerModule = {
  handle({ id, repo, params, body }, send) {
    if (!repo) return false;
    const vars = variablesOf(repo);
    const raw = params.name ?? body?.name;
    const name = (typeof raw === 'string' ? raw : '').toUpperCase();
    const now = new Date().toISOString();
    switch (id) {
      case 'actions/get-repo-variable': {
        const v = vars.get(name);
        if (!v) send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        else send(200, { name, ...v });
        return true;
      }
      case 'actions/create-repo-variable':
        if (vars.has(name)) {
          send(409, { message: 'Already exists', documentation_url: DOCS, status: '409' });
          return true;
        }
        vars.set(name, { value: typeof body?.value === 'string' ? body.value : '', created_at: now, updated_at: now });
        send(201, {});
        return true;
      case 'actions/update-repo-variable': {
        const v = vars.get(name);
        if (!v) send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        else {
          vars.set(name, { ...v, value: typeof body?.value === 'string' ? body.value : v.value, updated_at: now });
          send(204);
        }
        return true;
      }
      default:
        return false;
    }
  },
};
