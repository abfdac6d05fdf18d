import { AUDIT_ENVIRONMENT_VARIABLE, AUDIT_TOKEN_SECRET, CODE_SCANNING_VARIABLE } from '../config/policy.js';
import type { GitHubClient } from './client.js';
import { readEnvironment } from './environment.js';
import { classify } from './errors.js';
import { arr, get, obj, planLimited, RULESET_NAME, str, type Got, type Json } from './http.js';
import type {
  ActionsState,
  BranchRules,
  BypassActor,
  LiveState,
  MergeMethod,
  RepoInfo,
  RepoRef,
  RepoSettings,
  StatusCheck,
} from './types.js';

/** Classic GET answers booleans as `{enabled: true}`. */
const enabled = (v: unknown): boolean => obj(v).enabled === true;

/** Classic protection (GET shape) in our vocabulary. */
export function rulesFromClassic(raw: Json): BranchRules {
  const pr = raw.required_pull_request_reviews ? obj(raw.required_pull_request_reviews) : null;
  const sc = raw.required_status_checks ? obj(raw.required_status_checks) : null;
  let checks: StatusCheck[] = [];
  if (sc) {
    const fromChecks = arr(sc.checks).map((c) => ({
      context: String(obj(c).context),
      appId: typeof obj(c).app_id === 'number' ? (obj(c).app_id as number) : null,
    }));
    const fromContexts = arr(sc.contexts).map((c) => ({ context: String(c), appId: null }));
    checks = fromChecks.length > 0 ? fromChecks : fromContexts;
  }
  return {
    pullRequest: pr
      ? {
          approvals: typeof pr.required_approving_review_count === 'number' ? pr.required_approving_review_count : 0,
          dismissStale: pr.dismiss_stale_reviews === true,
          codeOwners: pr.require_code_owner_reviews === true,
          lastPush: pr.require_last_push_approval === true,
          conversationResolution: enabled(raw.required_conversation_resolution),
          allowedMergeMethods: null,
        }
      : null,
    statusChecks: sc ? { strict: sc.strict === true, checks, doNotEnforceOnCreate: false } : null,
    signatures: enabled(raw.required_signatures),
    linearHistory: enabled(raw.required_linear_history),
    blockForcePushes: !enabled(raw.allow_force_pushes),
    blockDeletions: !enabled(raw.allow_deletions),
    enforceAdmins: enabled(raw.enforce_admins),
    bypassActors: [],
  };
}

/** A repository ruleset (GET shape) in our vocabulary. */
export function rulesFromRuleset(raw: Json): BranchRules {
  const rules = arr(raw.rules).map(obj);
  const find = (type: string) => rules.find((r) => r.type === type);
  const pr = find('pull_request');
  const prp = pr ? obj(pr.parameters) : null;
  const sc = find('required_status_checks');
  const scp = sc ? obj(sc.parameters) : null;
  const bypassActors = arr(raw.bypass_actors).map((a) => {
    const o = obj(a);
    return {
      actor_type: String(o.actor_type),
      actor_id: typeof o.actor_id === 'number' ? o.actor_id : null,
      bypass_mode: str(o.bypass_mode, 'always'),
    };
  });
  return {
    pullRequest: prp
      ? {
          approvals: typeof prp.required_approving_review_count === 'number' ? prp.required_approving_review_count : 0,
          dismissStale: prp.dismiss_stale_reviews_on_push === true,
          codeOwners: prp.require_code_owner_review === true,
          lastPush: prp.require_last_push_approval === true,
          conversationResolution: prp.required_review_thread_resolution === true,
          allowedMergeMethods: Array.isArray(prp.allowed_merge_methods)
            ? (prp.allowed_merge_methods.map(String) as MergeMethod[])
            : null,
        }
      : null,
    statusChecks: scp
      ? {
          strict: scp.strict_required_status_checks_policy === true,
          doNotEnforceOnCreate: scp.do_not_enforce_on_create === true,
          checks: arr(scp.required_status_checks).map((c) => ({
            context: String(obj(c).context),
            appId: typeof obj(c).integration_id === 'number' ? (obj(c).integration_id as number) : null,
          })),
        }
      : null,
    signatures: Boolean(find('required_signatures')),
    linearHistory: Boolean(find('required_linear_history')),
    blockForcePushes: Boolean(find('non_fast_forward')),
    blockDeletions: Boolean(find('deletion')),
    enforceAdmins: bypassActors.length === 0,
    bypassActors: bypassActors satisfies BypassActor[],
  };
}

