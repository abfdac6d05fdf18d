import path from 'node:path';
import { promises as fsp } from 'node:fs';
import type { Check } from '../core/check.js';
import { CliError } from '../core/errors.js';
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

export interface InitOptions {
  dir: string;
  yes: boolean;
  dryRun: boolean;
  json: boolean;
  interactive: boolean;
  color: boolean;
  stages?: Stage[];
  hooks?: HookManager;
  packageSpec: string;
  install: boolean;
  github: boolean;
  repo?: string;
  apiUrl?: string;
  branch?: string;
  env: NodeJS.ProcessEnv;
  version: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface InitResult {
  root: string;
  dryRun: boolean;
  changes: PlannedChange[];
  warnings: string[];
  /** Whether the policy wants signed commits (the command offers `secure-repo signing` then). */
  requireSignedCommits: boolean;
  /** The hooks' self-test after apply: a fake token staged in a scratch index must be blocked. */
  selfTest: Check | null;
}

/** The nearest folder that exists, so `git init` of a new nested project has somewhere to run. */
async function existingAncestor(p: string): Promise<string> {
  let cur = p;
  while (!(await fsp.stat(cur).then((s) => s.isDirectory(), () => false))) {
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
      if (!(await confirmGitInit(o.dir))) throw new CliError('nothing was changed: the folder is not a git repository.', 'Run `git init` and re-run.');
    }
    const anchor = await existingAncestor(root);
    pre.push({
      kind: 'command',
      argv: ['git', 'init', '--quiet', root],
      cwd: path.relative(root, anchor) || '.',
      label: exists ? 'git init' : `git init ${path.basename(root)} (new folder)`,
      reason: exists ? 'the folder is not a git repository yet' : 'new project: create the folder and its repository',
    });
  }

  const det: Detection = await detect(root, { allowNoGit: true });
  if (det.head.detached) warnings.push('HEAD is detached: hooks and files are set up, but check out a branch before you commit them.');
  if (inGit && !det.head.hasCommits) warnings.push('the repository has no commits yet; that is fine, commit the generated files as your first commit.');
  if (det.dirty.length > 0) warnings.push(`${det.dirty.length} file${det.dirty.length === 1 ? ' has' : 's have'} uncommitted changes; init will not touch ${det.dirty.length === 1 ? 'it' : 'them'}.`);
  if (!det.remote) warnings.push('no `origin` remote: GitHub protection is skipped (run `secure-repo protect --repo OWNER/NAME` once the repository is on GitHub).');
  else if (!det.remote.isGitHub) warnings.push(`origin (${det.remote.host}) is not GitHub: the GitHub steps are skipped; hooks and files work anywhere.`);

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
  say(describeDetection(det, c, o.version));
  for (const w of warnings) say(`${c.yellow('!')} ${w}\n`);

  if (o.interactive && !o.yes && !o.json && !o.dryRun) {
    const { askChoices } = await import('./prompts.js');
    const asked = await askChoices(choices, applicable);
    for (const k of Object.keys(asked) as (keyof InitChoices)[]) {
      if (JSON.stringify(asked[k]) !== JSON.stringify(choices[k])) explicit.add(k);
    }
    choices = asked;
  }
  const config = withChoices(loaded.config, choices);

  const intents: Intent[] = [
    ...pre,
    configIntent(choices, explicit),
    ...repositoryIntents(det, config, { packageSpec: o.packageSpec, install: o.install }),
  ];
  if (o.github) {
    const { githubIntent } = await import('./github-step.js');
    intents.push(githubIntent(det, config, o));
  }

  // Planning reads GitHub's live settings when a token is there: show that it is working, on a TTY.
  const planning = o.interactive && !o.json && intents.some((i) => i.kind === 'external') ? await startSpinner('Reading the current settings') : null;
  let planned: PlannedChange[];
  try {
    planned = await planIntents(det.root, intents);
  } finally {
    planning?.stop();
  }
  planned = protectUncommitted(planned, det.dirty);

