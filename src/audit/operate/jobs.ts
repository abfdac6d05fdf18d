import type { RunRecord } from './runs.js';
import { runPath } from './runs.js';
import type { OperateFinding } from './types.js';

/** The fields of a job (GET …/runs/{id}/jobs) the runner checks read. */
export interface JobRecord {
  id: number;
  run_id: number;
  name: string;
  labels: string[];
  runner_name: string | null;
  runner_group_name?: string | null;
  started_at: string;
  html_url: string | null;
}

export interface JobContext {
  repository: string;
  workflowPaths: Set<string>;
  /** Runner names in the reviewed baseline (null: no baseline yet). */
  knownRunners: Set<string> | null;
}

/** GitHub-hosted jobs run on machines named "GitHub Actions N"; a self-hosted job carries the label. */
const selfHosted = (j: JobRecord) =>
  j.labels.includes('self-hosted') ||
  (j.runner_group_name != null &&
    j.runner_group_name !== 'GitHub Actions' &&
    j.runner_name != null &&
    !/^GitHub Actions \d+$/.test(j.runner_name));

export function jobFindings(run: RunRecord, jobs: JobRecord[], ctx: JobContext): OperateFinding[] {
  const out: OperateFinding[] = [];
  const fromFork = Boolean(
    run.head_repository && run.head_repository.full_name.toLowerCase() !== ctx.repository.toLowerCase(),
  );
  const branchOnly = !runPath(run).startsWith('dynamic/') && !ctx.workflowPaths.has(runPath(run));
  for (const j of jobs) {
    if (!selfHosted(j)) continue;
    const unknownRunner = ctx.knownRunners !== null && j.runner_name !== null && !ctx.knownRunners.has(j.runner_name);
    const why = [
      fromFork && `its head is in ${run.head_repository!.full_name}`,
      branchOnly && `${runPath(run)} is not on the default branch`,
      unknownRunner && `runner ${j.runner_name} is not in the baseline`,
    ].filter(Boolean);
    if (!why.length) continue;
    out.push({
      detection: 'run-self-hosted-untrusted',
      key: `job:${j.id}`,
      severity: 'high',
      target: `job ${j.name} of run ${run.id}`,
      time: j.started_at,
      ...(j.html_url ? { url: j.html_url } : {}),
      ...(run.actor ? { actor: run.actor.login } : {}),
      evidence: { runner_name: j.runner_name, labels: j.labels.join(','), run_id: run.id, path: runPath(run) },
      message: `job ${j.name} ran on self-hosted runner ${j.runner_name ?? '(unnamed)'} although ${why.join(' and ')}`,
    });
  }
  return out;
}
