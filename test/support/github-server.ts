/**
 * A stateful GitHub REST stand-in for tests. Every request is matched to an operation of GitHub's published OpenAPI
 * description (@octokit/openapi, api.github.com or a GHES version), and its path parameters, query and JSON body are
 * validated against that operation's schemas with ajv. Invalid requests get a 422 and are listed in `invalid`, so a
 * test can assert the client only ever sent what GitHub documents. State is kept per repository (GET after PUT
 * reflects the write), every request is recorded, and faults can be injected by route.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { operateEndpoints } from './github-server/operate.js';
import { actionsModule, type ActionsSettings } from './github-server/actions.js';
import { environmentsModule } from './github-server/environments.js';
import { grantsModule } from './github-server/grants.js';
import type { ServerModule } from './github-server/module.js';
import { simpleUser } from './github-server/users.js';
import { peopleModule, type Person } from './github-server/people.js';
import { PLAN_MESSAGE, planAllows, type Feature } from './github-server/plans.js';
import { pullsModule, type PullRequest } from './github-server/pulls.js';
import { applyPush, type Commit, type Push, type PushResult } from './github-server/rules.js';
import { variablesModule } from './github-server/variables.js';

export { PLAN_MESSAGE } from './github-server/plans.js';

/**
 * GitHub's rules beyond the schema, one family per module (each cites its documentation). They see a validated
 * request before the built-in handlers below.
 */
const MODULES: ServerModule[] = [
  grantsModule,
  peopleModule,
  actionsModule,
  pullsModule,
  variablesModule,
  environmentsModule,
];

type Json = Record<string, unknown>;

// ---------------------------------------------------------------- the OpenAPI description

export type SpecName = 'api.github.com' | 'ghes-3.17' | 'ghes-3.18' | 'ghes-3.19';

interface OperationDef {
  method: string;
  template: string;
  operationId: string;
  regex: RegExp;
  paramNames: string[];
  /** Literal characters in the template: more literal = more specific, matched first. */
  specificity: number;
  parameters: Json[];
  hasBody: boolean;
  bodyPointer: string | null;
  /** JSON pointer prefix of this operation in the description (for response schemas). */
  pointer: string;
  responseStatuses: string[];
}

interface Spec {
  operations: OperationDef[];
  ajv: Ajv;
  validators: Map<string, ValidateFunction>;
}

const specs = new Map<SpecName, Spec>();

/**
 * OpenAPI 3.0 → JSON Schema: `nullable: true` becomes a null type (or an anyOf with null when there is no `type`),
 * and documentation-only keywords ajv does not know (`example`, `x-*`, `discriminator`, ...) are dropped.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'example' || k === 'discriminator' || k === 'xml' || k === 'externalDocs' || k.startsWith('x-')) continue;
    out[k] = toJsonSchema(v);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    const { description, ...rest } = out;
    return { ...(description ? { description } : {}), anyOf: [rest, { type: 'null' }] };
  }
  if (out.nullable === false) delete out.nullable;
  return out;
}

/**
 * Where the published description and GitHub's behaviour differ, model GitHub. Each gap names its evidence.
 * - PUT .../protection `required_status_checks`: the description requires the deprecated `contexts`; GitHub takes
 *   exactly one of `contexts` or `checks` and answers 422 to both or neither (go-github #2276, #2976). The schema
 *   drops `required: contexts`; `protectionProblems` enforces exactly-one.
 */
function patchKnownGaps(raw: { paths: Json }): void {
  const put = (raw.paths['/repos/{owner}/{repo}/branches/{branch}/protection'] as Json | undefined)?.put as
    Json | undefined;
  const body = ((put?.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as
    Json | undefined;
  const sc = ((body?.schema as Json | undefined)?.properties as Json | undefined)?.required_status_checks as
    Json | undefined;
  if (sc && Array.isArray(sc.required)) sc.required = (sc.required as string[]).filter((k) => k !== 'contexts');
}

function loadSpec(name: SpecName): Spec {
  const cached = specs.get(name);
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@octokit/openapi/package.json'));
  const raw = JSON.parse(readFileSync(path.join(dir, 'generated', `${name}.json`), 'utf8')) as {
    paths: Json;
    components: Json;
  };
  patchKnownGaps(raw);
  const doc = { $id: 'gh', components: toJsonSchema(raw.components), paths: toJsonSchema(raw.paths) } as Json;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, coerceTypes: false });
  ajv.addSchema(doc);
  const components = doc.components as { parameters: Record<string, Json> };
  const operations: OperationDef[] = [];
  for (const [template, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const parameters = ((op.parameters as Json[] | undefined) ?? []).map((p) =>
        typeof p.$ref === 'string' ? components.parameters[p.$ref.split('/').pop()!]! : p,
      );
      const paramNames: string[] = [];
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_m, n: string) => {
        paramNames.push(n);
        const multi = parameters.find((p) => p.name === n)?.['x-multi-segment'] === true;
        return multi ? '(.+?)' : '([^/]+)';
      });
      const content = (op.requestBody as Json | undefined)?.content as Json | undefined;
      const hasJson = Boolean(content?.['application/json']);
      const escaped = template.replace(/~/g, '~0').replace(/\//g, '~1');
      operations.push({
        method: method.toUpperCase(),
        template,
        operationId: String(op.operationId),
        regex: new RegExp(`^${source}$`),
        paramNames,
        specificity: template.replace(/\{[^}]+\}/g, '').length,
        parameters,
        hasBody: hasJson,
        bodyPointer: hasJson ? `gh#/paths/${escaped}/${method}/requestBody/content/application~1json/schema` : null,
        pointer: `gh#/paths/${escaped}/${method}`,
        responseStatuses: Object.entries((op.responses as Record<string, Json> | undefined) ?? {})
          .filter(([, r]) => Boolean((r.content as Json | undefined)?.['application/json']))
          .map(([code]) => code),
      });
    }
  }
  operations.sort((a, b) => b.specificity - a.specificity);
  const spec = { operations, ajv, validators: new Map<string, ValidateFunction>() };
  specs.set(name, spec);
  return spec;
}