  const result = (dryRun: boolean, changes: PlannedChange[], selfTest: InitResult['selfTest'] = null): InitResult => ({
    root: det.root,
    dryRun,
    changes,
    warnings,
    requireSignedCommits: config.protection.requireSignedCommits,
    selfTest,
  });
  const pending = planned.filter((p) => p.action !== 'unchanged' && p.action !== 'skip');
  say(`\n${c.bold(o.dryRun ? 'Plan (dry run: nothing will be changed)' : 'Plan')}\n`);
  say(formatPlan(planned, { color: o.color }));
  if (o.dryRun || pending.length === 0) {
    if (pending.length === 0) say(`\n${c.green('✓')} Nothing to change: the repository is already set up.\n`);
    return result(o.dryRun, planned);
  }
  if (o.interactive && !o.yes && !o.json) {
    const { confirmApply } = await import('./prompts.js');
    if (!(await confirmApply(pending.length))) {
      say('Nothing was changed.\n');
      return result(true, planned);
    }
  }

  const spinner = o.interactive && !o.json ? await startSpinner() : null;
  let results: PlannedChange[];
  try {
    results = await applyPlan(det.root, planned, {
      onStep: (ch) => {
        if (spinner) spinner.text = `${ch.action} ${ch.target}`;
      },
    });
  } finally {
    spinner?.stop();
  }
  say(`\n${c.green('✓')} Applied ${pending.length} change${pending.length === 1 ? '' : 's'}.\n`);
  const selfTest = await hookSelfTest(det, config, o);
  if (selfTest) {
    const mark = selfTest.status === 'pass' ? c.green('✓') : c.red('✗');
    say(`${mark} Hook self-test: ${selfTest.message}${selfTest.fix ? `\n  ${selfTest.fix}` : ''}\n`);
  }
  say(nextSteps(det, config, results, c));
  return result(false, results, selfTest);
}

/**
 * Proves the installed hooks work: a fake token staged in a scratch index must be blocked. Husky hooks need their
 * package install first, so with --no-install there is nothing to test yet.
 */
async function hookSelfTest(det: Detection, config: Config, o: InitOptions): Promise<InitResult['selfTest']> {
  if (!config.stages.includes('code')) return null;
  if (config.hooks.manager === 'husky' && det.node && !o.install) return null;
  const { runDoctor } = await import('../hooks/doctor.js');
  const report = await runDoctor(det.root, o.env);
  return report.checks.find((ch) => ch.id === 'hook-self-test') ?? report.checks.find((ch) => ch.status === 'fail') ?? null;
}

/** A file with uncommitted edits is never written: the user's work in progress wins. */
function protectUncommitted(planned: PlannedChange[], dirty: string[]): PlannedChange[] {
  if (dirty.length === 0) return planned;
  const set = new Set(dirty);
  return planned.map((p) =>
    p.intent.kind === 'file' && set.has(p.target) && p.action !== 'unchanged' && p.action !== 'skip'
      ? { ...p, action: 'skip', note: 'has uncommitted changes: commit or stash them, then re-run', content: undefined }
      : p,
  );
}

async function startSpinner(text = 'Applying') {
  const { default: ora } = await import('ora');
  return ora({ text, stream: process.stderr }).start();
}

function nextSteps(det: Detection, config: Config, results: PlannedChange[], c: ReturnType<typeof palette>): string {
  const wrote = results.filter((r) => r.intent.kind === 'file' && (r.action === 'create' || r.action === 'update')).length;
  const lines = ['', c.bold('Next steps')];
  if (wrote > 0) lines.push(`  1. Review and commit the generated files: git add -A && git commit -m "Add DevSecOps workflow"`);
  if (config.stages.includes('code')) lines.push(`  2. ${teammateInstruction(config.hooks.manager)}`);
  if (!det.remote?.isGitHub) lines.push('  3. Once the repository is on GitHub: secure-repo protect');
  lines.push('  Check the setup any time with: secure-repo doctor');
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
