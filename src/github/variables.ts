/**
 * The code scanning switch of the generated workflows (a repository variable): protect sets it from what it reads,
 * so their SARIF uploads neither fail (no Code Security; default setup refusing workflow CodeQL) nor get skipped
 * where code scanning works (a private repository with Code Security).
 */
import { AUDIT_ENVIRONMENT_VARIABLE, CODE_SCANNING_VARIABLE } from '../config/policy.js';
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
