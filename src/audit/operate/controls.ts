import type { RunRecord } from './runs.js';
import { runPath } from './runs.js';
import type { OperateFinding } from './types.js';

export interface WorkflowRecord {
  id: number;
  name: string;
  path: string;
  state: string;
  created_at?: string;
  html_url?: string;
}

const daysSince = (iso: string, now: Date) => (now.getTime() - Date.parse(iso)) / 86_400_000;

/**
 * Our security workflows (the generated ones) disabled, or quiet for longer than `staleDays`; and the gate's last
 * success on the default branch. `ours` are the generated workflow paths present in the repository.
 */
export function controlFindings(a: {
  workflows: WorkflowRecord[];
  runs: RunRecord[];
  ours: string[];
  gatePath: string | null;
  defaultBranch: string;
  staleDays: number;
  now: Date;
  since: Date;
}): OperateFinding[] {
  const out: OperateFinding[] = [];
  for (const p of a.ours) {
    const wf = a.workflows.find((w) => w.path === p);
    if (wf && wf.state !== 'active') {
      out.push({
        detection: 'control-workflow-disabled',
        key: p,
        severity: 'high',
        target: p,
        file: { path: p, line: 1 },
        evidence: { state: wf.state },
        message: `${p} is ${wf.state.replace(/_/g, ' ')}`,
      });
      continue;
    }
    // A workflow GitHub has not registered yet, or registered recently, has not had the chance to run.
    if (!wf || daysSince(wf.created_at ?? a.now.toISOString(), a.now) < a.staleDays) continue;
    const last = a.runs
      .filter((r) => runPath(r) === p)
      .map((r) => r.created_at)
      .sort()
      .pop();
    if (!last || daysSince(last, a.now) > a.staleDays) {
      out.push({
        detection: 'control-workflow-stale',
        key: p,
        severity: 'medium',
        target: p,
        file: { path: p, line: 1 },
        evidence: { last_run: last ?? null },
        message: `${p} has not run for ${a.staleDays} days${last ? ` (last run ${last})` : ''}`,
      });
    }
  }
  const gate = a.workflows.find((w) => w.path === a.gatePath);
  if (
    a.gatePath &&
    gate &&
    a.ours.includes(a.gatePath) &&
    daysSince(gate.created_at ?? a.now.toISOString(), a.now) >= a.staleDays
  ) {
    const ok = a.runs
      .filter((r) => runPath(r) === a.gatePath && r.head_branch === a.defaultBranch && r.conclusion === 'success')
      .map((r) => r.created_at)
      .sort()
      .pop();
    if (!ok || daysSince(ok, a.now) > a.staleDays) {
      out.push({
        detection: 'control-workflow-stale',
        key: `${a.gatePath}#gate`,
        severity: 'medium',
        target: a.gatePath,
        evidence: { last_success: ok ?? null },
        message: `the security gate (${a.gatePath}) has not passed on ${a.defaultBranch} for ${a.staleDays} days${ok ? ` (last success ${ok})` : ''}`,
      });
    }
  }
  return out;
}

/** A generated workflow whose jobs no longer start with the hardening step. */
export function hardeningRemoved(
  ours: { path: string; jobsWithout: { id: string; line: number }[] }[],
): OperateFinding[] {
  return ours.flatMap((w) =>
    w.jobsWithout.map((j) => ({
      detection: 'control-hardening-removed',
      key: `${w.path}#${j.id}`,
      severity: 'high' as const,
      target: `${w.path} (job ${j.id})`,
      file: { path: w.path, line: j.line },
      message: `generated job ${j.id} no longer starts with step-security/harden-runner`,
    })),
  );
}