export interface ReadOptions {
  branch?: string;
  /** The deployment environment to read as well (the deploy stage is selected); omitted: not read. */
  environment?: string;
  /** The audit workflow's environment to read as well, with its variable (the operate stage is selected). */
  auditEnvironment?: string;
  progress?: (msg: string) => void;
}

/** Reads the repository, plan, protection (both mechanisms) and security settings. Never writes. */
export async function readLiveState(client: GitHubClient, ref: RepoRef, opts: ReadOptions = {}): Promise<LiveState> {
  const p = { owner: ref.owner, repo: ref.repo };
  opts.progress?.(`reading ${ref.owner}/${ref.repo}`);
  const repoRes = await client.request('GET /repos/{owner}/{repo}', p);
  const r = repoRes.data as unknown as Json;
  const sa = obj(r.security_and_analysis);
  const status = (k: string): boolean | null => (sa[k] ? obj(sa[k]).status === 'enabled' : null);
  const isPrivate = r.private === true;
  const enterprise = (repoRes.headers as Record<string, string | undefined>)['x-github-enterprise-version'] ?? null;
  const repo: RepoInfo = {
    fullName: str(r.full_name, `${ref.owner}/${ref.repo}`),
    private: isPrivate,
    visibility: str(r.visibility, isPrivate ? 'private' : 'public'),
    defaultBranch: str(r.default_branch, 'main'),
    ownerType: obj(r.owner).type === 'Organization' ? 'Organization' : 'User',
    archived: r.archived === true,
    admin: typeof obj(r.permissions).admin === 'boolean' ? (obj(r.permissions).admin as boolean) : null,
    // Private repositories need a licence; without a sign of one we skip rather than send a write bound to fail.
    secretScanningAvailable:
      !isPrivate ||
      status('advanced_security') === true ||
      status('code_security') === true ||
      status('secret_scanning') === true,
  };
  const branch = opts.branch ?? repo.defaultBranch;
  const b = { ...p, branch };

  const unreadable: Record<string, string> = {};
  const [account, branchRes, rulesetList, collaborators, environment, auditEnvironment, actions, defaultSetup] =
    await Promise.all([
      readAccount(client, ref, repo.ownerType),
      get(client, 'GET /repos/{owner}/{repo}/branches/{branch}', b, [404]),
      get(client, 'GET /repos/{owner}/{repo}/rulesets', { ...p, per_page: 100, includes_parents: false }, [403, 404]),
      // Everyone with push access or more counts (admins too): one of them alone is a solo maintainer.
      get(client, 'GET /repos/{owner}/{repo}/collaborators', { ...p, per_page: 100, affiliation: 'all' }, [403, 404]),
      opts.environment ? readEnvironment(client, ref, opts.environment) : Promise.resolve(null),
      opts.auditEnvironment ? readEnvironment(client, ref, opts.auditEnvironment) : Promise.resolve(null),
      readActions(client, ref, unreadable),
      enterprise ? Promise.resolve(null) : readDefaultSetup(client, ref, unreadable),
    ]);
  const variable = await get(
    client,
    'GET /repos/{owner}/{repo}/actions/variables/{name}',
    { ...p, name: CODE_SCANNING_VARIABLE },
    [403, 404],
  );
  if (variable.needs) unreadable['code-scanning-variable'] = variable.needs;
  const auditVariable = opts.auditEnvironment
    ? await get(
        client,
        'GET /repos/{owner}/{repo}/actions/variables/{name}',
        { ...p, name: AUDIT_ENVIRONMENT_VARIABLE },
        [403, 404],
      )
    : null;
  if (auditVariable?.needs) unreadable['audit-environment-variable'] = auditVariable.needs;
  const auditToken = opts.auditEnvironment
    ? await readAuditToken(client, ref, opts.auditEnvironment, auditEnvironment?.status === 'present')
    : null;
  const { plan, viewer } = account;
  const branchExists = branchRes.status === 200;

  let classic: BranchRules | null = null;
  let classicRaw: Json | null = null;
  let classicPlanLimited = false;
  if (branchExists) {
    const prot = await get(client, 'GET /repos/{owner}/{repo}/branches/{branch}/protection', b, [403, 404]);
    if (prot.status === 200) {
      classicRaw = obj(prot.data);
      if (classicRaw.required_signatures === undefined) {
        const sig = await get(
          client,
          'GET /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures',
          b,
          [404],
        );
        classicRaw.required_signatures = { enabled: sig.status === 200 && enabled(sig.data) };
      }
      classic = rulesFromClassic(classicRaw);
    } else if (planLimited(prot)) {
      classicPlanLimited = true;
    } else if (prot.status === 403) {
      // Without admin rights GitHub refuses to show protection: the same answer the writes would get.
      const headers = prot.needs ? { 'x-accepted-github-permissions': prot.needs } : {};
      throw Object.assign(new Error(str(obj(prot.data).message, 'Forbidden')), {
        status: 403,
        response: { data: prot.data, headers },
      });
    }
  }

  let rulesetsAvailable = rulesetList.status === 200;
  const rulesetsPlanLimited = planLimited(rulesetList);
  let ruleset: LiveState['ruleset'] = null;
  let otherRulesetRules: string[] = [];
  if (rulesetsAvailable) {
    const ours = arr(rulesetList.data)
      .map(obj)
      .find((s) => s.name === RULESET_NAME && (s.source_type ?? 'Repository') === 'Repository');
    if (ours && typeof ours.id === 'number') {
      const full = await client.request('GET /repos/{owner}/{repo}/rulesets/{ruleset_id}', {
        ...p,
        ruleset_id: ours.id,
      });
      const raw = obj(full.data);
      ruleset = { id: ours.id, rules: rulesFromRuleset(raw), raw };
    }
    const applied = await get(
      client,
      'GET /repos/{owner}/{repo}/rules/branches/{branch}',
      { ...b, per_page: 100 },
      [404],
    );
    otherRulesetRules = [
      ...new Set(
        arr(applied.data)
          .map(obj)
          .filter((x) => x.ruleset_id !== ruleset?.id)
          .map((x) => String(x.type)),
      ),
    ];
  } else if (rulesetList.status === 403 && !rulesetsPlanLimited) {
    rulesetsAvailable = false;
  }

  const settings = await readSettings(client, ref, r, status, enterprise !== null, unreadable);
  return {
    ref,
    enterprise,
    repo,
    plan,
    branch,
    branchExists,
    classic,
    classicRaw,
    classicPlanLimited,
    rulesetsAvailable,
    rulesetsPlanLimited,
    ruleset,
    otherRulesetRules,
    writers:
      collaborators.status === 200
        ? arr(collaborators.data).filter((c) => obj(obj(c).permissions).push === true).length
        : null,
    viewer,
    actions,
    defaultSetup,
    unreadable,
    codeScanningVariable: variableValue(variable),
    settings,
    environment,
    auditEnvironment,
    auditEnvironmentVariable: auditVariable ? variableValue(auditVariable) : null,
    auditToken,
  };
}

