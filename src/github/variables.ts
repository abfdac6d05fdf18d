/**
 * The code scanning switch of the generated workflows (a repository variable): protect sets it from what it reads,
 * so their SARIF uploads neither fail (no Code Security; default setup refusing workflow CodeQL) nor get skipped
 * where code scanning works (a private repository with Code Security).
 */
import { AUDIT_ENVIRONMENT_VARIABLE, AUDIT_TOKEN_SECRET, CODE_SCANNING_VARIABLE } from '../config/policy.js';
import type { Change } from '../changes/types.js';
import { environmentsExcluded } from './environment.js';
import type { DesiredState, LiveState, Operation } from './types.js';

/** What the variable should say here, with why; null: no opinion (code scanning state unknown). */
function wantedCodeScanning(
  live: Pick<LiveState, 'defaultSetup' | 'repo'>,
): { value: 'true' | 'false'; why: string } | null {
  switch (live.defaultSetup) {
    case 'configured':
      return {
        value: 'false',
        why: 'code scanning default setup is on and runs CodeQL itself; GitHub refuses workflow CodeQL results while it is',
      };
    case 'not-configured':
      return { value: 'true', why: 'code scanning is available here' };
    case 'unavailable':
      return { value: 'false', why: 'this repository has no code scanning (private, without GitHub Code Security)' };
    default:
      return null;
  }
}

/** Appends the variable's report line and the request that sets it. */
export function planCodeScanningVariable(live: LiveState, changes: Change[], ops: Operation[]): void {
  const target = 'code-scanning-variable';
  const want = wantedCodeScanning(live);
  if (!want || live.enterprise) return;
  const current = live.codeScanningVariable;
  if (current === null) {
    const needs = live.unreadable[target];
    changes.push({
      target,
      action: 'skip',
      reason: needs
        ? `not checked: the token needs ${needs} to read it; left as is`
        : 'could not read the repository variables; left as is',
      ...(needs ? { needs } : {}),
    });
    return;
  }
  // Unset, the workflows upload on public repositories and keep artifacts on private ones.
  const effective = current.value ?? (live.repo.private ? 'false' : 'true');
  const label = (v: string | null) => (v === null ? 'unset' : v);
  if (effective === want.value) {
    changes.push({
      target,
      action: 'unchanged',
      reason: `${CODE_SCANNING_VARIABLE}: ${label(current.value)} (${want.why})`,
    });
    return;
  }
  const p = { owner: live.ref.owner, repo: live.ref.repo };
  changes.push({
    target,
    action: current.value === null ? 'create' : 'update',
    reason: `${CODE_SCANNING_VARIABLE}: ${label(current.value)} → ${want.value}: ${want.why}`,
  });
  ops.push(
    current.value === null
      ? {
          route: 'POST /repos/{owner}/{repo}/actions/variables',
          params: { ...p, name: CODE_SCANNING_VARIABLE, value: want.value },
          description: `set ${CODE_SCANNING_VARIABLE}=${want.value}`,
          settings: [target],
        }
      : {
          route: 'PATCH /repos/{owner}/{repo}/actions/variables/{name}',
          params: { ...p, name: CODE_SCANNING_VARIABLE, value: want.value },
          description: `set ${CODE_SCANNING_VARIABLE}=${want.value}`,
          settings: [target],
        },
  );
}

/**
 * The audit workflow's environment switch: 'true' once the audit environment exists and only the protected branch may
 * use it, so the workflow's admin-read job runs in it (and reads the token from it). Where the plan has no
 * environments it stays unset (or goes back to 'false'), and the workflow runs with the default token only. Planned
 * after the environment's requests and sent only if they succeed: the variable never claims an environment that
 * failed to be made.
 */
