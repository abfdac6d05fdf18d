/**
 * The endpoints the Operate audit reads, as GitHub documents them: run history (filters, Link paging, and the
 * 1,000-result cap on filtered searches), jobs and their logs (a 302 to a storage URL), workflows, push activity,
 * rule suites, deploy keys, webhooks, invitations, runners, environments, secrets, fork settings and alerts
 * (collaborators and Actions permissions are people.ts's and actions.ts's). State lives per repository; tests shape it through `operateData(repo)`.
 * A route can be denied with the permission GitHub would name in X-Accepted-GitHub-Permissions.
 */
import type { ServerResponse } from 'node:http';
import type { RepoState } from '../github-server.js';

type Json = Record<string, unknown>;

export interface OperateData {
  runs: Json[];
  jobs: Map<number, Json[]>;
  logs: Map<number, string>;
  workflows: Json[];
  activity: Json[];
  /** Pull requests associated with a commit SHA (GET …/commits/{sha}/pulls). */
  commitPulls: Map<string, Json[]>;
  ruleSuites: Json[];
  keys: Json[];
  hooks: Json[];
  invitations: Json[];
  runners: Json[];
  secrets: Json[];
  forkApproval: 'first_time_contributors_new_to_github' | 'first_time_contributors' | 'all_external_contributors';
  privateForks: {
    run_workflows_from_fork_pull_requests: boolean;
    send_write_tokens_to_workflows: boolean;
    send_secrets_and_variables: boolean;
    require_approval_for_fork_pr_workflows: boolean;
  };
  /** null: the feature is off (GitHub answers 404 or 403 as documented). */
  secretAlerts: Json[] | null;
  codeAlerts: Json[] | null;
  dependabotAlerts: Json[] | null;
  /** operationId → X-Accepted-GitHub-Permissions value: the route answers 403 naming it. */
  deny: Map<string, string>;
}

const data = new WeakMap<RepoState, OperateData>();

export function operateData(r: RepoState): OperateData {
  let d = data.get(r);
  if (!d) {
    d = {
      runs: [],
      jobs: new Map(),
      logs: new Map(),
      workflows: [],
      activity: [],
      commitPulls: new Map(),
      ruleSuites: [],
      keys: [],
      hooks: [],
      invitations: [],
      runners: [],
      secrets: [],
      forkApproval: 'first_time_contributors',
      privateForks: {
        run_workflows_from_fork_pull_requests: false,
        send_write_tokens_to_workflows: false,
        send_secrets_and_variables: false,
        require_approval_for_fork_pr_workflows: true,
      },
      secretAlerts: [],
      codeAlerts: [],
      dependabotAlerts: [],
      deny: new Map(),
    };
    data.set(r, d);
  }
  return d;
}

export interface FamilyContext {
  send(res: ServerResponse, status: number, body?: unknown, headers?: Record<string, string>): void;
  /** The server's base URL (with its API base path). */
  baseUrl(): string;
  /** GET shape of an environment as the main server renders it. */
  environmentBody(r: RepoState, name: string): Json | null;
}

const DOCS = 'https://docs.github.com/rest';
/** GitHub returns at most this many results for a filtered run search (REST docs, "List workflow runs for a repository"). */
export const RUN_SEARCH_CAP = 1000;
const BLOB = '/_storage/logs/';

/** GitHub's `created` syntax: `A..B`, `>=A`, `<=B`, `>A`, `<B` or a date. */
function createdFilter(v: string): (iso: string) => boolean {
  const t = (s: string) => Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
  const range = /^(.+)\.\.(.+)$/.exec(v);
  if (range) return (iso) => Date.parse(iso) >= t(range[1]!) && (range[2] === '*' || Date.parse(iso) <= t(range[2]!));
  const cmp = /^(>=|<=|>|<)(.+)$/.exec(v);
  if (cmp) {
    const x = t(cmp[2]!);
    return (iso) =>
      ({ '>=': Date.parse(iso) >= x, '<=': Date.parse(iso) <= x, '>': Date.parse(iso) > x, '<': Date.parse(iso) < x })[
        cmp[1] as '>='
      ];
  }
  return (iso) => iso.startsWith(v);
}