/** Whether the audit token is a repository secret and whether the environment has it (names only; values never). */
async function readAuditToken(
  client: GitHubClient,
  ref: RepoRef,
  environment: string,
  environmentExists: boolean,
): Promise<LiveState['auditToken']> {
  const p = { owner: ref.owner, repo: ref.repo, secret_name: AUDIT_TOKEN_SECRET };
  const found = (got: { status: number }) => (got.status === 200 ? true : got.status === 404 ? false : null);
  const repository = found(await get(client, 'GET /repos/{owner}/{repo}/actions/secrets/{secret_name}', p, [403, 404]));
  const inEnv = environmentExists
    ? found(
        await get(
          client,
          'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}',
          { ...p, environment_name: environment },
          [403, 404],
        ),
      )
    : false;
  return { repository, environment: inEnv };
}

/** A repository variable's GET answer: its value, unset (404), or null when it could not be read. */
function variableValue(got: { status: number; data: unknown }): { value: string | null } | null {
  if (got.status === 200) return { value: str(obj(got.data).value, '') };
  return got.status === 404 ? { value: null } : null;
}

/** Whether Actions may run workflows, and which actions (GET .../actions/permissions, then selected-actions). */
async function readActions(
  client: GitHubClient,
  ref: RepoRef,
  unreadable: Record<string, string>,
): Promise<ActionsState | null> {
  const p = { owner: ref.owner, repo: ref.repo };
  const perm = await get(client, 'GET /repos/{owner}/{repo}/actions/permissions', p, [403, 404]);
  if (perm.status !== 200) {
    if (perm.needs) unreadable['actions-permissions'] = perm.needs;
    return null;
  }
  const d = obj(perm.data);
  const allowed = d.allowed_actions === 'local_only' || d.allowed_actions === 'selected' ? d.allowed_actions : 'all';
  let selected: ActionsState['selected'] = null;
  if (d.enabled === true && allowed === 'selected') {
    const sel = await get(client, 'GET /repos/{owner}/{repo}/actions/permissions/selected-actions', p, [403, 404, 409]);
    if (sel.status === 200) {
      const s = obj(sel.data);
      selected = {
        githubOwned: s.github_owned_allowed === true,
        verified: s.verified_allowed === true,
        patterns: arr(s.patterns_allowed).map(String),
      };
    } else if (sel.needs) unreadable['actions-permissions'] = sel.needs;
  }
  return { enabled: d.enabled === true, allowed, selected };
}