export function planAuditEnvironmentVariable(
  live: LiveState,
  want: DesiredState,
  changes: Change[],
  ops: Operation[],
  envOpsBefore: number,
): void {
  const env = live.auditEnvironment;
  if (!want.auditEnvironment || !env) return;
  const target = 'audit-variable';
  const name = AUDIT_ENVIRONMENT_VARIABLE;
  const current = live.auditEnvironmentVariable;
  if (current === null) {
    const needs = live.unreadable['audit-environment-variable'];
    changes.push({
      target,
      action: 'skip',
      reason: needs
        ? `not checked: the token needs ${needs} to read ${name}; left as is`
        : `could not read the repository variable ${name}; left as is`,
      ...(needs ? { needs } : {}),
    });
    return;
  }
  if (env.status === 'unreadable') {
    changes.push({ target, action: 'skip', reason: `${name}: the environment could not be read; left as is` });
    return;
  }
  const excluded = environmentsExcluded(live, env);
  const label = (v: string | null) => (v === null ? 'unset' : v);
  const envName = want.auditEnvironment.name;
  // Unset already means "no environment" to the workflow: on a plan without environments nothing needs writing.
  const wanted: string | null = excluded ? (current.value === null ? null : 'false') : 'true';
  const why = excluded
    ? `no environment on this plan: the audit runs with the default token`
    : `the audit's admin-read job runs in environment "${envName}"`;
  if (current.value === wanted) {
    changes.push({ target, action: 'unchanged', reason: `${name}: ${label(current.value)} (${why})` });
    return;
  }
  changes.push({
    target,
    action: current.value === null ? 'create' : 'update',
    reason: `${name}: ${label(current.value)} → ${wanted}: ${why}`,
  });
  const p = { owner: live.ref.owner, repo: live.ref.repo, name, value: wanted };
  ops.push({
    ...(current.value === null
      ? { route: 'POST /repos/{owner}/{repo}/actions/variables', params: p }
      : { route: 'PATCH /repos/{owner}/{repo}/actions/variables/{name}', params: p }),
    description: `set ${name}=${wanted}`,
    settings: [target],
    // Only after the environment and its branch policy were written: never point the workflow at a half-made one.
    needsPrevious: !excluded && ops.length > envOpsBefore,
  });
}

/**
 * Where the audit token is: in the environment (read only on the protected branch), or still a repository secret
 * (readable by a workflow any writer pushes on any branch). protect never deletes or writes secrets (it cannot read
 * their values, and a secret is the user's): it says where the token is and the commands that move it.
 */
export function planAuditToken(live: LiveState, want: DesiredState, changes: Change[], notes: string[]): void {
  const token = live.auditToken;
  const env = live.auditEnvironment;
  if (!want.auditEnvironment || !env || !token) return;
  const repo = `${live.ref.owner}/${live.ref.repo}`;
  const envName = want.auditEnvironment.name;
  const store = `gh secret set ${AUDIT_TOKEN_SECRET} --env ${envName} --repo ${repo}`;
  const excluded = environmentsExcluded(live, env) || env.status === 'unreadable';
  if (token.repository) {
    changes.push({
      target: 'audit-token-repository-secret',
      action: 'unchanged',
      reason: `${AUDIT_TOKEN_SECRET} is a repository secret: a workflow any writer pushes on any branch can read it (kept: protect never deletes secrets)`,
    });
    notes.push(
      excluded
        ? `${AUDIT_TOKEN_SECRET} is a repository secret, which any branch's workflows can read, and this plan has no environments to keep it in: delete it (\`gh secret delete ${AUDIT_TOKEN_SECRET} --repo ${repo}\`); the audit then reports admin-only settings as not checked.`
        : `${AUDIT_TOKEN_SECRET} is a repository secret, which any branch's workflows can read: store it in the environment instead (\`${store}\`), then delete the repository secret (\`gh secret delete ${AUDIT_TOKEN_SECRET} --repo ${repo}\`).`,
    );
  }
  if (excluded) {
    if (environmentsExcluded(live, env))
      notes.push(
        `No "${envName}" environment on this plan, so the daily audit workflow runs with the default token and reports admin-only settings (branch protection, keys, webhooks, runners, Actions settings) as not checked; run \`secure-repo audit\` with an admin token yourself for those.`,
      );
    return;
  }
  if (token.environment === true) {
    changes.push({ target: 'audit-token', action: 'unchanged', reason: `stored in environment "${envName}"` });
  } else if (token.environment === false) {
    changes.push({
      target: 'audit-token',
      action: 'unchanged',
      reason: `not stored in environment "${envName}": the audit runs with the default token and reports admin-only settings as not checked`,
    });
    notes.push(
      `To let the daily audit read admin-only settings (branch protection, keys, webhooks, runners, Actions settings), store a token with read access to Administration in the "${envName}" environment: \`${store}\`. Only jobs on ${live.branch} can read it.`,
    );
  }
}
