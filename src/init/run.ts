import path from 'node:path';
import { existsSync, promises as fsp } from 'node:fs';
import { CliError } from '../core/errors.js';
import { git, workTreeRoot } from '../core/git.js';
import { palette } from '../core/style.js';
import { loadConfig } from '../config/load.js';
import type { Config, HookManager, Stage } from '../config/types.js';
import { detect } from '../detect/index.js';
import { folderState, isWorkTree, refuseBare } from '../detect/git.js';
import type { Detection } from '../detect/types.js';
import { planIntents } from '../changes/plan.js';
import { formatPlan, planToJson } from '../changes/format.js';
import type { Intent, PlannedChange } from '../changes/types.js';
import { applyPlan } from '../changes/apply.js';
import { configIntent, type InitChoices } from './config-file.js';
import { defaultChoices, withChoices } from './choices.js';
import { applicableStages } from '../templates/index.js';
import { repositoryIntents } from './contributors.js';
import { teammateInstruction } from '../hooks/install/index.js';
import { describeDetection } from './describe.js';
import {
  BASELINE_FILE,
  baselineIntent,
  describeExisting,
  keptBaseline,
  scanExisting,
  type ExistingFindings,
} from './history.js';
import { verifyHooks, type HookVerification } from './verify.js';
import { readWritten, recordWritten, stillAsWritten } from './written.js';
import { toolCommand } from '../hooks/install/tool-command.js';
import { TOOL_PACKAGE } from '../hooks/install/package-json.js';

export interface InitOptions {
  dir: string;
  yes: boolean;
  dryRun: boolean;
  json: boolean;
  interactive: boolean;
  color: boolean;
  stages?: Stage[];
  hooks?: HookManager;
  /** --package-spec; else the spec package.json already records; else create-secure-repo@^VERSION. */
  packageSpec?: string;
  install: boolean;
  github: boolean;
  repo?: string;
  apiUrl?: string;
  branch?: string;
  env: NodeJS.ProcessEnv;
  version: string;
  out: (text: string) => void;
  /** The folder the command was run from (next steps say `cd DIR` when init set up another one). */
  cwd: string;
  /** Terminal width for the plan (wrapped at word boundaries). */
  columns?: number;
  err: (text: string) => void;
}

export interface InitResult {
  root: string;
  dryRun: boolean;
  changes: PlannedChange[];
  warnings: string[];
  /** Whether the policy wants signed commits (the command offers `secure-repo signing` then). */
  requireSignedCommits: boolean;
  /** The protected branch (pushes to it need signed commits when required). */
  branch: string;
  /** How to run secure-repo in this repository, for messages. */
  tool: string;
  /** What a real `git commit` of a staged token showed after apply (null: no hooks in the chosen stages). */
  selfTest: HookVerification | null;
}

