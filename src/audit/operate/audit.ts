import path from 'node:path';
import type { Config } from '../../config/types.js';
import type { Check } from '../../core/check.js';
import { atomicWrite, readTextOrNull } from '../../core/fs.js';
import type { GitHubClient } from '../../github/client.js';
import { BASELINE_PATH, formatBaseline, parseBaseline } from './baseline.js';
import { snapshotBaseline } from './baseline-write.js';
import { operateChecks } from './checks.js';
import { diffState } from './diff.js';
import { imageInventory, readWorkflows } from './files.js';
import { identify } from './identity.js';
import type { ImagePolicy } from './images/policy.js';
import { runOperate } from './index.js';
import { ocsfRecords } from './ocsf.js';
import { Reader } from './read.js';
import { formatState, STATE_PATH } from './state.js';
import { CliError } from '../../core/errors.js';

/** What the audit command needs of a GitHub session: the client and the repository. */
export interface SessionLike {
  client: GitHubClient;
  repository: string;
}

/** Generated workflows carry this prefix; the gate is the CI workflow's `security-gate` job. */
const OURS = /^\.github\/workflows\/secure-repo-[\w-]+\.ya?ml$/;
const GATE = '.github/workflows/secure-repo-ci.yml';

export async function auditOperate(a: {
  root: string;
  session: SessionLike | null;
  offlineReason: string;
  config: Config;
  baselinePath: string | undefined;
  /** null: neither read nor write state (every combination is new, nothing is remembered). */
  statePath: string | null | undefined;
  sinceDays: number;
  version: string;
  now?: Date;
}): Promise<{
  checks: Check[];
  ocsf: string;
  summary: { since: string | null; baseline: string | null; notes: string[] };
  imagePolicy: ImagePolicy | null;
}> {
  const now = a.now ?? new Date();
  let run;
  try {
    const workflows = await readWorkflows(a.root);
    run = await runOperate({
      root: a.root,
      repository: a.session?.repository ?? null,
      client: a.session?.client ?? null,
      offlineReason: a.offlineReason,
      policy: {
        workflowTokenReadOnly: a.config.protection.settings.workflowTokenReadOnly,
        actionsCanApprovePullRequests: a.config.protection.settings.actionsCanApprovePullRequests,
      },
      ours: workflows.map((w) => w.path).filter((p) => OURS.test(p)),
      gatePath: GATE,
      ...(a.baselinePath ? { baselinePath: a.baselinePath } : {}),
      statePath:
        a.statePath ??
        (a.statePath === null
          ? path.join(a.root, '.secure-repo', '.no-state-never-written.json')
          : await defaultStatePath(a.root)),
      now,
      firstLookbackDays: a.sinceDays,
    });
  } catch (err) {
    if (err instanceof Error && /baseline|state file|not valid JSON/.test(err.message) && !(err instanceof CliError)) {
      throw new CliError(
        `${err.message}.`,
        'Fix the file (or delete it: the baseline is rewritten by `secure-repo audit --write-baseline`, the state relearns on the next audit).',
      );
    }
    throw err;
  }
  const repository = run.repository ?? path.basename(a.root);
  const all = identify(repository, run.findings);
  const { events, fresh, next } = diffState(
    run.state,
    all,
    run.ran,
    run.notChecked,
    now,
    run.combos,
    Boolean(a.session) && !run.notChecked.some((n) => n.detection === 'run-first-seen'),
  );
  if (a.statePath !== null) await atomicWriteMkdir(run.statePath, formatState(next));
  return {
    checks: operateChecks(fresh, run.ran, run.notChecked),
    ocsf: ocsfRecords(events, { repository, version: a.version, now }),
    summary: {
      since: run.ran.has('run-first-seen') ? run.since : null,
      baseline: run.baseline ? path.relative(a.root, run.baselinePath) : null,
      notes: run.notes,
    },
    imagePolicy: run.baseline?.images ?? null,
  };
}

export async function writeOperateBaseline(
  root: string,
  session: SessionLike | null,
  file: string | undefined,
): Promise<{ path: string; skipped: string[] }> {
  const target = path.resolve(root, file ?? BASELINE_PATH);
  const prevText = await readTextOrNull(target);
  const prev = prevText === null ? null : parseBaseline(prevText, target);
  const workflows = await readWorkflows(root);
  const images = await imageInventory(root, workflows);
  const reader = session ? new Reader(session.client, ...(session.repository.split('/') as [string, string])) : null;
  const { baseline, skipped } = await snapshotBaseline(
    reader,
    workflows.map((w) => w.path),
    images,
    prev,
  );
  await atomicWriteMkdir(target, formatBaseline(baseline));
  return { path: path.relative(root, target) || target, skipped };
}

/** Inside the clone's git directory: per clone, never committed, never in the way of the work tree. */
async function defaultStatePath(root: string): Promise<string> {
  const { git } = await import('../../core/git.js');
  const dir = await git(['rev-parse', '--absolute-git-dir'], { cwd: root, allowFailure: true });
  return dir ? path.join(dir, 'secure-repo', 'audit-state.json') : path.join(root, STATE_PATH);
}

async function atomicWriteMkdir(file: string, text: string): Promise<void> {
  const { promises: fsp } = await import('node:fs');
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await atomicWrite(file, text);
}