export function operateEndpoints(ctx: FamilyContext) {
  /** One page of `all`, with GitHub's Link header (next, last) built on the request's own query. */
  function page(
    res: ServerResponse,
    path: string,
    q: URLSearchParams,
    all: unknown[],
    wrap: ((items: unknown[]) => unknown) | null,
    reachable = all.length,
  ) {
    const per = Math.min(Number(q.get('per_page') ?? 30), 100);
    const n = Math.max(Number(q.get('page') ?? 1), 1);
    const limit = Math.min(all.length, reachable);
    const items = (n - 1) * per < limit ? all.slice((n - 1) * per, Math.min(n * per, limit)) : [];
    const last = Math.max(1, Math.ceil(limit / per));
    const link = (p: number, rel: string) => {
      const u = new URL(`${new URL(ctx.baseUrl()).origin}${path}`);
      q.forEach((v, k) => u.searchParams.set(k, v));
      u.searchParams.set('page', String(p));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links = [
      n < last ? link(n + 1, 'next') : '',
      n < last ? link(last, 'last') : '',
      n > 1 ? link(1, 'first') : '',
      n > 1 ? link(n - 1, 'prev') : '',
    ].filter(Boolean);
    ctx.send(res, 200, wrap ? wrap(items) : items, links.length ? { link: links.join(', ') } : {});
  }

  function runs(d: OperateData, q: URLSearchParams, workflowFile: string | null): { all: Json[]; filtered: boolean } {
    let all = [...d.runs].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
    if (workflowFile) all = all.filter((r) => String(r.path).replace(/@.*$/, '').endsWith(`/${workflowFile}`));
    const filters: [string, (r: Json, v: string) => boolean][] = [
      ['actor', (r, v) => (r.actor as Json | null)?.login === v],
      ['branch', (r, v) => r.head_branch === v],
      ['event', (r, v) => r.event === v],
      ['status', (r, v) => r.status === v || r.conclusion === v],
      ['head_sha', (r, v) => r.head_sha === v],
      ['created', (r, v) => createdFilter(v)(String(r.created_at))],
    ];
    let filtered = false;
    for (const [k, test] of filters) {
      const v = q.get(k);
      if (v === null) continue;
      filtered = true;
      all = all.filter((r) => test(r, v));
    }
    return { all, filtered };
  }

  return {
    raw(pathname: string, res: ServerResponse): boolean {
      if (!pathname.startsWith(BLOB)) return false;
      const [key, jobId] = pathname.slice(BLOB.length).split('/');
      const text = logStore.get(`${key}/${jobId}`);
      if (text === undefined) ctx.send(res, 404, { message: 'blob not found' });
      else {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(text);
      }
      return true;
    },

    route(
      id: string,
      r: RepoState,
      p: Record<string, unknown>,
      q: URLSearchParams,
      res: ServerResponse,
      path: string,
    ): boolean {
      const d = operateData(r);
      const denied = d.deny.get(id);
      if (denied !== undefined) {
        ctx.send(
          res,
          403,
          { message: 'Resource not accessible by personal access token', documentation_url: DOCS, status: '403' },
          denied ? { 'x-accepted-github-permissions': denied } : {},
        );
        return true;
      }
      switch (id) {
        case 'actions/list-workflow-runs-for-repo':
        case 'actions/list-workflow-runs': {
          const { all, filtered } = runs(d, q, id === 'actions/list-workflow-runs' ? String(p.workflow_id) : null);
          page(
            res,
            path,
            q,
            all,
            (items) => ({ total_count: all.length, workflow_runs: items }),
            filtered ? RUN_SEARCH_CAP : all.length,
          );
          return true;
        }
        case 'actions/list-jobs-for-workflow-run': {
          const jobs = d.jobs.get(Number(p.run_id)) ?? [];
          page(res, path, q, jobs, (items) => ({ total_count: jobs.length, jobs: items }));
          return true;
        }
        case 'actions/download-job-logs-for-workflow-run': {
          const text = d.logs.get(Number(p.job_id));
          if (text === undefined) {
            ctx.send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
            return true;
          }
          const key = `${r.id}-${Math.random().toString(36).slice(2, 10)}`;
          logStore.set(`${key}/${String(p.job_id)}`, text);
          const origin = new URL(ctx.baseUrl()).origin;
          ctx.send(res, 302, undefined, { location: `${origin}${BLOB}${key}/${String(p.job_id)}` });
          return true;
        }
        case 'actions/list-repo-workflows':
          page(res, path, q, d.workflows, (items) => ({ total_count: d.workflows.length, workflows: items }));
          return true;
        case 'repos/list-activities': {
          let all = d.activity.filter(
            (a) => !q.get('ref') || a.ref === q.get('ref') || a.ref === `refs/heads/${q.get('ref')}`,
          );
          const types = q.get('activity_type');
          if (types) all = all.filter((a) => types.split(',').includes(String(a.activity_type)));
          all.sort((a, b) => String(b.timestamp).localeCompare(String(a.timestamp)));
          ctx.send(res, 200, all.slice(0, Math.min(Number(q.get('per_page') ?? 30), 100)));
          return true;
        }
        case 'repos/list-pull-requests-associated-with-commit':
          page(res, path, q, d.commitPulls.get(String(p.commit_sha)) ?? [], null);
          return true;
        case 'repos/get-repo-rule-suites': {
          const result = q.get('rule_suite_result');
          page(
            res,
            path,
            q,
            d.ruleSuites.filter((s) => !result || result === 'all' || s.result === result),
            null,
          );
          return true;
        }
        case 'repos/list-deploy-keys':
          page(res, path, q, d.keys, null);
          return true;
        case 'repos/list-webhooks':
          page(res, path, q, d.hooks, null);
          return true;
        case 'repos/list-invitations':
          page(res, path, q, d.invitations, null);
          return true;
        case 'actions/list-self-hosted-runners-for-repo':
          page(res, path, q, d.runners, (items) => ({ total_count: d.runners.length, runners: items }));
          return true;
        case 'repos/get-all-environments': {
          const envs = [...r.environments.values()].map((e) => ctx.environmentBody(r, e.name)!);
          page(res, path, q, envs, (items) => ({ total_count: envs.length, environments: items }));
          return true;
        }
        case 'actions/list-repo-secrets':
          page(res, path, q, d.secrets, (items) => ({ total_count: d.secrets.length, secrets: items }));
          return true;
        case 'actions/get-fork-pr-contributor-approval-permissions-repository':
          ctx.send(res, 200, { approval_policy: d.forkApproval });
          return true;
        case 'actions/get-private-repo-fork-pr-workflows-settings-repository':
          // Documented for private repositories only.
          if (!r.private)
            ctx.send(res, 403, {
              message: 'This setting is only available for private repositories.',
              documentation_url: DOCS,
              status: '403',
            });
          else ctx.send(res, 200, d.privateForks);
          return true;
        case 'secret-scanning/list-alerts-for-repo':
          if (d.secretAlerts === null)
            ctx.send(res, 404, {
              message: 'Secret scanning is disabled on this repository.',
              documentation_url: DOCS,
              status: '404',
            });
          else page(res, path, q, d.secretAlerts, null);
          return true;
        case 'code-scanning/list-alerts-for-repo':
          if (d.codeAlerts === null)
            ctx.send(res, 404, { message: 'no analysis found', documentation_url: DOCS, status: '404' });
          else page(res, path, q, d.codeAlerts, null);
          return true;
        case 'dependabot/list-alerts-for-repo':
          if (d.dependabotAlerts === null)
            ctx.send(res, 403, {
              message: 'Dependabot alerts are disabled for this repository.',
              documentation_url: DOCS,
              status: '403',
            });
          else page(res, path, q, d.dependabotAlerts, null);
          return true;
        default:
          return false;
      }
    },
  };
}

/** Short-lived log blobs by signed key, as GitHub's storage redirect serves them. */
const logStore = new Map<string, string>();
