import type { OperateFinding } from './types.js';

/** An entry of GET /repos/{o}/{r}/activity. */
export interface ActivityRecord {
  id: number;
  before: string;
  after: string;
  ref: string;
  timestamp: string;
  activity_type: string;
  actor: { login: string } | null;
}

/** An entry of GET /repos/{o}/{r}/rulesets/rule-suites. */
export interface RuleSuiteRecord {
  id?: number;
  actor_name?: string | null;
  before_sha?: string;
  after_sha?: string;
  ref?: string;
  pushed_at?: string;
  result?: string;
}

/**
 * Pushes and force pushes to the protected branch. `mergedHeads` holds the `after` SHAs that are a merged pull
 * request's merge commit (found through GET …/commits/{sha}/pulls), which are how a pull request merge lands.
 */
export function pushFindings(activity: ActivityRecord[], branch: string, mergedHeads: Set<string>): OperateFinding[] {
  const out: OperateFinding[] = [];
  for (const a of activity) {
    if (a.ref !== `refs/heads/${branch}`) continue;
    const base = {
      time: a.timestamp,
      target: `${a.ref} ${a.before.slice(0, 7)}..${a.after.slice(0, 7)}`,
      ...(a.actor ? { actor: a.actor.login } : {}),
      evidence: { before: a.before, after: a.after, ref: a.ref, activity_type: a.activity_type },
    };
    if (a.activity_type === 'force_push') {
      out.push({
        ...base,
        detection: 'bypass-force-push',
        key: `activity:${a.id}`,
        severity: 'critical',
        message: `${a.actor?.login ?? 'someone'} force-pushed ${branch} from ${a.before.slice(0, 7)} to ${a.after.slice(0, 7)}`,
      });
    } else if (a.activity_type === 'push' && !mergedHeads.has(a.after)) {
      out.push({
        ...base,
        detection: 'bypass-direct-push',
        key: `activity:${a.id}`,
        severity: 'high',
        message: `${a.actor?.login ?? 'someone'} pushed ${a.after.slice(0, 7)} to ${branch} directly (not a merged pull request)`,
      });
    }
  }
  return out;
}

export function bypassFindings(suites: RuleSuiteRecord[]): OperateFinding[] {
  return suites
    .filter((s) => s.result === 'bypass')
    .map((s) => ({
      detection: 'bypass-rule-suite',
      key: `rule-suite:${s.id ?? `${s.ref}:${s.after_sha}`}`,
      severity: 'high' as const,
      target: `${s.ref ?? '?'} ${s.before_sha?.slice(0, 7) ?? ''}..${s.after_sha?.slice(0, 7) ?? ''}`,
      ...(s.pushed_at ? { time: s.pushed_at } : {}),
      ...(s.actor_name ? { actor: s.actor_name } : {}),
      evidence: { ref: s.ref ?? null, before_sha: s.before_sha ?? null, after_sha: s.after_sha ?? null },
      message: `${s.actor_name ?? 'someone'} bypassed the rules on ${s.ref ?? 'a ref'}`,
    }));
}
