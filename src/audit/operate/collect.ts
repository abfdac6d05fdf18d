import {
  deployKeyFindings,
  collaboratorFindings,
  environmentFindings,
  runnerFindings,
  secretFindings,
  webhookFindings,
} from './access.js';
import type {
  CollaboratorRecord,
  DeployKeyRecord,
  EnvironmentRecordLite,
  HookRecord,
  InvitationRecord,
  RunnerRecord,
  SecretRecord,
} from './access.js';
import { actionsSettingsFindings, type ActionsPolicy, type ActionsSettings } from './actions-settings.js';
import { alertFindings, pushProtectionFindings, type AlertRecord, type SecretAlertRecord } from './alerts.js';
import type { Baseline } from './baseline.js';
import { DETECTIONS, detection } from './catalog.js';
import { controlFindings, hardeningRemoved, type WorkflowRecord } from './controls.js';
import { readRuns } from './history.js';
import { inventoryFindings, pulledFindings, pulledImages } from './images/policy.js';
import type { ImageUse } from './images/inventory.js';
import { jobFindings, type JobRecord } from './jobs.js';
import { bypassFindings, pushFindings, type ActivityRecord, type RuleSuiteRecord } from './pushes.js';
import type { Reader, ReadResult } from './read.js';
import { firstSeen, runFindings, runPath, type RunRecord } from './runs.js';
import type { AuditState } from './state.js';
import type { NotChecked, OperateFinding } from './types.js';
import { unknownWorkflows, workflowRisks } from './workflow-risks.js';
import type { WorkflowModel } from './workflow-model.js';

/** The fields code scanning and Dependabot alerts share, as the alert checks read them. */
interface AlertFields {
  number: number;
  html_url: string;
  state: string;
  created_at: string;
  dismissed_at: string | null;
  dismissed_by: { login: string } | null;
  dismissed_reason: string | null;
}

export interface OperateInput {
  repository: string;
  defaultBranch: string;
  private: boolean;
  /** null: no token or no GitHub repository; every API detection is then "not checked" with `offlineReason`. */
  reader: Reader | null;
  offlineReason: string;
  workflows: WorkflowModel[];
  images: ImageUse[];
  /** Generated workflow paths (ours) present in the repository, and the gate's workflow. */
  ours: string[];
  gatePath: string | null;
  baseline: Baseline | null;
  state: AuditState;
  policy: ActionsPolicy;
  now: Date;
  since: Date;
  /** How many job logs to read for pulled images. */
  logJobs: number;
  /** How many recent runs' jobs to inspect for runners (flagged runs are always inspected). */
  jobRuns: number;
}

export interface OperateResult {
  findings: OperateFinding[];
  notChecked: NotChecked[];
  /** Detection ids that ran (fully or in part). */
  ran: Set<string>;
  combos: string[];
  notes: string[];
}

const HARDEN = 'step-security/harden-runner@';

