import type { Pins } from '../pins.js';
import type { CallJob, Job, Permissions, PermissionScope, Step, StepsJob, Workflow } from './types.js';

/** Hosted runner label every generated job uses; a fixed version so an image upgrade is a reviewed change. */
const RUNNER = 'ubuntu-24.04';

/** harden-runner must be the first step of every job; audit mode logs egress without breaking unknown endpoints. */
function hardenRunner(pins: Pins): Step {
  return {
    name: 'Harden the runner',
    uses: pins.ref('step-security/harden-runner'),
    with: { 'egress-policy': 'audit' },
  };
}

/** Checkout without leaving the token in .git/config, so later steps cannot push with it. */
export function checkout(pins: Pins, opts: { fullHistory?: boolean } = {}): Step {
  const withs: Record<string, string | number | boolean> = { 'persist-credentials': false };
  if (opts.fullHistory) withs['fetch-depth'] = 0;
  return { name: 'Check out the repository', uses: pins.ref('actions/checkout'), with: withs };
}

/** A runner job with our non-negotiables: harden-runner first, a timeout, explicit permissions. */
export function job(pins: Pins, spec: Omit<StepsJob, 'runs-on' | 'steps' | 'timeout-minutes'> & { steps: Step[]; timeout?: number }): StepsJob {
  const { steps, timeout, ...rest } = spec;
  return { ...rest, 'runs-on': RUNNER, 'timeout-minutes': timeout ?? 15, steps: [hardenRunner(pins), ...steps] };
}

const RANK = { none: 0, read: 1, write: 2 } as const;

/** The least permissions that cover every job of a workflow: what a caller must grant a reusable workflow. */
function unionPermissions(jobs: Iterable<Job>): Permissions {
  const out: Permissions = {};
  for (const j of jobs) {
    for (const [scope, level] of Object.entries(j.permissions) as [PermissionScope, 'read' | 'write' | 'none'][]) {
      const have = out[scope];
      if (!have || RANK[level] > RANK[have]) out[scope] = level;
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** A job that calls one of our reusable stage workflows, granting exactly what its jobs ask for. */
export function callJob(name: string, path: string, called: Workflow, extra: Partial<CallJob> = {}): CallJob {
  return { name, permissions: unionPermissions(Object.values(called.jobs)), uses: `./${path}`, ...extra };
}
