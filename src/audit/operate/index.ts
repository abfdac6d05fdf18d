import path from 'node:path';
import type { GitHubClient } from '../../github/client.js';
import { readTextOrNull } from '../../core/fs.js';
import type { ActionsPolicy } from './actions-settings.js';
import { BASELINE_PATH, parseBaseline, type Baseline } from './baseline.js';
import { collectOperate, type OperateResult } from './collect.js';
import { imageInventory, readWorkflows } from './files.js';
import type { ImageUse } from './images/inventory.js';
import { Reader } from './read.js';
import { emptyState, parseState, STATE_PATH, type AuditState } from './state.js';
import type { WorkflowModel } from './workflow-model.js';

export interface OperateOptions {
  root: string;
  /** OWNER/NAME, or null without a GitHub repository. */
  repository: string | null;
  /** null: no token or no repository; API detections are not checked, for `offlineReason`. */
  client: GitHubClient | null;
  offlineReason: string;
  policy: ActionsPolicy;
  /** Generated workflow paths (ours) and the gate's workflow. */
  ours: string[];
  gatePath: string | null;
  baselinePath?: string;
  statePath?: string;
  now?: Date;
  /** How far back to read activity on the first audit (no state yet). */
  firstLookbackDays?: number;
  logJobs?: number;
  jobRuns?: number;
}

export interface OperateRun extends OperateResult {
  repository: string | null;
  defaultBranch: string | null;
  since: string;
  baseline: Baseline | null;
  baselinePath: string;
  state: AuditState;
  statePath: string;
  workflows: WorkflowModel[];
  images: ImageUse[];
}

/** Activity is read from the last audit on, with an hour of overlap so a run that was in progress is not missed. */
const OVERLAP_MS = 3_600_000;

export async function runOperate(o: OperateOptions): Promise<OperateRun> {
  const now = o.now ?? new Date();
  const baselinePath = path.resolve(o.root, o.baselinePath ?? BASELINE_PATH);
  const statePath = path.resolve(o.root, o.statePath ?? STATE_PATH);
  const baselineText = await readTextOrNull(baselinePath);
  const baseline =
    baselineText === null ? null : parseBaseline(baselineText, path.relative(o.root, baselinePath) || baselinePath);
  const stateText = await readTextOrNull(statePath);
  const state = stateText === null ? emptyState() : parseState(stateText, statePath);
  const since = state.lastRun
    ? new Date(Date.parse(state.lastRun) - OVERLAP_MS)
    : new Date(now.getTime() - (o.firstLookbackDays ?? 7) * 86_400_000);
  const workflows = await readWorkflows(o.root);
  const images = await imageInventory(o.root, workflows);

  let reader: Reader | null = null;
  let defaultBranch: string | null = null;
  let isPrivate = false;
  let offlineReason = o.offlineReason;
  if (o.client && o.repository) {
    const [owner, repo] = o.repository.split('/') as [string, string];
    reader = new Reader(o.client, owner, repo);
    const info = await reader.get<{ default_branch: string; private: boolean }>(
      'GET /repos/{owner}/{repo}',
      {},
      'Metadata: read',
    );
    if (info.ok) {
      defaultBranch = info.value.default_branch;
      isPrivate = info.value.private;
    } else {
      reader = null;
      offlineReason = `the repository could not be read: ${info.reason}`;
    }
  }
  const result = await collectOperate({
    repository: o.repository ?? '',
    defaultBranch: defaultBranch ?? 'main',
    private: isPrivate,
    reader,
    offlineReason,
    workflows,
    images,
    ours: o.ours,
    gatePath: o.gatePath,
    baseline,
    state,
    policy: o.policy,
    now,
    since,
    logJobs: o.logJobs ?? 20,
    jobRuns: o.jobRuns ?? 30,
  });
  return {
    ...result,
    repository: o.repository,
    defaultBranch,
    since: since.toISOString(),
    baseline,
    baselinePath,
    state,
    statePath,
    workflows,
    images,
  };
}
