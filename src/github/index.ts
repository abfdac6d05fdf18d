import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { CliError } from '../core/errors.js';
import type { Detection } from '../detect/types.js';
import type { Action, Change, ExternalIntent } from '../changes/types.js';
import { applyPlan } from './apply.js';
import { createClient, resolveApiUrl, resolveToken, type GitHubClient } from './client.js';
import { planProtection } from './diff.js';
import { auditEnvironment, deployEnvironment } from './environment.js';
import { ADMIN_HINT, TOKEN_HINT, toCliError } from './errors.js';
import { GITHUB_ACTIONS_APP_ID, desiredState } from './policy.js';
import { readLiveState } from './read.js';
import { apiUrlForHost, originRemote, parseRepoSlug } from './remote.js';
import type { WorkflowFacts } from './check-source.js';
import {
  mechanismName,
  type Blocked,
  type LiveState,
  type Mechanism,
  type ProtectPlan,
  type RepoRef,
} from './types.js';

export type { ProtectPlan } from './types.js';

export interface ProtectOptions {
  root: string;
  config: Config;
  detection: Detection | null;
  repo?: string /* OWNER/NAME */;
  branch?: string;
  apiUrl?: string;
  mode?: 'auto' | 'classic' | 'rulesets';
  prune?: boolean;
  env: NodeJS.ProcessEnv;
  onProgress?: (msg: string) => void;
  /** What the generated pull-request workflows use (actions, CodeQL), to tell whether the required check can run. */
  workflows?: WorkflowFacts;
  /** The CODEOWNERS text to judge (init passes what it will write); omitted: read from the working tree once. */
  codeowners?: string | null;
}

/** Test and tuning knobs that are not part of the interface init uses. */
export interface ProtectTuning {
  /** Multiplies every wait (rate limits, retries, write spacing). */
  timeScale?: number;
}

export interface ProtectReport {
  version: 1;
  repository: string;
  branch: string;
  apiUrl: string;
  mechanism: Mechanism | 'none';
  dryRun: boolean;
  changes: Change[];
  /** The requests (dry run: that would be sent; otherwise: that were sent). */
  requests: { route: string; description: string; settings: string[] }[];
  notes: string[];
  writes: number;
  /** After applying, the settings were read back and match (null: dry run or nothing written). */
  verified: boolean | null;
  /** Why branch rules could not be written at all (then protect exits non-zero); null: they could. */
  blocked: Blocked | null;
}

export interface Target {
  ref: RepoRef;
  apiUrl: string;
}

/** Repository and API URL: flags, else the detected origin remote, else `git config remote.origin.url`. */
export async function resolveTarget(
  opts: Pick<ProtectOptions, 'root' | 'detection' | 'repo' | 'apiUrl' | 'env'>,
): Promise<Target> {
  let ref: RepoRef | null = null;
  let detectedApi: string | null = null;
  if (opts.repo) {
    ref = parseRepoSlug(opts.repo);
    if (!ref)
      throw new CliError(`--repo must be OWNER/NAME (got "${opts.repo}").`, 'For example: --repo octo-org/octo-repo.');
  }
  const remote = opts.detection?.remote;
  if (remote?.isGitHub) {
    ref ??= { owner: remote.owner, repo: remote.name };
    detectedApi = remote.apiUrl;
  } else if (!opts.detection) {
    const origin = await originRemote(opts.root);
    if (origin) {
      ref ??= { owner: origin.owner, repo: origin.repo };
      detectedApi = apiUrlForHost(origin.host);
    }
  }
  if (!ref) {
    throw new CliError(
      'no GitHub repository to work on: --repo was not given and the origin remote is not a GitHub URL.',
      'Pass --repo OWNER/NAME (and --api-url for GitHub Enterprise Server).',
    );
  }
  return { ref, apiUrl: resolveApiUrl(opts.apiUrl, opts.env, detectedApi) };
}

/**
 * The CODEOWNERS text GitHub would use (it reads .github/, then the root, then docs/), or null. Read from the
 * working tree: init may have just written it, and protect runs before it is pushed.
 */
async function readCodeowners(root: string, detection: Detection | null): Promise<string | null> {
  const candidates = detection?.github.codeowners
    ? [detection.github.codeowners]
    : ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];
  for (const p of candidates) {
    try {
      return await fsp.readFile(path.join(root, p), 'utf8');
    } catch {
      // not there: try the next place
    }
  }
  return null;
}

