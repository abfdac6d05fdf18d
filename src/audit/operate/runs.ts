import type { OperateFinding } from './types.js';

/** The fields of a workflow run (GET /repos/{o}/{r}/actions/runs) the run-history checks read. */
export interface RunRecord {
  id: number;
  name?: string | null;
  path: string;
  event: string;
  head_branch: string | null;
  head_sha: string;
  run_attempt?: number;
  created_at: string;
  conclusion: string | null;
  status: string | null;
  html_url: string;
  actor?: { login: string; type?: string } | null;
  triggering_actor?: { login: string; type?: string } | null;
  head_repository?: { full_name: string; fork?: boolean } | null;
}

export interface RunContext {
  repository: string;
  defaultBranch: string;
  /** Logins allowed to dispatch and re-run: people with write access or more, plus the baseline's extra names. */
  maintainers: Set<string>;
  /** Workflow paths on the default branch. */
  workflowPaths: Set<string>;
}

const PRIVILEGED = new Set(['pull_request_target', 'workflow_run', 'issue_comment']);
const DISPATCH = new Set(['workflow_dispatch', 'repository_dispatch']);

const isBot = (a: { login: string; type?: string } | null | undefined) =>
  Boolean(a && (a.type === 'Bot' || a.login.endsWith('[bot]')));

/** GitHub's own dynamic workflows (Dependabot, Pages, code scanning default setup) have no file on any branch. */
const isDynamic = (p: string) => p.startsWith('dynamic/');

/** The workflow file of a run (`path` may carry `@ref` for reusable calls). */
export const runPath = (r: RunRecord) => r.path.replace(/@.*$/, '');

export function runFindings(runs: RunRecord[], ctx: RunContext): OperateFinding[] {
  const out: OperateFinding[] = [];
  for (const r of runs) {
    const base = {
      target: `run ${r.id} (${runPath(r)}, ${r.event})`,
      time: r.created_at,
      url: r.html_url,
      ...(r.actor ? { actor: r.actor.login } : {}),
    };
    const evidence = {
      event: r.event,
      path: runPath(r),
      head_branch: r.head_branch,
      head_sha: r.head_sha,
      head_repository: r.head_repository?.full_name ?? null,
      actor: r.actor?.login ?? null,
      triggering_actor: r.triggering_actor?.login ?? null,
    };
    const headRepo = r.head_repository?.full_name;
    if (PRIVILEGED.has(r.event) && headRepo && headRepo.toLowerCase() !== ctx.repository.toLowerCase()) {
      out.push({
        ...base,
        detection: 'run-privileged-from-fork',
        key: `run:${r.id}`,
        severity: 'high',
        evidence,
        message: `${r.event} ran ${runPath(r)} for a head in ${headRepo}, with this repository's secrets and token`,
      });
    }
    if (DISPATCH.has(r.event)) {
      const why: string[] = [];
      if (r.head_branch && r.head_branch !== ctx.defaultBranch) why.push(`on branch ${r.head_branch}`);
      if (isBot(r.actor)) why.push(`by the bot ${r.actor!.login}`);
      // Without a list of maintainers (collaborators unreadable, no baseline) nobody can be called an outsider.
      else if (r.actor && ctx.maintainers.size && !ctx.maintainers.has(r.actor.login.toLowerCase()))
        why.push(`by ${r.actor.login}, who is not a maintainer`);
      if (why.length)
        out.push({
          ...base,
          detection: 'run-dispatch-unusual',
          key: `run:${r.id}`,
          severity: 'high',
          evidence,
          message: `${r.event} of ${runPath(r)} ${why.join(', ')}`,
        });
    }
    const actor = r.actor?.login.toLowerCase();
    const trig = r.triggering_actor?.login.toLowerCase();
    // A maintainer re-running someone's run is routine; anyone else re-running it borrows the actor's privileges.
    if (actor && trig && actor !== trig && !(ctx.maintainers.has(trig) && (r.run_attempt ?? 1) > 1)) {
      out.push({
        ...base,
        detection: 'run-triggering-actor-differs',
        key: `run:${r.id}:${r.run_attempt ?? 1}`,
        severity: 'medium',
        evidence,
        message: `${r.triggering_actor!.login} triggered a run attributed to ${r.actor!.login}`,
      });
    }
    const p = runPath(r);
    if (!isDynamic(p) && !ctx.workflowPaths.has(p)) {
      out.push({
        ...base,
        detection: 'run-workflow-not-on-default-branch',
        key: `path:${p}:${r.head_branch ?? ''}`,
        severity: 'high',
        evidence,
        message: `${p} ran (${r.event} on ${r.head_branch ?? 'no branch'}) but is not a workflow on ${ctx.defaultBranch}`,
      });
    }
  }
  return out;
}

/** (actor, event, workflow) as the state file keeps it. */
const comboKey = (r: RunRecord) => `${r.actor?.login.toLowerCase() ?? '?'}|${r.event}|${runPath(r)}`;

/**
 * Combinations never seen before. With no state yet (the first audit) everything is learned and nothing reported,
 * so a quiet repository starts clean.
 */
export function firstSeen(
  runs: RunRecord[],
  known: Set<string> | null,
): { findings: OperateFinding[]; combos: string[] } {
  const combos = new Map<string, RunRecord>();
  for (const r of [...runs].sort((a, b) => a.created_at.localeCompare(b.created_at)))
    if (!combos.has(comboKey(r))) combos.set(comboKey(r), r);
  const findings: OperateFinding[] = [];
  if (known) {
    for (const [key, r] of combos) {
      if (known.has(key)) continue;
      findings.push({
        detection: 'run-first-seen',
        key,
        severity: 'low',
        target: `run ${r.id} (${runPath(r)}, ${r.event})`,
        time: r.created_at,
        url: r.html_url,
        ...(r.actor ? { actor: r.actor.login } : {}),
        message: `first time ${r.actor?.login ?? 'an unknown actor'} ran ${runPath(r)} through ${r.event}`,
      });
    }
  }
  return { findings, combos: [...combos.keys()] };
}
