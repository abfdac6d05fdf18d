/**
 * Environment secrets, and which workflow jobs may use an environment (and so read its secrets). Environments
 * themselves (create, branch policies, plan 403s) are in github-server.ts; their plan gating is plans.ts's.
 *
 * Sources, docs.github.com:
 * - "Managing environments for deployment": deployment branches and tags are "No restriction", "Protected branches
 *   only" ("Only branches with branch protection rules enabled can deploy to the environment. If no branch protection
 *   rules are defined for any branch in the repository, then all branches can deploy.") or "Selected branches and
 *   tags" (name patterns, Ruby `File.fnmatch` syntax, where a wildcard does not match `/`). "Users with GitHub Free
 *   plans can only configure environments for public repositories. If you convert a repository from public to
 *   private, any configured protection rules or environment secrets will be ignored."
 * - "Deployments and environments": "When a workflow job references an environment, the job won't start until all of
 *   the environment's protection rules pass. A job also cannot access secrets that are defined in an environment until
 *   all the deployment protection rules pass."
 * - "Using secrets in GitHub Actions": repository secrets are available to every workflow in the repository, on any
 *   branch a writer pushes (pull requests from forks aside); an environment secret takes precedence over a repository
 *   secret of the same name.
 * - REST "GitHub Actions Secrets": get a repository secret / an environment secret answers 404 when there is none;
 *   `gh secret set NAME --env ENV` is GET .../environments/{env}/secrets/public-key then PUT .../secrets/{name}
 *   (201 created, 204 updated).
 */
import type { RepoState } from '../github-server.js';
import { DOCS, type ServerModule } from './module.js';
import { operateData } from './operate.js';
import { planAllows, PLAN_MESSAGE } from './plans.js';

const store = new WeakMap<RepoState, Map<string, Map<string, string>>>();

/** Secret names (upper case) stored per environment (lower-case environment name), with their update time. */
export function environmentSecretsOf(r: RepoState): Map<string, Map<string, string>> {
  let m = store.get(r);
  if (!m) store.set(r, (m = new Map()));
  return m;
}

/** What a job referencing `environment` gets when it runs for `ref` (refs/heads/... or refs/tags/...). */
export type EnvironmentVerdict = { runs: true; secrets: string[]; why: string } | { runs: false; why: string };

/** Ruby File.fnmatch without FNM_PATHNAME subtleties beyond the documented one: `*` and `?` never match `/`. */
function fnmatch(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      // "**" matches across `/` (the docs' example `release/**/*`).
      if (pattern[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(name);
}

/** True when the branch has classic protection. ASSUMED: a branch only a ruleset covers does not count (see below). */
const classicProtected = (r: RepoState, branch: string) => r.protection.has(branch);

/**
 * Whether a job that references `environment` runs for `ref`, and which secrets it can read. The job's repository
 * secrets are added by the caller (see jobSecrets). What happens when the environment does not exist is not modelled:
 * GitHub creates it on first reference (docs: "Deploying to a specific environment"), but what that does on a plan
 * without environments is not documented, and the generated workflows never reference an environment protect did
 * not make (the variable gates them).
 */
export function environmentVerdict(r: RepoState, environment: string, ref: string): EnvironmentVerdict {
  const env = r.environments.get(environment.toLowerCase());
  if (!env) throw new Error(`environment "${environment}" does not exist in the mock (not modelled; see above)`);
  // Documented: on GitHub Free, a private repository's environment rules and secrets are ignored.
  if (!planAllows(r, 'environments'))
    return { runs: true, secrets: [], why: 'private repository on GitHub Free: environment rules and secrets ignored' };
  const bp = env.deployment_branch_policy;
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
  const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : null;
  let admitted: boolean;
  if (!bp) admitted = true;
  else if (bp.protected_branches) {
    // ASSUMED: only classic protection counts ("branches with branch protection rules enabled"); rulesets are not
    // named on that page. The generated setup never relies on this mode (it names the branch instead).
    const any = r.protection.size > 0;
    admitted = branch !== null && (!any || classicProtected(r, branch));
  } else {
    admitted = (env.branch_policies ?? []).some((p) =>
      p.type === 'tag' ? tag !== null && fnmatch(p.name, tag) : branch !== null && fnmatch(p.name, branch),
    );
  }
  if (!admitted) return { runs: false, why: `${ref} is not allowed to deploy to ${env.name} (deployment branches)` };
  const secrets = [...(environmentSecretsOf(r).get(env.name.toLowerCase())?.keys() ?? [])];
  return { runs: true, secrets, why: `${ref} may use ${env.name}` };
}

/** The secrets a job can read: the repository's, and (when it runs in an admitting environment) the environment's. */
export function jobSecrets(r: RepoState, environment: string | null, ref: string): EnvironmentVerdict {
  const repoSecrets = operateData(r).secrets.map((s) => String(s.name).toUpperCase());
  if (!environment) return { runs: true, secrets: repoSecrets, why: 'repository secrets are given to every branch' };
  const v = environmentVerdict(r, environment, ref);
  return v.runs ? { ...v, secrets: [...new Set([...v.secrets, ...repoSecrets])] } : v;
}

const notFound = { message: 'Not Found', documentation_url: DOCS, status: '404' };

export const environmentsModule: ServerModule = {
  handle({ id, repo, params }, send) {
    if (!repo) return false;
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    const envName = text(params.environment_name).toLowerCase();
    const secretName = text(params.secret_name).toUpperCase();
    const day = '2026-01-01T00:00:00Z';
    switch (id) {
      case 'actions/get-repo-secret': {
        const s = operateData(repo).secrets.find((x) => String(x.name).toUpperCase() === secretName);
        if (!s) send(404, notFound);
        else send(200, { name: secretName, created_at: day, updated_at: day });
        return true;
      }
      case 'actions/get-environment-secret': {
        if (!repo.environments.has(envName)) send(404, notFound);
        else if (!environmentSecretsOf(repo).get(envName)?.has(secretName)) send(404, notFound);
        else send(200, { name: secretName, created_at: day, updated_at: day });
        return true;
      }
      case 'actions/get-environment-public-key':
        if (!repo.environments.has(envName)) send(404, notFound);
        else send(200, { key_id: '568250167242549743', key: 'hBT5WZEj8ZoOv6TYJsfWq7MxTEQopZO5/IT3ZCVQPzs=' });
        return true;
      case 'actions/create-or-update-environment-secret': {
        if (!repo.environments.has(envName)) {
          send(404, notFound);
          return true;
        }
        // ASSUMED: on a plan without environments the write is refused like the environment's own writes.
        if (!planAllows(repo, 'environments')) {
          send(403, { message: PLAN_MESSAGE, documentation_url: DOCS, status: '403' });
          return true;
        }
        const all = environmentSecretsOf(repo);
        const secrets = all.get(envName) ?? new Map<string, string>();
        const existed = secrets.has(secretName);
        secrets.set(secretName, new Date().toISOString());
        all.set(envName, secrets);
        send(existed ? 204 : 201, existed ? undefined : {});
        return true;
      }
      default:
        return false;
    }
  },
};