/** A connected session: the client plus what protect needs to plan, reusable between plan and apply. */
export class ProtectSession {
  private constructor(
    readonly opts: ProtectOptions,
    readonly target: Target,
    readonly client: GitHubClient,
  ) {}

  /** Read once per session, so the plan and the apply judge the same file. */
  private codeowners: Promise<string | null> | undefined;

  /** Null when there is no token (callers decide whether that is an error). */
  static async open(opts: ProtectOptions, tuning: ProtectTuning = {}): Promise<ProtectSession | null> {
    const target = await resolveTarget(opts);
    const tok = await resolveToken(opts.env, target.apiUrl);
    if (!tok) return null;
    const clientOpts = { token: tok.token, apiUrl: target.apiUrl, timeScale: tuning.timeScale ?? 1 } as Parameters<
      typeof createClient
    >[0];
    if (opts.onProgress) clientOpts.onProgress = opts.onProgress;
    return new ProtectSession(opts, target, createClient(clientOpts));
  }

  get repository(): string {
    return `${this.target.ref.owner}/${this.target.ref.repo}`;
  }

  private fail(err: unknown, doing: string): never {
    throw toCliError(err, { repository: this.repository, apiUrl: this.target.apiUrl, doing });
  }

  async read(): Promise<LiveState> {
    const readOpts: Parameters<typeof readLiveState>[2] = {};
    const branch = this.opts.branch ?? this.opts.config.protection.branch ?? undefined;
    if (branch) readOpts.branch = branch;
    const environment = deployEnvironment(this.opts.config);
    if (environment) readOpts.environment = environment;
    const audit = auditEnvironment(this.opts.config);
    if (audit) readOpts.auditEnvironment = audit;
    if (this.opts.onProgress) readOpts.progress = this.opts.onProgress;
    let live: LiveState;
    try {
      live = await readLiveState(this.client, this.target.ref, readOpts);
    } catch (err) {
      this.fail(err, 'reading the repository settings');
    }
    if (live.repo.archived) {
      throw new CliError(
        `${this.repository} is archived, so its settings cannot change.`,
        'Unarchive it on GitHub (Settings → General) first, or skip protection with --no-github.',
      );
    }
    if (live.repo.admin === false) {
      throw new CliError(
        `the token's user has no admin rights on ${this.repository}, which branch protection and security settings need.`,
        ADMIN_HINT,
      );
    }
    return live;
  }

  async plan(live: LiveState): Promise<ProtectPlan> {
    const onDotCom = /^https:\/\/api\.github\.com$/i.test(this.target.apiUrl);
    // Plan and apply read the same input: the config in memory and the live state, never a file init may write between them.
    const ctx: Parameters<typeof desiredState>[1] = {
      codeowners: await (this.codeowners ??=
        this.opts.codeowners !== undefined
          ? Promise.resolve(this.opts.codeowners)
          : readCodeowners(this.opts.root, this.opts.detection)),
      live,
      environment: deployEnvironment(this.opts.config),
      auditEnvironment: auditEnvironment(this.opts.config),
    };
    if (this.opts.workflows) ctx.workflows = this.opts.workflows;
    // The required check comes from the same source as the generated workflows' aggregator job.
    if (this.opts.detection)
      ctx.checks = (await import('../detect/checks.js')).requiredChecks(this.opts.detection, this.opts.config);
    const want = desiredState(this.opts.config.protection, ctx);
    // GitHub Actions has app id 15368 on github.com only; elsewhere leave the source open.
    if (!onDotCom && want.rules.statusChecks) {
      want.rules.statusChecks.checks = want.rules.statusChecks.checks.map((c) =>
        c.appId === GITHUB_ACTIONS_APP_ID ? { ...c, appId: null } : c,
      );
    }
    return planProtection(live, want, {
      mode: this.opts.mode ?? this.opts.config.protection.mode,
      prune: this.opts.prune ?? false,
    });
  }