/** The nearest folder that exists, so `git init` of a new nested project has somewhere to run. */
async function existingAncestor(p: string): Promise<string> {
  let cur = p;
  while (
    !(await fsp.stat(cur).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  return cur;
}

/** detect → choices → plan → (dry run stops) → confirm → apply. */
export async function runInit(o: InitOptions): Promise<InitResult> {
  const root = path.resolve(o.dir);
  const c = palette(o.color);
  const warnings: string[] = [];
  const say = (s: string) => {
    if (!o.json) o.err(s);
  };

  const exists = (await folderState(root)) === 'folder';
  if (exists) await refuseBare(root);
  const inGit = exists && (await isWorkTree(root));
  const pre: Intent[] = [];
  if (!inGit) {
    if (exists && !o.yes && !o.dryRun) {
      if (!o.interactive) {
        throw new CliError(
          `${o.dir} is not a git repository.`,
          'Run `git init` there first, or re-run with --yes to let create-secure-repo run it for you.',
        );
      }
      const { confirmGitInit } = await import('./prompts.js');
      if (!(await confirmGitInit(o.dir)))
        throw new CliError('nothing was changed: the folder is not a git repository.', 'Run `git init` and re-run.');
    }
    const anchor = await existingAncestor(root);
    const parent = await workTreeRoot(anchor);
    if (parent) {
      // A new repository inside another one: git keeps them apart (the outer one shows the folder as untracked).
      warnings.push(
        `${path.relative(parent, root) || root} is inside the repository ${parent}: it becomes a separate, nested repository (add it to ${path.basename(parent)}'s .gitignore, or run init in ${parent} to set up that one instead).`,
      );
      if (o.interactive && !o.yes && !o.dryRun && !o.json) {
        const { confirmNested } = await import('./prompts.js');
        if (!(await confirmNested(root, parent)))
          throw new CliError('nothing was changed.', `To set up ${parent} itself, run init there.`);
      }
    }
    pre.push({
      kind: 'command',
      // The branch the plan, the workflows and the protection name: not whatever this git's default is (master).
      argv: ['git', 'init', '--quiet', `--initial-branch=${o.branch ?? 'main'}`, root],
      cwd: path.relative(root, anchor) || '.',
      label: exists ? 'git init' : `git init ${path.basename(root)} (new folder)`,
      reason: exists ? 'the folder is not a git repository yet' : 'new project: create the folder and its repository',
    });
  }

  const det: Detection = await detect(root, { allowNoGit: true });
  if (det.head.detached)
    warnings.push('HEAD is detached: hooks and files are set up, but check out a branch before you commit them.');
  if (inGit && !det.head.hasCommits)
    warnings.push('the repository has no commits yet; that is fine, commit the generated files as your first commit.');
  // Files an earlier run of ours wrote (its install then failed) are uncommitted too, but they are not the user's.
  const ours = readWritten(det.root);
  const usersDirty = det.dirty.filter((f) => !stillAsWritten(det.root, f, ours));
  if (usersDirty.length > 0) {
    const n = usersDirty.length;
    const shown = usersDirty.slice(0, 5).join(', ') + (n > 5 ? ` and ${n - 5} more` : '');
    warnings.push(
      `${n} file${n === 1 ? ' has' : 's have'} uncommitted changes (${shown}); init will not touch ${n === 1 ? 'it' : 'them'}.`,
    );
  }
  const originUrl = inGit ? await git(['remote', 'get-url', 'origin'], { cwd: det.root, allowFailure: true }) : null;
  if (!det.remote && originUrl)
    warnings.push(
      `origin is ${originUrl}, not a GitHub repository: the GitHub steps are skipped; hooks and files work anywhere.`,
    );
  else if (!det.remote)
    warnings.push(
      `no \`origin\` remote: GitHub protection is skipped (run \`${toolCommand(det)} protect --repo OWNER/NAME\` once the repository is on GitHub).`,
    );
  else if (!det.remote.isGitHub)
    warnings.push(
      `origin (${det.remote.host}) is not GitHub: the GitHub steps are skipped; hooks and files work anywhere.`,
    );

  const loaded = await loadConfig(det.root);
  const applicable = applicableStages(det);
  let choices: InitChoices = defaultChoices(det, loaded.config, loaded.file !== null, applicable);
  const explicit = new Set<keyof InitChoices>();
  if (o.stages) {
    choices = { ...choices, stages: o.stages };
    explicit.add('stages');
  }
  if (o.hooks) {
    choices = { ...choices, manager: o.hooks };
    explicit.add('manager');
  }
  // The protected branch: the flag, the config, the remote's HEAD; failing those, the branch here, recorded once in
  // .secure-repo.yml (asked on a TTY) so the push hook never guesses (express's default is master, not main).
  let askBranch = false;
  if (o.branch) {
    choices = { ...choices, branch: o.branch };
    explicit.add('branch');
  } else if (choices.branch === null && !(await remoteHead(det.root))) {
    choices = { ...choices, branch: det.defaultBranch };
    explicit.add('branch');
    askBranch = true;
  }
  say(describeDetection(det, c, o.version, originUrl));
  for (const w of warnings) say(`${c.yellow('!')} ${w}\n`);

  if (o.interactive && !o.yes && !o.json && !o.dryRun) {
    const { askChoices } = await import('./prompts.js');
    const asked = await askChoices(choices, applicable, { askBranch });
    for (const k of Object.keys(asked) as (keyof InitChoices)[]) {
      if (JSON.stringify(asked[k]) !== JSON.stringify(choices[k])) explicit.add(k);
    }
    choices = asked;
  }
  // What the repository already holds (secrets in its history, SAST findings in its code) is scanned once and
  // recorded as a reviewed baseline, so the first push and the scheduled history scan block only on new findings.
  const existing = await baselineExisting(det, withChoices(loaded.config, choices), o, c);
  if (existing) {
    choices = { ...choices, baseline: BASELINE_FILE };
    explicit.add('baseline');
    if (existing.commits > 0) say(describeExisting(existing, c));
  }
  const config = withChoices(loaded.config, choices);

  const intents: Intent[] = [
    ...pre,
    configIntent(choices, explicit, {
      schema: det.node !== null && config.stages.includes('code') && config.hooks.manager === 'husky',
    }),
    ...(existing ? [baselineIntent(existing)] : keptBaseline(det.root, config.scan.baseline)),
    ...repositoryIntents(det, config, { packageSpec: packageSpecFor(det, o), install: o.install }),
  ];
  if (o.github) {
    const { githubIntent } = await import('./github-step.js');
    intents.push(githubIntent(det, config, o));
  }

  // Planning reads GitHub's live settings when a token is there: show that it is working, on a TTY.
  const planning =
    o.interactive && !o.json && intents.some((i) => i.kind === 'external')
      ? await startSpinner('Reading the current settings')
      : null;
  let planned: PlannedChange[];
  try {
    planned = await planIntents(det.root, intents);
  } finally {
    planning?.stop();
  }
  planned = protectUncommitted(det.root, planned, det.dirty);

  const result = (dryRun: boolean, changes: PlannedChange[], selfTest: InitResult['selfTest'] = null): InitResult => ({
    root: det.root,
    dryRun,
    changes,
    warnings,
    requireSignedCommits: config.protection.requireSignedCommits,
    branch: config.protection.branch ?? det.defaultBranch,
    tool: toolCommand(det),
    selfTest,
  });
  const pending = planned.filter((p) => p.action !== 'unchanged' && p.action !== 'skip');
  say(`\n${c.bold(o.dryRun ? 'Plan (dry run: nothing will be changed)' : 'Plan')}\n`);
  say(formatPlan(planned, { color: o.color, width: o.columns }));
  if (o.dryRun) return result(true, planned);
  if (pending.length === 0) {
    say(`\n${c.green('✓')} Nothing to change: every file, setting and install is already in place.\n`);
    const verified = await verifyHooks(det, config, [], {
      install: o.install,
      env: o.env,
      alsoStage: Object.keys(readWritten(det.root)),
    });
    say(hookLine(verified, c));
    return result(false, planned, verified);
  }
  if (o.interactive && !o.yes && !o.json) {
    const { confirmApply } = await import('./prompts.js');
    if (!(await confirmApply(pending.length))) {
      say('Nothing was changed.\n');
      return result(true, planned);
    }
  }

  const spinner = o.interactive && !o.json ? await startSpinner() : null;
  let done = 0;
  // Ctrl-C mid-apply: say how far it got and that a re-run finishes (files are written atomically, one by one).
  const onInterrupt = () => {
    spinner?.stop();
    o.err(
      `\nInterrupted: ${done} of ${pending.length} changes were applied and are kept. Run the same command again to finish the rest.\n`,
    );
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  let results: PlannedChange[];
  try {
    results = await applyPlan(det.root, planned, {
      onStep: (ch) => {
        done++;
        if (spinner) spinner.text = `${ch.action} ${ch.target}`;
      },
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    spinner?.stop();
    await recordWritten(det.root, planned);
  }
  say(`\n${c.green('✓')} Applied ${pending.length} change${pending.length === 1 ? '' : 's'}.\n`);
  const verified = await verifyHooks(det, config, results, {
    install: o.install,
    env: o.env,
    alsoStage: Object.keys(readWritten(det.root)),
  });
  say(hookLine(verified, c));
  say(nextSteps(det, config, results, c, { cwd: o.cwd, verified }));
  return result(false, results, verified);
}

/** Scans the history and code when there is history and no baseline yet (a re-run finds the baseline and skips). */
async function baselineExisting(
  det: Detection,
  config: Config,
  o: InitOptions,
  c: ReturnType<typeof palette>,
): Promise<ExistingFindings | null> {
  if (!(config.stages.includes('code') || config.stages.includes('build'))) return null;
  if (config.scan.baseline && existsSync(path.join(det.root, config.scan.baseline))) return null;
  if (existsSync(path.join(det.root, BASELINE_FILE))) return null;
  // A new project: nothing is there yet, and what it commits from now on is checked. The (empty) record says so,
  // so a later run does not take its first commits for old history.
  if (!det.head.hasCommits) return { head: null, commits: 0, ms: 0, findings: [], live: [] };
  const spinner =
    o.interactive && !o.json ? await startSpinner('Scanning the history for secrets already in it') : null;
  if (!spinner && !o.json) o.err(c.dim('Scanning the history and the code for findings already in them…\n'));
  try {
    return await scanExisting(det.root, config, (done, total) => {
      if (spinner) spinner.text = `Scanning the history for secrets already in it: ${done} of ${total} commits`;
    });
  } finally {
    spinner?.stop();
  }
}

/**
 * The spec the project's devDependency (and CI's install) use: the flag, else what package.json already has (a re-run
 * without --package-spec must not swap a working tarball path for a registry range), else this version's range.
 */
function packageSpecFor(det: Detection, o: InitOptions): string {
  if (o.packageSpec) return o.packageSpec;
  const recorded = det.node?.devDependencies[TOOL_PACKAGE];
  if (recorded)
    return /^(file:|npm:|git\+|git:|https?:|github:)/.test(recorded) ? recorded : `${TOOL_PACKAGE}@${recorded}`;
  return `${TOOL_PACKAGE}@^${o.version}`;
}

/** The remote's default branch, when this clone knows it (origin/HEAD). */
async function remoteHead(root: string): Promise<string | null> {
  const head = await git(['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD'], {
    cwd: root,
    allowFailure: true,
  });
  return head ? head.replace(/^origin\//, '') : null;
}

/** One line, only what the self-test observed; what remains comes with the command that finishes it. */
function hookLine(v: HookVerification | null, c: ReturnType<typeof palette>): string {
  if (!v) return '';
  if (v.status === 'pass') return `${c.green('✓')} Hooks on: ${v.detail}.\n`;
  if (v.status === 'pending') return `${c.yellow('!')} Hooks not on yet: ${v.detail}.\n  Finish with: ${v.fix}\n`;
  return `${c.red('✗')} Hooks NOT working: ${v.detail}.\n  See why: ${v.fix}\n`;
}

/**
 * A file with uncommitted edits is never written: the user's work in progress wins. Edits this tool made itself in an
 * earlier run (a run whose install then failed) are not the user's: the file is still exactly as that run wrote it.
 */
function protectUncommitted(root: string, planned: PlannedChange[], dirty: string[]): PlannedChange[] {
  if (dirty.length === 0) return planned;
  const set = new Set(dirty);
  const ours = readWritten(root);
  return planned.map((p) =>
    p.intent.kind === 'file' &&
    set.has(p.target) &&
    p.action !== 'unchanged' &&
    p.action !== 'skip' &&
    !stillAsWritten(root, p.target, ours)
      ? { ...p, action: 'skip', note: 'has uncommitted changes: commit or stash them, then re-run', content: undefined }
      : p,
  );
}

async function startSpinner(text = 'Applying') {
  const { default: ora } = await import('ora');
  // stdin stays cooked: Ctrl-C is the terminal's SIGINT to us and to a running install alike, so the handler around
  // apply can say how far it got (ora's stdin discarding would swallow it while an install runs).
  // A terminal that reports 0 columns (a pseudo-terminal nobody sized: `script` without a terminal, `docker run -t`
  // in some CI) makes ora count its lines as width / 0 and clear lines forever: no animation there.
  const sized = (process.stderr.columns ?? 80) > 0;
  return ora({ text, stream: process.stderr, discardStdin: false, ...(sized ? {} : { isEnabled: false }) }).start();
}

function nextSteps(
  det: Detection,
  config: Config,
  results: PlannedChange[],
  c: ReturnType<typeof palette>,
  where: { cwd: string; verified: HookVerification | null },
): string {
  const wrote = results.filter(
    (r) => r.intent.kind === 'file' && (r.action === 'create' || r.action === 'update'),
  ).length;
  const steps: string[] = [];
  const rel = path.relative(where.cwd, det.root);
  if (rel !== '') steps.push(`cd ${/\s/.test(rel) ? JSON.stringify(rel) : rel}`);
  if (where.verified?.status === 'pending' && where.verified.fix)
    steps.push(`Turn the hooks on: ${where.verified.fix}`);
  if (wrote > 0)
    steps.push('Review and commit the generated files: git add -A && git commit -m "Add DevSecOps workflow"');
  if (config.stages.includes('code')) steps.push(teammateInstruction(config.hooks.manager, det));
  const tool = toolCommand(det);
  if (!det.remote?.isGitHub) steps.push(`Once the repository is on GitHub: ${tool} protect`);
  const lines = ['', c.bold('Next steps'), ...steps.map((s, i) => `  ${i + 1}. ${s}`)];
  lines.push(`  Check the setup any time with: ${tool} doctor`);
  return lines.join('\n') + '\n';
}

export function resultJson(r: InitResult, version: string) {
  return {
    version: 1,
    tool: { name: 'create-secure-repo', version },
    root: r.root,
    dryRun: r.dryRun,
    changes: planToJson(r.changes),
    warnings: r.warnings,
    selfTest: r.selfTest,
  };
}