/** Code scanning default setup; 'unavailable' when the repository has no code scanning (no Code Security licence). */
async function readDefaultSetup(
  client: GitHubClient,
  ref: RepoRef,
  unreadable: Record<string, string>,
): Promise<LiveState['defaultSetup']> {
  const got = await get(
    client,
    'GET /repos/{owner}/{repo}/code-scanning/default-setup',
    { owner: ref.owner, repo: ref.repo },
    [403, 404],
  );
  if (got.status === 200) return obj(got.data).state === 'configured' ? 'configured' : 'not-configured';
  if (got.status === 403 && got.needs) {
    unreadable['code-scanning-default-setup'] = got.needs;
    return null;
  }
  // 403 without a missing permission: GitHub says code scanning (Advanced Security / Code Security) is not enabled.
  return got.status === 403 ? 'unavailable' : null;
}

/** The token's user and the owner's plan. */
async function readAccount(
  client: GitHubClient,
  ref: RepoRef,
  ownerType: 'User' | 'Organization',
): Promise<{ plan: string | null; viewer: string | null }> {
  // GitHub shows the plan only to the account itself or the organization's owners; otherwise we learn it from a 403.
  const soft = async <T>(f: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      const kind = classify(err).kind;
      if (kind === 'network' || kind === 'rate-limit' || kind === 'unauthorized') throw err;
      return fallback;
    }
  };
  // An app installation token (a workflow's GITHUB_TOKEN) has no user: GET /user answers 403.
  const me = await soft(async () => obj((await client.request('GET /user')).data), obj(null));
  const viewer = typeof me.login === 'string' ? me.login : null;
  if (ownerType === 'User') {
    return {
      viewer,
      plan:
        viewer?.toLowerCase() === ref.owner.toLowerCase() ? ((obj(me.plan).name as string | undefined) ?? null) : null,
    };
  }
  const org = await soft(
    async () => obj((await client.request('GET /orgs/{org}', { org: ref.owner })).data),
    obj(null),
  );
  return { viewer, plan: (obj(org.plan).name as string | undefined) ?? null };
}

async function readSettings(
  client: GitHubClient,
  ref: RepoRef,
  r: Json,
  status: (k: string) => boolean | null,
  enterprise: boolean,
  unreadable: Record<string, string>,
): Promise<RepoSettings> {
  const p = { owner: ref.owner, repo: ref.repo };
  const [alerts, fixes, pvr, wf] = await Promise.all([
    get(client, 'GET /repos/{owner}/{repo}/vulnerability-alerts', p, [403, 404]),
    get(client, 'GET /repos/{owner}/{repo}/automated-security-fixes', p, [403, 404]),
    // GitHub Enterprise Server has no private vulnerability reporting endpoint.
    enterprise
      ? Promise.resolve<Got>({ status: 404, data: null })
      : get(client, 'GET /repos/{owner}/{repo}/private-vulnerability-reporting', p, [403, 404, 422]),
    get(client, 'GET /repos/{owner}/{repo}/actions/permissions/workflow', p, [403, 404, 409]),
  ]);
  const needs: [string, Got][] = [
    ['dependabot-alerts', alerts],
    ['dependabot-security-updates', fixes],
    ['private-vulnerability-reporting', pvr],
    ['workflow-token-read-only', wf],
    ['actions-cannot-approve-pull-requests', wf],
  ];
  for (const [setting, got] of needs) if (got.needs) unreadable[setting] = got.needs;
  return {
    dependabotAlerts: alerts.status === 204 ? true : alerts.status === 404 ? false : null,
    dependabotSecurityUpdates: fixes.status === 200 ? enabled(fixes.data) : fixes.status === 404 ? false : null,
    secretScanning: status('secret_scanning'),
    secretScanningPushProtection: status('secret_scanning_push_protection'),
    privateVulnerabilityReporting: pvr.status === 200 ? enabled(pvr.data) : null,
    workflowPermissions: wf.status === 200 ? String(obj(wf.data).default_workflow_permissions) : null,
    actionsCanApprovePullRequests: wf.status === 200 ? obj(wf.data).can_approve_pull_request_reviews === true : null,
    allowRebaseMerge: typeof r.allow_rebase_merge === 'boolean' ? r.allow_rebase_merge : null,
  };
}