function validator(spec: Spec, key: string, schema: Json): ValidateFunction {
  const found = spec.validators.get(key);
  if (found) return found;
  const v = spec.ajv.compile(schema);
  spec.validators.set(key, v);
  return v;
}

/** A query or path value (always a string on the wire) as the type its schema asks for. */
function coerce(value: string, schema: Json | undefined): unknown {
  const t = Array.isArray(schema?.type) ? (schema.type as string[])[0] : schema?.type;
  if (t === 'integer' || t === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (t === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

// ---------------------------------------------------------------- state

export interface RepoInit {
  owner: string;
  name: string;
  private?: boolean;
  ownerType?: 'User' | 'Organization';
  /** Account plan: 'free' makes protection and rulesets on private repositories answer 403 "Upgrade ...". */
  plan?: string;
  /** Whether GET /user or GET /orgs shows the plan (the account itself / an org owner). Default true. */
  planVisible?: boolean;
  admin?: boolean;
  archived?: boolean;
  defaultBranch?: string;
  /** Existing branches; [] is an empty repository. Default: [defaultBranch]. */
  branches?: string[];
  collaborators?: number;
  /** Private repositories with Secret Protection / Advanced Security can turn on secret scanning. */
  advancedSecurity?: boolean;
  /** False: behave like a GHES without the rulesets API (404). */
  rulesetsApi?: boolean;
  /**
   * Apps that recently reported each check: a classic `checks` entry sent without app_id is pinned to that app, as
   * GitHub documents for update-branch-protection.
   */
  recentCheckApps?: Record<string, number>;
  /** The token is a GitHub App installation token: the repository shows no `permissions`. */
  installationToken?: boolean;
  /** Who has which role (solo maintainer vs team); default: the owner (admin) plus `collaborators - 1` writers. */
  people?: Person[];
  /** GitHub Actions settings; default: enabled, every action allowed. */
  actions?: ActionsSettings;
  /** Code scanning default setup is on (possibly set by an organization security configuration). */
  defaultSetup?: boolean;
  /** The token's fine-grained permissions (`administration=read`, ...); null: not checked (a classic admin token). */
  grants?: string[] | null;
  /** Logins CODEOWNERS names for every path (teams are not modelled). */
  codeowners?: string[];
}

/** A deployment environment as stored by the mock (the PUT vocabulary; GET renders protection_rules from it). */
export interface EnvironmentRecord {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  wait_timer: number;
  prevent_self_review: boolean;
  reviewers: { type: 'User' | 'Team'; id: number }[];
  deployment_branch_policy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  /** Custom deployment branch policies (name patterns), in creation order; listed by their own routes. */
  branch_policies?: { id: number; node_id: string; name: string; type: 'branch' | 'tag' }[];
}

export interface RepoState extends Required<RepoInit> {
  id: number;
  /** Each branch's commits, oldest first, and who pushed last (what rules and merges look at). */
  heads: Map<string, { commits: Commit[]; pushedBy: string }>;
  /** Check results per commit SHA. */
  checks: Map<string, { context: string; conclusion: 'success' | 'failure'; appId: number | null }[]>;
  pulls: PullRequest[];
  /** Deployment environments by name (GitHub matches names case-insensitively; keys are lower case). */
  environments: Map<string, EnvironmentRecord>;
  protection: Map<string, Json>;
  rulesets: Json[];
  /** Rules other (organization) rulesets apply to every branch: { type, parameters?, ruleset_id, ruleset_source }. */
  orgRules: Json[];
  vulnerabilityAlerts: boolean;
  automatedSecurityFixes: boolean;
  privateVulnerabilityReporting: boolean;
  workflow: { default_workflow_permissions: 'read' | 'write'; can_approve_pull_request_reviews: boolean };
  secretScanning: boolean;
  pushProtection: boolean;
  allowRebaseMerge: boolean;
  allowSquashMerge: boolean;
  allowMergeCommit: boolean;
}

export type Fault =
  | 'unauthorized'
  | 'forbidden-admin'
  | 'plan'
  | 'not-found'
  | 'conflict'
  | 'unprocessable'
  | 'rate-limit'
  | 'rate-limit-429'
  | 'secondary-rate-limit'
  | 'network-drop'
  /** Answers 204 and changes nothing: what a write looks like when a policy silently keeps the old value. */
  | 'ignored';

export interface Injection {
  /** "METHOD /template" as in the OpenAPI description (e.g. "PUT /repos/{owner}/{repo}/branches/{branch}/protection"), or "*". */
  route: string;
  fault: Fault;
  /** How many requests it hits (default: all). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  route: string | null;
  operationId: string | null;
  query: Record<string, string>;
  body: unknown;
  status: number;
  authorization: string | undefined;
}

export interface GitHubServer {
  url: string;
  requests: RecordedRequest[];
  /** Requests that matched no documented operation or failed schema validation, with the reasons. */
  invalid: { method: string; path: string; errors: string[] }[];
  /** Responses of this mock that do not match the description's response schema (keeps the mock honest). */
  invalidResponses: { operationId: string; status: number; errors: string[] }[];
  writes(): RecordedRequest[];
  inject(i: Injection): void;
  clearInjections(): void;
  repo(owner: string, name: string): RepoState;
  addRepo(init: RepoInit): RepoState;
  /** A git push (no REST endpoint does it): refused with the rule violations GitHub would name, or applied. */
  push(owner: string, name: string, push: Push): PushResult;
  /** A check run on a commit, as GitHub Actions (app 15368) reports it unless another app id is given. */
  reportCheck(
    owner: string,
    name: string,
    sha: string,
    context: string,
    conclusion: 'success' | 'failure',
    appId?: number | null,
  ): void;
  /** Sets classic protection as if someone had PUT this body (for tests that start from a hand-made setup). */
  setProtection(owner: string, name: string, branch: string, putBody: Json, signatures?: boolean): void;
  close(): Promise<void>;
}

/**
 * Operations whose answers carry only the fields the code under test reads (the full repository and user objects
 * have a hundred required URLs); every other answer is checked against the description's response schema.
 */
const PARTIAL_RESPONSES = new Set([
  'repos/get',
  'repos/update',
  'users/get-authenticated',
  'orgs/get',
  'repos/get-branch',
  ...MODULES.flatMap((m) => m.partialResponses ?? []),
]);
const ADMIN_MESSAGE = 'Must have admin rights to Repository.';
const DOCS = 'https://docs.github.com/rest';

export interface ServerOptions {
  token: string;
  /** Login of the token's user (GET /user). Default: the first repository's owner. */
  login?: string;
  repos: RepoInit[];
  spec?: SpecName;
  /** Base path the API lives under ('' for api.github.com style, '/api/v3' for GHES style). */
  basePath?: string;
  /** More people's tokens (a reviewer, a second maintainer); requests carrying one act as that login. */
  users?: { login: string; token: string }[];
}

export async function startGitHubServer(opts: ServerOptions): Promise<GitHubServer> {
  const spec = loadSpec(opts.spec ?? 'api.github.com');
  const basePath = opts.basePath ?? '';
  const specName = opts.spec ?? 'api.github.com';
  // GitHub Enterprise Server names its version on every response.
  const serverHeaders: Record<string, string> = specName.startsWith('ghes-')
    ? { 'x-github-enterprise-version': `${specName.slice(5)}.0` }
    : {};
  const repos = new Map<string, RepoState>();
  let nextId = 1000;
  const addRepo = (init: RepoInit): RepoState => {
    const defaultBranch = init.defaultBranch ?? 'main';
    const state: RepoState = {
      private: false,
      ownerType: 'User',
      plan: 'free',
      planVisible: true,
      admin: true,
      archived: false,
      branches: [defaultBranch],
      collaborators: 1,
      advancedSecurity: false,
      rulesetsApi: true,
      recentCheckApps: {},
      installationToken: false,
      people: [],
      actions: { enabled: true, allowed_actions: 'all' },
      defaultSetup: false,
      grants: null,
      codeowners: [],
      ...init,
      defaultBranch,
      id: nextId++,
      heads: new Map(),
      checks: new Map(),
      pulls: [],
      protection: new Map(),
      environments: new Map(),
      rulesets: [],
      orgRules: [],
      vulnerabilityAlerts: false,
      automatedSecurityFixes: false,
      privateVulnerabilityReporting: false,
      workflow: { default_workflow_permissions: 'write', can_approve_pull_request_reviews: true },
      secretScanning: false,
      pushProtection: false,
      allowRebaseMerge: true,
      allowSquashMerge: true,
      allowMergeCommit: true,
    };
    // Existing branches start with one signed commit each.
    for (const b of state.branches)
      state.heads.set(b, { commits: [{ sha: `${nextId++}`.padStart(40, 'a'), signed: true }], pushedBy: state.owner });
    repos.set(`${init.owner}/${init.name}`.toLowerCase(), state);
    return state;
  };
  opts.repos.forEach(addRepo);
  const login = opts.login ?? opts.repos[0]?.owner ?? 'octocat';
  const requests: RecordedRequest[] = [];
  const invalid: GitHubServer['invalid'] = [];
  const invalidResponses: GitHubServer['invalidResponses'] = [];
  let injections: (Injection & { left: number })[] = [];
  // Endpoint families in their own modules (test/support/github-server/).
  const operate = operateEndpoints({
    send: (res, status, body, headers) => send(res, status, body, headers),
    baseUrl: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`,
    environmentBody: (r, name) => {
      const e = r.environments.get(name.toLowerCase());
      return e ? environmentBody(`http://localhost/repos/${r.owner}/${r.name}`, r, e) : null;
    },
  });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        send(res, 500, { message: `mock server bug: ${(err as Error).message}` });
      }
    });
  });

  function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
    const rec = (res as ServerResponse & { rec?: RecordedRequest; op?: OperationDef }).rec;
    const op = (res as ServerResponse & { op?: OperationDef }).op;
    if (rec) rec.status = status;
    if (
      op &&
      body !== undefined &&
      status < 300 &&
      op.responseStatuses.includes(String(status)) &&
      !PARTIAL_RESPONSES.has(op.operationId)
    ) {
      const v = validator(spec, `${op.operationId}:response:${status}`, {
        $ref: `${op.pointer}/responses/${status}/content/application~1json/schema`,
      });
      if (!v(body))
        invalidResponses.push({
          operationId: op.operationId,
          status,
          errors: (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`),
        });
    }
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-limit': '5000',
      ...serverHeaders,
      ...headers,
    });
    res.end(text);
  }

  function handle(req: IncomingMessage, res: ServerResponse, text: string) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    let pathname = decodeURIComponent(url.pathname);
    const rec: RecordedRequest = {
      method,
      path: pathname,
      route: null,
      operationId: null,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      status: 0,
      authorization: req.headers.authorization,
    };
    requests.push(rec);
    (res as ServerResponse & { rec?: RecordedRequest }).rec = rec;
    if (basePath && pathname.startsWith(basePath)) pathname = pathname.slice(basePath.length) || '/';
    // Hosts GitHub redirects to (log storage) are no API operation.
    if (operate.raw(pathname, res)) return;
    // Octokit sends path parameters percent-encoded; match on the raw path so "a/b" branch names stay one value.
    const rawPath = basePath && url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;

    const op = spec.operations.find((o) => o.method === method && o.regex.test(rawPath));
    if (!op) {
      invalid.push({
        method,
        path: pathname,
        errors: ['no operation in the OpenAPI description matches this method and path'],
      });
      return send(res, 404, { message: 'Not Found', documentation_url: DOCS });
    }
    rec.route = `${method} ${op.template}`;
    (res as ServerResponse & { op?: OperationDef }).op = op;
    rec.operationId = op.operationId;
    const m = op.regex.exec(rawPath)!;
    const params: Record<string, unknown> = {};
    op.paramNames.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));

    // Authentication before anything else, as GitHub does.
    const auth = req.headers.authorization ?? '';
    const presented = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
    const fault = takeInjection(rec.route);
    if (fault === 'network-drop') {
      req.socket.destroy();
      rec.status = -1;
      return;
    }
    const other = opts.users?.find((u) => u.token === presented);
    if ((presented !== opts.token && !other) || fault === 'unauthorized') {
      return send(res, 401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    }
    (res as ServerResponse & { actor?: string }).actor = other?.login ?? login;

    // Validate path parameters, query and body against the operation.
    const errors: string[] = [];
    for (const p of op.parameters) {
      const where = p.in as string;
      const name = p.name as string;
      const schema = (p.schema as Json | undefined) ?? {};
      if (where === 'path') {
        const v = validator(spec, `${op.operationId}:path:${name}`, schema);
        if (!v(coerce(String(params[name]), schema)))
          errors.push(`path parameter ${name}: ${spec.ajv.errorsText(v.errors)}`);
      } else if (where === 'query') {
        const raw = url.searchParams.get(name);
        if (raw === null) {
          if (p.required) errors.push(`query parameter ${name} is required`);
          continue;
        }
        const v = validator(spec, `${op.operationId}:query:${name}`, schema);
        if (!v(coerce(raw, schema))) errors.push(`query parameter ${name}: ${spec.ajv.errorsText(v.errors)}`);
      }
    }
    for (const key of url.searchParams.keys()) {
      if (!op.parameters.some((p) => p.in === 'query' && p.name === key))
        errors.push(`query parameter ${key} is not documented for ${op.operationId}`);
    }
    let body: unknown = undefined;
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        errors.push('body is not JSON');
      }
    }
    rec.body = body;
    if (op.bodyPointer && body !== undefined) {
      const v = validator(spec, `${op.operationId}:body`, { $ref: op.bodyPointer });
      if (!v(body))
        errors.push(
          ...(v.errors ?? []).map(
            (e) => `body${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
          ),
        );
    } else if (
      !op.hasBody &&
      body !== undefined &&
      !(typeof body === 'object' && body && Object.keys(body).length === 0)
    ) {
      errors.push(`${op.operationId} takes no request body`);
    }
    if (errors.length) {
      invalid.push({ method, path: pathname, errors });
      return send(res, 422, { message: 'Invalid request.', errors, documentation_url: DOCS, status: '422' });
    }

    switch (fault) {
      case 'forbidden-admin':
        return send(res, 403, { message: ADMIN_MESSAGE, documentation_url: DOCS, status: '403' });
      case 'plan':
        return send(res, 403, { message: PLAN_MESSAGE, documentation_url: DOCS, status: '403' });
      case 'not-found':
        return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      case 'conflict':
        return send(res, 409, {
          message: 'An organization policy prevents this change.',
          documentation_url: DOCS,
          status: '409',
        });
      case 'unprocessable':
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Repository', code: 'custom', message: 'Injected validation failure' }],
          documentation_url: DOCS,
          status: '422',
        });
      case 'rate-limit':
      case 'rate-limit-429':
        return send(
          res,
          fault === 'rate-limit' ? 403 : 429,
          { message: 'API rate limit exceeded for user ID 1.', documentation_url: DOCS },
          {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
          },
        );
      case 'secondary-rate-limit':
        return send(
          res,
          403,
          {
            message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url: DOCS,
          },
          { 'retry-after': '1' },
        );
      case 'ignored':
        return send(res, 204);
      default:
        break;
    }
    route(op.operationId, params, body as Json | undefined, url.searchParams, res);
  }

  function takeInjection(routeKey: string): Fault | null {
    const hit = injections.find((i) => i.left > 0 && (i.route === '*' || i.route === routeKey));
    if (!hit) return null;
    hit.left--;
    return hit.fault;
  }

  // ------------------------------------------------------------ operation handlers

  const needsAdmin = new Set([
    'repos/get-branch-protection',
    'repos/update-branch-protection',
    'repos/get-commit-signature-protection',
    'repos/create-commit-signature-protection',
    'repos/delete-commit-signature-protection',
    'repos/create-repo-ruleset',
    'repos/update-repo-ruleset',
    'repos/enable-vulnerability-alerts',
    'repos/enable-automated-security-fixes',
    'repos/enable-private-vulnerability-reporting',
    'actions/set-github-actions-default-workflow-permissions-repository',
    'repos/update',
    'repos/create-or-update-environment',
    'repos/create-deployment-branch-policy',
    'repos/delete-deployment-branch-policy',
  ]);
  // Features the plan decides on private repositories (see github-server/plans.ts for the documentation).
  const planGated = new Map<string, Feature>([
    ['repos/get-branch-protection', 'branch-protection'],
    ['repos/update-branch-protection', 'branch-protection'],
    ['repos/create-commit-signature-protection', 'branch-protection'],
    ['repos/get-repo-rulesets', 'rulesets'],
    ['repos/create-repo-ruleset', 'rulesets'],
    ['repos/update-repo-ruleset', 'rulesets'],
    ['repos/create-or-update-environment', 'environments'],
    ['repos/create-deployment-branch-policy', 'environments'],
    ['repos/delete-deployment-branch-policy', 'environments'],
  ]);

  function route(
    id: string,
    p: Record<string, unknown>,
    body: Json | undefined,
    q: URLSearchParams,
    res: ServerResponse,
  ) {
    if (id === 'users/get-authenticated') {
      const me = (res as ServerResponse & { actor?: string }).actor ?? login;
      const own = [...repos.values()].find((r) => r.owner.toLowerCase() === me.toLowerCase());
      return send(res, 200, {
        login: me,
        id: 1,
        type: 'User',
        ...(own?.planVisible
          ? { plan: { name: own.plan, space: 976562499, private_repos: 10000, collaborators: 0 } }
          : {}),
      });
    }
    if (id === 'orgs/get') {
      const org = [...repos.values()].find(
        (r) => r.owner.toLowerCase() === String(p.org).toLowerCase() && r.ownerType === 'Organization',
      );
      if (!org) return send(res, 404, { message: 'Not Found', documentation_url: DOCS });
      return send(res, 200, {
        login: org.owner,
        id: 2,
        ...(org.planVisible ? { plan: { name: org.plan, space: 976562499, private_repos: 10000 } } : {}),
      });
    }
    const r = repos.get(`${String(p.owner)}/${String(p.repo)}`.toLowerCase());
    if (!r) return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    const actor = (res as ServerResponse & { actor?: string }).actor ?? login;
    const reply = (status: number, b?: unknown, headers?: Record<string, string>) => send(res, status, b, headers);
    for (const m of MODULES) if (m.handle({ id, repo: r, params: p, body, query: q, actor, res }, reply)) return;
    // The Operate endpoints (test/support/github-server/operate.ts), after the rule modules.
    if (operate.route(id, r, p, q, res, (res as ServerResponse & { rec?: RecordedRequest }).rec?.path ?? '')) return;
    if (needsAdmin.has(id) && !r.admin)
      return send(res, 403, { message: ADMIN_MESSAGE, documentation_url: DOCS, status: '403' });
    const feature = planGated.get(id);
    if (feature && !planAllows(r, feature))
      return send(res, 403, { message: PLAN_MESSAGE, documentation_url: DOCS, status: '403' });
    const branch = p.branch as string | undefined;
    const base = `http://localhost/repos/${r.owner}/${r.name}`;
    const noBranch = () => send(res, 404, { message: 'Branch not found', documentation_url: DOCS, status: '404' });

    switch (id) {
      case 'repos/get':
        return send(res, 200, repoBody(r));
      case 'repos/update': {
        if (body?.security_and_analysis) {
          const sa = body.security_and_analysis as Json;
          if (r.private && !r.advancedSecurity && (sa.secret_scanning || sa.secret_scanning_push_protection)) {
            return send(res, 422, {
              message: 'Secret scanning is not available for this repository.',
              documentation_url: DOCS,
            });
          }
          const st = (k: string) => (sa[k] as { status?: string } | undefined)?.status;
          if (st('secret_scanning')) r.secretScanning = st('secret_scanning') === 'enabled';
          if (st('secret_scanning_push_protection'))
            r.pushProtection = st('secret_scanning_push_protection') === 'enabled';
        }
        if (typeof body?.allow_rebase_merge === 'boolean') r.allowRebaseMerge = body.allow_rebase_merge;
        if (typeof body?.allow_squash_merge === 'boolean') r.allowSquashMerge = body.allow_squash_merge;
        if (typeof body?.allow_merge_commit === 'boolean') r.allowMergeCommit = body.allow_merge_commit;
        if (!r.allowRebaseMerge && !r.allowSquashMerge && !r.allowMergeCommit) {
          r.allowMergeCommit = true;
          return send(res, 422, { message: 'At least one merge method must be enabled.', documentation_url: DOCS });
        }
        return send(res, 200, repoBody(r));
      }
      case 'repos/get-branch':
        if (!r.branches.includes(branch!)) return noBranch();
        return send(res, 200, {
          name: branch,
          commit: {
            sha: r.heads.get(branch!)?.commits.at(-1)?.sha ?? 'a'.repeat(40),
            url: `${base}/commits/${'a'.repeat(40)}`,
          },
          protected: r.protection.has(branch!),
          protection: {},
          protection_url: `${base}/branches/${branch}/protection`,
          _links: { self: '', html: '' },
        });
      case 'repos/get-branch-protection': {
        if (!r.branches.includes(branch!)) return noBranch();
        const prot = r.protection.get(branch!);
        if (!prot) return send(res, 404, { message: 'Branch not protected', documentation_url: DOCS, status: '404' });
        return send(res, 200, prot);
      }
      case 'repos/update-branch-protection': {
        if (!r.branches.includes(branch!)) return noBranch();
        const problem = protectionProblems(r, body!);
        if (problem) return send(res, 422, { message: problem, documentation_url: DOCS, status: '422' });
        const prev = r.protection.get(branch!);
        const sc = body!.required_status_checks as Json | null;
        const pinned = sc?.checks
          ? {
              ...body!,
              required_status_checks: {
                ...sc,
                checks: (sc.checks as Json[]).map((c) =>
                  c.app_id === undefined && r.recentCheckApps[String(c.context)]
                    ? { ...c, app_id: r.recentCheckApps[String(c.context)] }
                    : c,
                ),
              },
            }
          : body!;
        const next = protectionFromPut(
          `${base}/branches/${branch}/protection`,
          pinned,
          Boolean((prev?.required_signatures as Json | undefined)?.enabled),
        );
        r.protection.set(branch!, next);
        return send(res, 200, next);
      }
      case 'repos/get-commit-signature-protection':
      case 'repos/create-commit-signature-protection':
      case 'repos/delete-commit-signature-protection': {
        if (!r.branches.includes(branch!)) return noBranch();
        const prot = r.protection.get(branch!);
        if (!prot) return send(res, 404, { message: 'Branch not protected', documentation_url: DOCS, status: '404' });
        const sig = prot.required_signatures as Json;
        if (id === 'repos/create-commit-signature-protection') sig.enabled = true;
        if (id === 'repos/delete-commit-signature-protection') {
          sig.enabled = false;
          return send(res, 204);
        }
        return send(res, 200, sig);
      }
      case 'repos/get-repo-rulesets':
        if (!r.rulesetsApi) return send(res, 404, { message: 'Not Found', documentation_url: DOCS });
        return send(
          res,
          200,
          r.rulesets.map(({ rules: _rules, conditions: _c, bypass_actors: _b, ...summary }) => summary),
        );
      case 'repos/get-repo-ruleset': {
        if (!r.rulesetsApi) return send(res, 404, { message: 'Not Found', documentation_url: DOCS });
        const rs = r.rulesets.find((x) => x.id === Number(p.ruleset_id));
        return rs ? send(res, 200, rs) : send(res, 404, { message: 'Not Found', documentation_url: DOCS });
      }
      case 'repos/create-repo-ruleset':
      case 'repos/update-repo-ruleset': {
        if (!r.rulesetsApi) return send(res, 404, { message: 'Not Found', documentation_url: DOCS });
        const existing =
          id === 'repos/update-repo-ruleset' ? r.rulesets.find((x) => x.id === Number(p.ruleset_id)) : undefined;
        if (id === 'repos/update-repo-ruleset' && !existing)
          return send(res, 404, { message: 'Not Found', documentation_url: DOCS });
        const name = String(body?.name ?? existing?.name);
        if (r.rulesets.some((x) => x.name === name && x !== existing))
          return send(res, 422, {
            message: 'Validation Failed',
            errors: ['Name must be unique'],
            documentation_url: DOCS,
          });
        if (
          r.ownerType === 'User' &&
          ((body?.bypass_actors as Json[] | undefined) ?? []).some((a) => a.actor_type === 'OrganizationAdmin')
        ) {
          return send(res, 422, {
            message: 'Validation Failed',
            errors: ['OrganizationAdmin is not a valid bypass actor for personal repositories'],
            documentation_url: DOCS,
          });
        }
        const rsId = existing ? (existing.id as number) : nextId++;
        const now = new Date().toISOString();
        const rs: Json = {
          id: rsId,
          name,
          target: body?.target ?? existing?.target ?? 'branch',
          source_type: 'Repository',
          source: `${r.owner}/${r.name}`,
          enforcement: body?.enforcement ?? existing?.enforcement,
          bypass_actors: ((body?.bypass_actors ?? existing?.bypass_actors ?? []) as Json[]).map((a) => ({
            actor_id: a.actor_id ?? null,
            actor_type: a.actor_type,
            bypass_mode: a.bypass_mode ?? 'always',
          })),
          conditions: body?.conditions ?? existing?.conditions ?? { ref_name: { include: [], exclude: [] } },
          rules: body?.rules ?? existing?.rules ?? [],
          node_id: `RRS_${rsId}`,
          current_user_can_bypass: 'never',
          _links: {
            self: { href: `${base}/rulesets/${rsId}` },
            html: { href: `https://github.com/${r.owner}/${r.name}/rules/${rsId}` },
          },
          created_at: existing?.created_at ?? now,
          updated_at: now,
        };
        if (existing) r.rulesets[r.rulesets.indexOf(existing)] = rs;
        else r.rulesets.push(rs);
        return send(res, id === 'repos/create-repo-ruleset' ? 201 : 200, rs);
      }
      case 'repos/get-branch-rules': {
        const applies = (rs: Json) => {
          const inc =
            (((rs.conditions as Json | undefined)?.ref_name as Json | undefined)?.include as string[] | undefined) ??
            [];
          return inc.some(
            (x) =>
              x === '~ALL' || (x === '~DEFAULT_BRANCH' && branch === r.defaultBranch) || x === `refs/heads/${branch}`,
          );
        };
        const rules = r.rulesets
          .filter((rs) => rs.enforcement === 'active' && applies(rs))
          .flatMap((rs) =>
            (rs.rules as Json[]).map((rule) => ({
              ...rule,
              ruleset_source_type: 'Repository',
              ruleset_source: `${r.owner}/${r.name}`,
              ruleset_id: rs.id,
            })),
          );
        return send(res, 200, [...rules, ...r.orgRules]);
      }
      case 'repos/check-vulnerability-alerts':
        return r.vulnerabilityAlerts
          ? send(res, 204)
          : send(res, 404, { message: 'Vulnerability alerts are disabled.', documentation_url: DOCS });
      case 'repos/enable-vulnerability-alerts':
        r.vulnerabilityAlerts = true;
        return send(res, 204);
      case 'repos/check-automated-security-fixes':
        return r.automatedSecurityFixes
          ? send(res, 200, { enabled: true, paused: false })
          : send(res, 404, { message: 'Not Found', documentation_url: DOCS });
      case 'repos/enable-automated-security-fixes':
        if (!r.vulnerabilityAlerts)
          return send(res, 422, {
            message: 'Vulnerability alerts must be enabled before Dependabot security updates.',
            documentation_url: DOCS,
          });
        r.automatedSecurityFixes = true;
        return send(res, 204);
      case 'repos/check-private-vulnerability-reporting':
        return r.private
          ? send(res, 422, {
              message: 'Private vulnerability reporting is only available for public repositories.',
              documentation_url: DOCS,
            })
          : send(res, 200, { enabled: r.privateVulnerabilityReporting });
      case 'repos/enable-private-vulnerability-reporting':
        if (r.private)
          return send(res, 422, {
            message: 'Private vulnerability reporting is only available for public repositories.',
            documentation_url: DOCS,
          });
        r.privateVulnerabilityReporting = true;
        return send(res, 204);
      case 'repos/get-environment': {
        const env = r.environments.get(String(p.environment_name).toLowerCase());
        return env
          ? send(res, 200, environmentBody(base, r, env))
          : send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      }
      case 'repos/create-or-update-environment': {
        const name = String(p.environment_name);
        const b = body ?? {};
        const bp = b.deployment_branch_policy as EnvironmentRecord['deployment_branch_policy'] | undefined;
        // GitHub's documented 422s: the two branch-policy flags must differ; at most six reviewers; timer in range.
        if (bp && bp.protected_branches === bp.custom_branch_policies) {
          return send(res, 422, {
            message: 'Validation Failed',
            errors: ['protected_branches and custom_branch_policies cannot have the same value'],
            documentation_url: DOCS,
            status: '422',
          });
        }
        const reviewers = b.reviewers as EnvironmentRecord['reviewers'] | null | undefined;
        if (reviewers && reviewers.length > 6)
          return send(res, 422, {
            message: 'Validation Failed',
            errors: ['A maximum of 6 reviewers is allowed'],
            documentation_url: DOCS,
            status: '422',
          });
        if (typeof b.wait_timer === 'number' && (b.wait_timer < 0 || b.wait_timer > 43200)) {
          return send(res, 422, {
            message: 'Validation Failed',
            errors: ['wait_timer must be between 0 and 43200'],
            documentation_url: DOCS,
            status: '422',
          });
        }
        const prev = r.environments.get(name.toLowerCase());
        const now = new Date().toISOString();
        // Fields left out keep their value; a new environment starts with no rules and any branch allowed.
        const env: EnvironmentRecord = {
          id: prev?.id ?? nextId++,
          name: prev?.name ?? name,
          created_at: prev?.created_at ?? now,
          updated_at: now,
          wait_timer: typeof b.wait_timer === 'number' ? b.wait_timer : (prev?.wait_timer ?? 0),
          prevent_self_review:
            typeof b.prevent_self_review === 'boolean' ? b.prevent_self_review : (prev?.prevent_self_review ?? false),
          reviewers:
            reviewers !== undefined
              ? (reviewers ?? []).map((x) => ({ type: x.type, id: x.id }))
              : (prev?.reviewers ?? []),
          deployment_branch_policy: bp !== undefined ? bp : (prev?.deployment_branch_policy ?? null),
          // What GitHub does to existing patterns when custom policies are switched off is not documented: kept here.
          branch_policies: prev?.branch_policies ?? [],
        };
        r.environments.set(name.toLowerCase(), env);
        return send(res, 200, environmentBody(base, r, env));
      }
      case 'repos/list-deployment-branch-policies': {
        const env = r.environments.get(String(p.environment_name).toLowerCase());
        if (!env) return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        const all = env.branch_policies ?? [];
        const per = Number(q.get('per_page') ?? 30);
        const page = Number(q.get('page') ?? 1);
        return send(res, 200, { total_count: all.length, branch_policies: all.slice((page - 1) * per, page * per) });
      }
      case 'repos/create-deployment-branch-policy': {
        const env = r.environments.get(String(p.environment_name).toLowerCase());
        // Documented: 404 when the environment is missing or its custom branch policies are off.
        if (!env || env.deployment_branch_policy?.custom_branch_policies !== true)
          return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        const name = String(body!.name);
        const type = body!.type === 'tag' ? 'tag' : 'branch';
        const list = (env.branch_policies ??= []);
        if (list.some((x) => x.name === name && x.type === type))
          return send(res, 303, { message: 'A policy with this name pattern already exists.' });
        const id = nextId++;
        const policy = { id, node_id: `DBP_${id}`, name, type } as const;
        list.push(policy);
        return send(res, 200, policy);
      }
      case 'repos/delete-deployment-branch-policy': {
        const env = r.environments.get(String(p.environment_name).toLowerCase());
        const list = env?.branch_policies ?? [];
        const at = list.findIndex((x) => x.id === Number(p.branch_policy_id));
        if (at < 0) return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        list.splice(at, 1);
        return send(res, 204);
      }
      case 'actions/get-github-actions-default-workflow-permissions-repository':
        return send(res, 200, r.workflow);
      case 'actions/set-github-actions-default-workflow-permissions-repository':
        if (body?.default_workflow_permissions)
          r.workflow.default_workflow_permissions = body.default_workflow_permissions as 'read' | 'write';
        if (typeof body?.can_approve_pull_request_reviews === 'boolean')
          r.workflow.can_approve_pull_request_reviews = body.can_approve_pull_request_reviews;
        return send(res, 204);
      default:
        invalid.push({ method: 'n/a', path: id, errors: [`the mock does not implement ${id}`] });
        return send(res, 501, { message: `mock: ${id} not implemented` });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    requests,
    invalid,
    invalidResponses,
    writes: () => requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD'),
    inject: (i) => injections.push({ ...i, left: i.times ?? Number.POSITIVE_INFINITY }),
    clearInjections: () => (injections = []),
    repo: (owner, name) => {
      const r = repos.get(`${owner}/${name}`.toLowerCase());
      if (!r) throw new Error(`no repo ${owner}/${name}`);
      return r;
    },
    addRepo,
    push: (owner, name, push) => {
      const r = repos.get(`${owner}/${name}`.toLowerCase());
      if (!r) throw new Error(`no repo ${owner}/${name}`);
      return applyPush(r, push, push.actor ?? login);
    },
    reportCheck: (owner, name, sha, context, conclusion, appId = 15368) => {
      const r = repos.get(`${owner}/${name}`.toLowerCase());
      if (!r) throw new Error(`no repo ${owner}/${name}`);
      r.checks.set(sha, [
        ...(r.checks.get(sha) ?? []).filter((c) => c.context !== context),
        { context, conclusion, appId },
      ]);
    },
    setProtection: (owner, name, branch, putBody, signatures = false) => {
      const r = repos.get(`${owner}/${name}`.toLowerCase());
      if (!r) throw new Error(`no repo ${owner}/${name}`);
      r.protection.set(
        branch,
        protectionFromPut(`http://localhost/repos/${owner}/${name}/branches/${branch}/protection`, putBody, signatures),
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function teamBody(slug: string, id: number): Json {
  const u = `https://api.github.com/teams/${id}`;
  return {
    id,
    node_id: `T_${id}`,
    url: u,
    html_url: u,
    members_url: u,
    repositories_url: u,
    name: slug,
    slug,
    description: null,
    permission: 'push',
    parent: null,
    type: 'organization',
  };
}

/** GET shape of an environment: each configured protection becomes a `protection_rules` entry. */
function environmentBody(base: string, r: RepoState, e: EnvironmentRecord): Json {
  const rules: Json[] = [];
  if (e.wait_timer > 0)
    rules.push({ id: e.id * 10 + 1, node_id: `GA_${e.id}_1`, type: 'wait_timer', wait_timer: e.wait_timer });
  if (e.reviewers.length) {
    rules.push({
      id: e.id * 10 + 2,
      node_id: `GA_${e.id}_2`,
      type: 'required_reviewers',
      prevent_self_review: e.prevent_self_review,
      reviewers: e.reviewers.map((x) => ({
        type: x.type,
        reviewer: x.type === 'User' ? simpleUser(`reviewer-${x.id}`, x.id) : teamBody(`team-${x.id}`, x.id),
      })),
    });
  }
  if (e.deployment_branch_policy) rules.push({ id: e.id * 10 + 3, node_id: `GA_${e.id}_3`, type: 'branch_policy' });
  return {
    id: e.id,
    node_id: `EN_${e.id}`,
    name: e.name,
    url: `${base}/environments/${encodeURIComponent(e.name)}`,
    html_url: `https://github.com/${r.owner}/${r.name}/deployments/activity_log?environments_filter=${encodeURIComponent(e.name)}`,
    created_at: e.created_at,
    updated_at: e.updated_at,
    protection_rules: rules,
    deployment_branch_policy: e.deployment_branch_policy,
  };
}

function repoBody(r: RepoState): Json {
  const sa: Json = {
    dependabot_security_updates: { status: r.automatedSecurityFixes ? 'enabled' : 'disabled' },
  };
  sa.secret_scanning = { status: r.secretScanning ? 'enabled' : 'disabled' };
  sa.secret_scanning_push_protection = { status: r.pushProtection ? 'enabled' : 'disabled' };
  if (r.private) sa.advanced_security = { status: r.advancedSecurity ? 'enabled' : 'disabled' };
  return {
    id: r.id,
    node_id: `R_${r.id}`,
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: { ...simpleUser(r.owner, 1), type: r.ownerType },
    private: r.private,
    visibility: r.private ? 'private' : 'public',
    default_branch: r.defaultBranch,
    archived: r.archived,
    disabled: false,
    // GitHub App installation tokens get no `permissions` on the repository.
    ...(r.installationToken
      ? {}
      : { permissions: { admin: r.admin, maintain: r.admin, push: true, triage: true, pull: true } }),
    allow_rebase_merge: r.allowRebaseMerge,
    allow_squash_merge: r.allowSquashMerge,
    allow_merge_commit: r.allowMergeCommit,
    security_and_analysis: sa,
  };
}

/** Checks GitHub makes beyond the schema (the published schema marks `contexts` required; GitHub wants exactly one of the two). */
function protectionProblems(r: RepoState, body: Json): string | null {
  const sc = body.required_status_checks as Json | null;
  if (sc && 'contexts' in sc === 'checks' in sc) {
    return 'Invalid request.\n\nNo subschema in "anyOf" matched.\nMore than one subschema in "oneOf" matched.';
  }
  const pr = body.required_pull_request_reviews as Json | null;
  if (r.ownerType === 'User' && (body.restrictions || pr?.dismissal_restrictions)) {
    return 'Only organization repositories can have users and team restrictions';
  }
  if (pr && typeof pr.required_approving_review_count === 'number' && pr.required_approving_review_count > 6) {
    return 'Invalid request.\n\nrequired_approving_review_count must be between 0 and 6.';
  }
  return null;
}

/** A PUT body turned into what GET returns: booleans become `{enabled}`, names become objects. */
function protectionFromPut(url: string, b: Json, signatures: boolean): Json {
  const en = (v: unknown) => ({ enabled: v === true });
  const sc = b.required_status_checks as Json | null;
  const pr = b.required_pull_request_reviews as Json | null;
  const users = (l: unknown) => ((l as string[] | undefined) ?? []).map((login, i) => simpleUser(login, 100 + i));
  const teams = (l: unknown) => ((l as string[] | undefined) ?? []).map((slug, i) => teamBody(slug, 200 + i));
  const out: Json = {
    url,
    required_signatures: { url: `${url}/required_signatures`, enabled: signatures },
    enforce_admins: { url: `${url}/enforce_admins`, enabled: b.enforce_admins === true },
    required_linear_history: en(b.required_linear_history),
    allow_force_pushes: en(b.allow_force_pushes),
    allow_deletions: en(b.allow_deletions),
    block_creations: en(b.block_creations),
    required_conversation_resolution: en(b.required_conversation_resolution),
    lock_branch: en(b.lock_branch),
    allow_fork_syncing: en(b.allow_fork_syncing),
  };
  if (sc) {
    const checks =
      (sc.checks as Json[] | undefined) ??
      ((sc.contexts as string[] | undefined) ?? []).map((context) => ({ context, app_id: null }));
    out.required_status_checks = {
      url: `${url}/required_status_checks`,
      strict: sc.strict === true,
      contexts: checks.map((c) => c.context),
      contexts_url: `${url}/required_status_checks/contexts`,
      checks: checks.map((c) => ({
        context: c.context,
        app_id: typeof c.app_id === 'number' && c.app_id > 0 ? c.app_id : null,
      })),
    };
  }
  if (pr) {
    const review: Json = {
      url: `${url}/required_pull_request_reviews`,
      dismiss_stale_reviews: pr.dismiss_stale_reviews === true,
      require_code_owner_reviews: pr.require_code_owner_reviews === true,
      required_approving_review_count:
        typeof pr.required_approving_review_count === 'number' ? pr.required_approving_review_count : 1,
      require_last_push_approval: pr.require_last_push_approval === true,
    };
    const d = pr.dismissal_restrictions as Json | undefined;
    if (d && Object.keys(d).length)
      review.dismissal_restrictions = {
        url,
        users_url: url,
        teams_url: url,
        users: users(d.users),
        teams: teams(d.teams),
        apps: [],
      };
    const bp = pr.bypass_pull_request_allowances as Json | undefined;
    if (bp) review.bypass_pull_request_allowances = { users: users(bp.users), teams: teams(bp.teams), apps: [] };
    out.required_pull_request_reviews = review;
  }
  const restr = b.restrictions as Json | null;
  if (restr)
    out.restrictions = {
      url,
      users_url: url,
      teams_url: url,
      apps_url: url,
      users: users(restr.users),
      teams: teams(restr.teams),
      apps: [],
    };
  return out;
}