export async function collectOperate(input: OperateInput): Promise<OperateResult> {
  const findings: OperateFinding[] = [];
  const notChecked: NotChecked[] = [];
  const ran = new Set<string>();
  const notes: string[] = [];
  const skip = (ids: string[], reason: string, needs: string | null) =>
    ids.forEach((d) => notChecked.push({ detection: d, reason, needs }));
  /** Runs a read; on failure every detection fed by it is "not checked" with GitHub's reason. */
  const take = async <T>(ids: string[], what: string, r: Promise<ReadResult<T>>): Promise<T | null> => {
    const got = await r;
    if (got.ok) {
      ids.forEach((d) => ran.add(d));
      return got.value;
    }
    skip(ids, `${what}: ${got.reason}`, got.needs);
    return null;
  };

  // Repository files: every workflow and every image reference.
  for (const wf of input.workflows) {
    if (wf.error) notes.push(`${wf.path} could not be parsed (${wf.error}); its risks were not checked`);
    else findings.push(...workflowRisks(wf));
  }
  [
    'workflow-dangerous-trigger',
    'workflow-script-injection',
    'workflow-unpinned-uses',
    'workflow-unpinned-image',
    'workflow-persist-credentials',
    'workflow-secrets-inherit',
    'workflow-self-hosted-pr',
    'workflow-no-hardening',
    'control-hardening-removed',
  ].forEach((d) => ran.add(d));
  const oursModels = input.workflows.filter((w) => input.ours.includes(w.path) && !w.error);
  findings.push(
    ...hardeningRemoved(
      oursModels.map((w) => ({
        path: w.path,
        jobsWithout: w.jobs
          .filter((j) => !j.uses && j.steps.length && !(j.steps[0]!.uses ?? '').startsWith(HARDEN))
          .map((j) => ({ id: j.id, line: j.line })),
      })),
    ),
  );
  // Our own generated jobs are reported as a removed control, not twice.
  const dup = new Set(findings.filter((f) => f.detection === 'control-hardening-removed').map((f) => f.key));
  for (let i = findings.length - 1; i >= 0; i--)
    if (findings[i]!.detection === 'workflow-no-hardening' && dup.has(findings[i]!.key)) findings.splice(i, 1);
  if (input.baseline) {
    findings.push(
      ...unknownWorkflows(
        input.workflows.map((w) => w.path),
        input.baseline.workflows,
      ),
    );
    ran.add('workflow-unknown-file');
  } else
    skip(
      ['workflow-unknown-file'],
      'no reviewed baseline yet (run `secure-repo audit --write-baseline` and commit it)',
      null,
    );
  const imagePolicy = input.baseline?.images ?? null;
  if (imagePolicy) {
    findings.push(...inventoryFindings(input.images, imagePolicy));
    ran.add('image-not-allowed');
  } else
    skip(
      ['image-not-allowed', 'image-pulled-unexpected'],
      'no image allow-list in the baseline ("images": {"allow": [...]})',
      null,
    );

  const reader = input.reader;
  if (!reader) {
    for (const d of DETECTIONS)
      if (!ran.has(d.id) && !notChecked.some((n) => n.detection === d.id)) skip([d.id], input.offlineReason, d.needs);
    return { findings, notChecked, ran, combos: input.state.combos, notes };
  }
  const N = (id: string) => detection(id).needs;

  // Access, read first: collaborators tell who counts as a maintainer.
  const people = await take(
    ['access-collaborator'],
    'collaborators',
    reader.list<CollaboratorRecord & { permissions?: { push?: boolean } }>(
      'GET /repos/{owner}/{repo}/collaborators',
      { affiliation: 'all' },
      N('access-collaborator'),
    ),
  );
  const outside = await take(
    ['access-collaborator'],
    'outside collaborators',
    reader.list<CollaboratorRecord>(
      'GET /repos/{owner}/{repo}/collaborators',
      { affiliation: 'outside' },
      N('access-collaborator'),
    ),
  );
  const invitations = await take(
    ['access-collaborator'],
    'invitations',
    reader.list<InvitationRecord>('GET /repos/{owner}/{repo}/invitations', {}, ADMIN),
  );
  findings.push(...collaboratorFindings(people ?? [], outside ?? [], invitations ?? [], input.baseline));
  if (!input.baseline)
    skip(
      ['access-collaborator', 'access-secret'],
      'no reviewed baseline yet to compare with (run `secure-repo audit --write-baseline`)',
      null,
    );
  const maintainers = new Set([
    ...(people ?? [])
      .filter((p) => ['admin', 'maintain', 'write'].includes(p.role_name) || p.permissions?.push)
      .map((p) => p.login.toLowerCase()),
    ...(input.baseline?.collaborators ?? [])
      .filter((c) => ['admin', 'maintain', 'write'].includes(c.role))
      .map((c) => c.login.toLowerCase()),
    ...(input.baseline?.dispatchers ?? []).map((d) => d.toLowerCase()),
  ]);
  if (!maintainers.size)
    notes.push(
      'who may dispatch is unknown (collaborators unreadable and no baseline): dispatches are judged by branch and bot only',
    );
  const keys = await take(
    ['access-deploy-key'],
    'deploy keys',
    reader.list<DeployKeyRecord>('GET /repos/{owner}/{repo}/keys', {}, N('access-deploy-key')),
  );
  if (keys) findings.push(...deployKeyFindings(keys, input.baseline, input.now));
  const hooks = await take(
    ['access-webhook'],
    'webhooks',
    reader.list<HookRecord>('GET /repos/{owner}/{repo}/hooks', {}, N('access-webhook')),
  );
  if (hooks) findings.push(...webhookFindings(hooks, input.baseline));
  const runners = await take(
    ['access-runner'],
    'self-hosted runners',
    reader.list<RunnerRecord>('GET /repos/{owner}/{repo}/actions/runners', {}, N('access-runner'), 'runners'),
  );
  if (runners) findings.push(...runnerFindings(runners, input.baseline));
  const envs = await take(
    ['access-environment'],
    'environments',
    reader.list<EnvironmentRecordLite>(
      'GET /repos/{owner}/{repo}/environments',
      {},
      N('access-environment'),
      'environments',
    ),
  );
  if (envs) findings.push(...environmentFindings(envs, input.baseline));
  const secrets = await take(
    ['access-secret'],
    'Actions secrets',
    reader.list<SecretRecord>('GET /repos/{owner}/{repo}/actions/secrets', {}, N('access-secret'), 'secrets'),
  );
  if (secrets) findings.push(...secretFindings(secrets, input.baseline));

  // Run history.
  const runIds = [
    'run-privileged-from-fork',
    'run-dispatch-unusual',
    'run-triggering-actor-differs',
    'run-workflow-not-on-default-branch',
    'run-first-seen',
    'run-self-hosted-untrusted',
  ];
  const runsRead = await readRuns(reader, input.since, input.now, N('run-first-seen'));
  let combos = input.state.combos;
  let runs: RunRecord[] = [];
  if (runsRead.ok) {
    runIds.forEach((d) => ran.add(d));
    runs = runsRead.value;
    if (runsRead.truncated)
      notes.push(`more than 1,000 runs in one hour of the window: only the newest 1,000 of it were read`);
    const workflowPaths = new Set(input.workflows.map((w) => w.path));
    const ctx = { repository: input.repository, defaultBranch: input.defaultBranch, maintainers, workflowPaths };
    findings.push(...runFindings(runs, ctx));
    const seen = firstSeen(runs, input.state.lastRun ? new Set(input.state.combos) : null);
    findings.push(...seen.findings);
    combos = [...new Set([...input.state.combos, ...seen.combos])].sort();
    if (!input.state.lastRun)
      notes.push(
        `first audit: ${seen.combos.length} (actor, event, workflow) combination(s) learned from run history; new ones are reported from now on`,
      );
    // Jobs: the runs already flagged, then the newest ones, for runners and pulled images.
    const flagged = new Set(
      findings
        .filter((f) => f.detection.startsWith('run-') && f.evidence?.path !== undefined)
        .map((f) => f.target.match(/^run (\d+)/)?.[1])
        .filter(Boolean)
        .map(Number),
    );
    const picked = [
      ...runs.filter((r) => flagged.has(r.id)),
      ...[...runs].sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, input.jobRuns),
    ];
    const inspected = new Set<number>();
    let logsLeft = imagePolicy ? input.logJobs : 0;
    let logsDenied: { reason: string; needs: string | null } | null = null;
    for (const run of picked) {
      if (inspected.has(run.id)) continue;
      inspected.add(run.id);
      const jobs = await reader.list<JobRecord>(
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
        { run_id: run.id, filter: 'latest' },
        N('run-self-hosted-untrusted'),
        'jobs',
        200,
      );
      if (!jobs.ok) {
        skip(['run-self-hosted-untrusted'], `jobs of run ${run.id}: ${jobs.reason}`, jobs.needs);
        break;
      }
      findings.push(
        ...jobFindings(run, jobs.value, {
          repository: input.repository,
          workflowPaths,
          knownRunners: input.baseline ? new Set(input.baseline.runners) : null,
        }),
      );
      for (const job of jobs.value) {
        if (logsLeft <= 0 || !imagePolicy || logsDenied) break;
        logsLeft--;
        const log = await reader.log(job.id, N('image-pulled-unexpected'));
        // Logs expire (GitHub keeps them 90 days by default) or a job never started: that job has none to read.
        if (!log.ok && log.reason.startsWith('not available (404')) continue;
        if (!log.ok) {
          logsDenied = log;
          break;
        }
        ran.add('image-pulled-unexpected');
        findings.push(...pulledFindings(job, pulledImages(log.value), imagePolicy));
      }
    }
    if (logsDenied) skip(['image-pulled-unexpected'], `job logs: ${logsDenied.reason}`, logsDenied.needs);
    else if (imagePolicy && !ran.has('image-pulled-unexpected'))
      notes.push('no job ran in the window, so no log was read for pulled images');
  } else
    skip(
      runIds.concat(imagePolicy ? ['image-pulled-unexpected'] : []),
      `run history: ${runsRead.reason}`,
      runsRead.needs,
    );

  // Pushes and bypasses on the protected branch.
  const activity = await take(
    ['bypass-direct-push', 'bypass-force-push'],
    'push activity',
    reader.list<ActivityRecord>(
      'GET /repos/{owner}/{repo}/activity',
      { ref: `refs/heads/${input.defaultBranch}`, time_period: period(input.since, input.now), direction: 'desc' },
      N('bypass-direct-push'),
      null,
      500,
    ),
  );
  if (activity) {
    const recent = activity.filter((a) => Date.parse(a.timestamp) >= input.since.getTime());
    const merged = new Set<string>();
    for (const a of recent.filter((x) => x.activity_type === 'push').slice(0, 50)) {
      const prs = await reader.list<{ merged_at: string | null; merge_commit_sha: string | null }>(
        'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
        { commit_sha: a.after },
        N('bypass-direct-push'),
        null,
        100,
      );
      if (prs.ok && prs.value.some((p) => p.merged_at && p.merge_commit_sha === a.after)) merged.add(a.after);
    }
    findings.push(...pushFindings(recent, input.defaultBranch, merged));
  }
  const suites = await take(
    ['bypass-rule-suite'],
    'rule suites',
    reader.list<RuleSuiteRecord>(
      'GET /repos/{owner}/{repo}/rulesets/rule-suites',
      { rule_suite_result: 'bypass', time_period: suitePeriod(input.since, input.now) },
      N('bypass-rule-suite'),
      null,
      1000,
    ),
  );
  if (suites)
    findings.push(
      ...bypassFindings(suites.filter((s) => !s.pushed_at || Date.parse(s.pushed_at) >= input.since.getTime())),
    );

  // Actions settings.
  const settingsIds = ['actions-settings-drift'];
  const s: ActionsSettings = {
    permissions: await take(
      settingsIds,
      'Actions permissions',
      reader.get<ActionsSettings['permissions']>('GET /repos/{owner}/{repo}/actions/permissions', {}, ADMIN),
    ),
    workflow: null,
    forkApproval: await take(
      settingsIds,
      'fork pull request approval',
      reader.get<ActionsSettings['forkApproval']>(
        'GET /repos/{owner}/{repo}/actions/permissions/fork-pr-contributor-approval',
        {},
        ADMIN,
      ),
    ),
    privateForks: input.private
      ? await take(
          settingsIds,
          'private fork settings',
          reader.get<ActionsSettings['privateForks']>(
            'GET /repos/{owner}/{repo}/actions/permissions/fork-pr-workflows-private-repos',
            {},
            ADMIN,
          ),
        )
      : null,
  };
  findings.push(...actionsSettingsFindings(s, input.policy));

  // Security controls switched off.
  const wfList = await take(
    ['control-workflow-disabled', 'control-workflow-stale'],
    'workflows',
    reader.list<WorkflowRecord>(
      'GET /repos/{owner}/{repo}/actions/workflows',
      {},
      N('control-workflow-disabled'),
      'workflows',
    ),
  );
  if (wfList) {
    const watched = input.workflows
      .filter((w) => input.ours.includes(w.path) && (w.events.has('schedule') || w.path === input.gatePath))
      .map((w) => w.path);
    const latest: RunRecord[] = [];
    for (const p of watched) {
      const file = p.split('/').pop()!;
      const r = await reader.get<{ workflow_runs: RunRecord[] }>(
        'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
        { workflow_id: file, per_page: 1 },
        N('control-workflow-stale'),
      );
      if (r.ok) latest.push(...r.value.workflow_runs);
      if (p === input.gatePath) {
        const ok = await reader.get<{ workflow_runs: RunRecord[] }>(
          'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
          { workflow_id: file, branch: input.defaultBranch, status: 'success', per_page: 1 },
          N('control-workflow-stale'),
        );
        if (ok.ok) latest.push(...ok.value.workflow_runs);
      }
    }
    const oldest = new Date(input.now.getTime() - 3650 * 86_400_000);
    findings.push(
      ...controlFindings({
        workflows: wfList,
        runs: [...latest, ...runs],
        ours: input.ours.filter((p) => watched.includes(p) || wfList.some((w) => w.path === p && w.state !== 'active')),
        gatePath: input.gatePath,
        defaultBranch: input.defaultBranch,
        staleDays: input.baseline?.staleDays ?? 14,
        now: input.now,
        since: oldest,
      }),
    );
  }

  // Alert hygiene.
  const secretAlerts = await take(
    ['alert-push-protection-bypass'],
    'secret scanning alerts',
    reader.list<SecretAlertRecord>(
      'GET /repos/{owner}/{repo}/secret-scanning/alerts',
      { hide_secret: true },
      N('alert-push-protection-bypass'),
      null,
      1000,
    ),
  );
  if (secretAlerts)
    findings.push(
      ...pushProtectionFindings(
        secretAlerts.filter(
          (a) =>
            !a.push_protection_bypassed_at ||
            Date.parse(a.push_protection_bypassed_at) >= input.since.getTime() ||
            a.state === 'open',
        ),
      ),
    );
  const alertIds = ['alert-dismissed', 'alert-past-sla'];
  const code = await take(
    alertIds,
    'code scanning alerts',
    reader.list<
      AlertFields & {
        rule: { security_severity_level?: string | null; severity?: string | null; description?: string };
      }
    >('GET /repos/{owner}/{repo}/code-scanning/alerts', {}, 'Code scanning alerts: read', null, 1000),
  );
  const dep = await take(
    alertIds,
    'Dependabot alerts',
    reader.list<AlertFields & { security_advisory: { severity: string; summary: string } }>(
      'GET /repos/{owner}/{repo}/dependabot/alerts',
      {},
      'Dependabot alerts: read',
      null,
      1000,
    ),
  );
  const alerts: AlertRecord[] = [
    ...(code ?? []).map((a) => ({
      number: a.number,
      html_url: a.html_url,
      state: a.state,
      created_at: a.created_at,
      dismissed_at: a.dismissed_at,
      dismissed_by: a.dismissed_by,
      dismissed_reason: a.dismissed_reason,
      severity: a.rule.security_severity_level ?? a.rule.severity ?? 'unknown',
      title: a.rule.description ?? '',
      tool: 'code-scanning' as const,
    })),
    ...(dep ?? []).map((a) => ({
      number: a.number,
      html_url: a.html_url,
      state: a.state,
      created_at: a.created_at,
      dismissed_at: a.dismissed_at,
      dismissed_by: a.dismissed_by,
      dismissed_reason: a.dismissed_reason,
      severity: a.security_advisory.severity,
      title: a.security_advisory.summary,
      tool: 'dependabot' as const,
    })),
  ];
  findings.push(...alertFindings(alerts, input.since, input.baseline?.sla ?? { critical: 7, high: 30 }, input.now));

  void runPath;
  return { findings, notChecked, ran, combos, notes };
}

const ADMIN = 'Administration: read';

/** The /activity endpoint's coarse windows: the smallest that covers [since, now]. */
function period(since: Date, now: Date): string {
  const days = (now.getTime() - since.getTime()) / 86_400_000;
  return days <= 1 ? 'day' : days <= 7 ? 'week' : days <= 31 ? 'month' : days <= 92 ? 'quarter' : 'year';
}

/** Rule suites take hour, day, week or month. */
function suitePeriod(since: Date, now: Date): string {
  const hours = (now.getTime() - since.getTime()) / 3_600_000;
  return hours <= 1 ? 'hour' : hours <= 24 ? 'day' : hours <= 168 ? 'week' : 'month';
}