  /** Read, diff, and (unless dryRun) apply and read back. */
  async run(dryRun: boolean): Promise<{ report: ProtectReport; fatal: unknown; planLimited: boolean }> {
    const live = await this.read();
    const plan = await this.plan(live);
    const base = {
      version: 1 as const,
      repository: this.repository,
      branch: plan.branch,
      apiUrl: this.target.apiUrl,
      mechanism: plan.mechanism,
      dryRun,
      notes: plan.notes,
      requests: plan.operations.map((o) => ({ route: o.route, description: o.description, settings: o.settings })),
    };
    if (dryRun || plan.operations.length === 0) {
      return {
        report: { ...base, changes: plan.changes, writes: 0, verified: null, blocked: plan.blocked },
        fatal: null,
        planLimited: false,
      };
    }
    const result = await applyPlan(this.client, plan, this.opts.onProgress);
    let changes = result.changes;
    let verified: boolean | null = null;
    if (!result.fatal) {
      // Read back: GitHub sometimes accepts a request and keeps the old value (plan limits, organization policy).
      try {
        const again = await this.plan(await this.read());
        const pending = new Set(again.operations.flatMap((o) => o.settings));
        verified = pending.size === 0;
        changes = changes.map((c) =>
          pending.has(c.target) && c.action !== 'failed' && c.action !== 'skip'
            ? {
                ...c,
                action: 'failed' as const,
                reason: `${c.reason}; GitHub accepted the request but the setting reads back unchanged`,
              }
            : c,
        );
      } catch {
        verified = false;
      }
    }
    return {
      report: { ...base, changes, writes: result.writes, verified, blocked: plan.blocked },
      fatal: result.fatal,
      planLimited: result.planLimited,
    };
  }
}

function summarize(changes: Change[]): Action {
  const acts = changes.map((c) => c.action);
  if (acts.includes('create')) return 'create';
  if (acts.includes('update')) return 'update';
  if (acts.every((a) => a === 'skip')) return 'skip';
  return 'unchanged';
}

function detailLines(changes: Change[], notes: string[]): string[] {
  return [
    ...changes.filter((c) => c.action !== 'unchanged').map((c) => `${c.target}: ${c.action} (${c.reason})`),
    ...notes,
  ];
}

const NO_TOKEN_NOTE =
  'no GitHub token: set GITHUB_TOKEN or GH_TOKEN (or log in with `gh auth login`), then run `secure-repo protect`';

/** The init step: plan() reads and diffs, apply() writes what differs. Without a token both say 'skip'. */
export function protectIntent(opts: ProtectOptions): ExternalIntent {
  let session: Promise<ProtectSession | null> | undefined;
  const open = () => (session ??= ProtectSession.open(opts));
  const step = async (dryRun: boolean) => {
    const s = await open();
    if (!s) return { action: 'skip' as Action, note: NO_TOKEN_NOTE };
    const { report, fatal } = await s.run(dryRun);
    if (fatal)
      throw toCliError(fatal, { repository: s.repository, apiUrl: s.target.apiUrl, doing: 'applying protection' });
    const failed = report.changes.filter((c) => c.action === 'failed');
    const out: { action: Action; note?: string; detail?: string[] } = {
      action:
        failed.length === report.changes.length
          ? 'skip'
          : summarize(report.changes.filter((c) => c.action !== 'failed')),
      detail: detailLines(report.changes, report.notes),
    };
    const mech = mechanismName(report.mechanism);
    out.note = report.blocked
      ? `branch protection not applied: ${report.blocked.reason}; the other settings the plan allows ${dryRun ? 'are listed' : 'were applied'} (run \`secure-repo protect\` for the ways out)`
      : failed.length
        ? `${failed.length} setting(s) not applied (see details); run \`secure-repo protect\` for the full report`
        : `${report.repository}@${report.branch} via ${mech}`;
    return out;
  };
  // init has already written files when this runs: a GitHub refusal is reported on the step, not thrown over them.
  const guarded = async (dryRun: boolean) => {
    try {
      return await step(dryRun);
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      return { action: 'skip' as Action, note: `not applied: ${err.message}${err.hint ? ` ${err.hint}` : ''}` };
    }
  };
  const envs = [deployEnvironment(opts.config), auditEnvironment(opts.config)].filter((e): e is string => e !== null);
  return {
    kind: 'external',
    target: 'GitHub branch protection and security settings',
    reason:
      'require reviews, the security-gate check and signed commits on the default branch; turn on security features' +
      (envs.length
        ? `; let only the protected branch use the ${envs.map((e) => `"${e}"`).join(' and ')} environment${envs.length > 1 ? 's' : ''} (where the plan has environments)`
        : ''),
    plan: () => guarded(true),
    apply: () => guarded(false),
  };
}

export { TOKEN_HINT };
