import type { GitHubClient } from './client.js';
import { classify, failureReason, type FailureKind } from './errors.js';
import type { Operation, ProtectPlan } from './types.js';
import type { Change } from '../changes/types.js';

export interface ApplyResult {
  changes: Change[];
  /** Write requests sent (each operation counts once, whatever the retries). */
  writes: number;
  /** The error that stopped the run (token, rate limit, network): later operations were not attempted. */
  fatal: unknown;
  /** Some settings were refused because of the account's plan. */
  planLimited: boolean;
}

/** Failures that will hit every following request too: stop instead of hammering. */
const FATAL: FailureKind[] = ['unauthorized', 'rate-limit', 'network'];

/** Sends the plan's operations in order; each setting's report line says what happened to it. */
export async function applyPlan(
  client: GitHubClient,
  plan: ProtectPlan,
  progress: (msg: string) => void = () => {},
): Promise<ApplyResult> {
  const outcome = new Map<string, Change>();
  let writes = 0;
  let fatal: unknown = null;
  let planLimited = false;
  let previousFailed = false;
  for (const op of plan.operations) {
    if (fatal) {
      mark(outcome, op, 'skip', 'not attempted: an earlier request failed');
      continue;
    }
    if (op.needsPrevious && previousFailed) {
      // The failure before it already explains its settings; only fill in those it did not carry.
      for (const setting of op.settings)
        if (!outcome.has(setting))
          outcome.set(setting, {
            target: setting,
            action: 'skip',
            reason: 'not attempted: the request it builds on failed',
          });
      continue;
    }
    previousFailed = false;
    progress(op.description);
    try {
      writes++;
      await client.request(op.route, op.params);
    } catch (err) {
      previousFailed = true;
      const { reason, kind } = failureReason(err);
      if (kind === 'plan') planLimited = true;
      mark(outcome, op, 'failed', reason);
      if (FATAL.includes(classify(err).kind)) fatal = err;
    }
  }
  const changes = plan.changes.map((c) => outcome.get(c.target) ?? c);
  return { changes, writes, fatal, planLimited };
}

function mark(outcome: Map<string, Change>, op: Operation, action: Change['action'], reason: string) {
  for (const setting of op.settings) outcome.set(setting, { target: setting, action, reason });
}
