import { spawnSync } from 'node:child_process';
import { isSeq } from 'yaml';
import { appendAtEnd, appendToCollection, parseStrict, removeMarkedBlocks, replaceLine } from '../../core/yaml-text.js';
import type { Config } from '../../config/types.js';
import type { Detection } from '../../detect/types.js';
import type { Intent } from '../../changes/types.js';
import { generatedFile } from '../../changes/generated.js';
import { CHECKED_HOOKS, GIT_KEYS, runnerCommand, runnerPathFor, runnerSource } from '../layout.js';
import { onPath } from './on-path.js';
import { gitConfig, gitHookText, readLocalGitConfig, recordToolIntents } from './common.js';
import type { HookPlanOptions } from './types.js';

export const PRE_COMMIT_CONFIG = '.pre-commit-config.yaml';
const IDS = ['secure-repo', 'secure-repo-pre-push'] as const;
/** Marks what we added to the user's YAML, so uninstall removes exactly that and nothing of theirs. */
const MARK = 'added by secure-repo';

/**
 * Stage names: pre-commit 3.2 renamed `commit`/`push` to `pre-commit`/`pre-push`. Older versions reject the new
 * names outright, newer ones warn on every run about the old ones, so we write what this repository's pre-commit
 * understands: the names its config already uses, else what its `minimum_pre_commit_version` or the installed
 * pre-commit supports, else the current names.
 */
export type StageNames = 'current' | 'legacy';

export function stageNamesFor(config: string | null, installed: [number, number] | null): StageNames {
  if (config !== null) {
    if (/^\s*(?:default_)?stages:\s*\[[^\]]*\b(?:pre-commit|pre-push)\b/m.test(config)) return 'current';
    if (/^\s*(?:default_)?stages:\s*\[[^\]]*(?<![\w-])(?:commit|push)(?![\w-])/m.test(config)) return 'legacy';
    const min = /^minimum_pre_commit_version:\s*['"]?(\d+)\.(\d+)/m.exec(config);
    if (min) return Number(min[1]) > 3 || (Number(min[1]) === 3 && Number(min[2]) >= 2) ? 'current' : 'legacy';
  }
  if (installed && (installed[0] < 3 || (installed[0] === 3 && installed[1] < 2))) return 'legacy';
  return 'current';
}

/** The installed pre-commit's version (planning only, never on the hook path). */
function installedPreCommit(): [number, number] | null {
  const r = spawnSync('pre-commit', ['--version'], { encoding: 'utf8', timeout: 5000 });
  const m = r.status === 0 ? /(\d+)\.(\d+)/.exec(r.stdout) : null;
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** Our `repo: local` item, as lines at the sequence's item indentation. */
function localRepoLines(names: StageNames): string[] {
  const stageName = (stage: 'pre-commit' | 'pre-push') =>
    names === 'legacy' ? (stage === 'pre-commit' ? 'commit' : 'push') : stage;
  const hook = (id: string, name: string, stage: 'pre-commit' | 'pre-push') => [
    `    - id: ${id}`,
    `      name: "${name}"`,
    `      entry: ${runnerCommand('pre-commit', stage)}`,
    '      language: system',
    '      pass_filenames: false',
    '      always_run: true',
    `      stages: [${stageName(stage)}]`,
  ];
  return [
    '- repo: local',
    '  hooks:',
    ...hook(IDS[0], 'secure-repo: secrets and SAST in the staged changes', 'pre-commit'),
    ...hook(IDS[1], 'secure-repo: secrets in every pushed commit', 'pre-push'),
  ];
}

const FLOW_MARK = `# pre-push ${MARK}`;

/** Adds our `repo: local` entry and makes `pre-commit install` set up pre-push too; nothing of theirs changes. */
export function mergePreCommitConfig(current: string | null, names: StageNames = 'current'): string {
  let text = current === null ? '' : unmergePreCommitConfig(current);
  let doc = parseStrict(text, PRE_COMMIT_CONFIG);
  const repos = doc.contents === null ? undefined : doc.get('repos', true);
  if (isSeq(repos) && repos.flow && repos.items.length === 0 && repos.range) {
    // `repos: []`: that line becomes our block (and comes back on uninstall)
    text = replaceLine(text, repos.range[0], ['repos:', ...localRepoLines(names).map((l) => `  ${l}`)]);
  } else if (repos === undefined || repos === null) {
    text = appendAtEnd(text, ['repos:', ...localRepoLines(names).map((l) => `  ${l}`)]);
  } else {
    const next = appendToCollection(text, repos, localRepoLines(names));
    if (next === null) throw new Error(`${PRE_COMMIT_CONFIG}: \`repos\` is not a list`);
    text = next;
  }

  // `pre-commit install` installs the pre-push hook only when the config asks for it.
  doc = parseStrict(text, PRE_COMMIT_CONFIG);
  const types = doc.get('default_install_hook_types', true);
  if (types === undefined) return appendAtEnd(text, ['default_install_hook_types: [pre-commit, pre-push]']);
  if (!isSeq(types)) return text;
  const values = types.items.map((i) => String((i as { value?: unknown }).value ?? i));
  if (values.includes('pre-push')) return text;
  if (!types.flow) return appendToCollection(text, types, ['- pre-push']) ?? text;
  // A one-line flow list: add the item right after the last one, and mark the line.
  const last = types.items[types.items.length - 1] as { range?: [number, number, number] } | undefined;
  if (!last?.range) return text;
  const spliced = `${text.slice(0, last.range[1])}, pre-push${text.slice(last.range[1])}`;
  const lineEnd = spliced.indexOf('\n', last.range[1]);
  let at = lineEnd === -1 ? spliced.length : lineEnd;
  if (spliced[at - 1] === '\r') at--; // a CRLF file: the mark goes before the CR
  return `${spliced.slice(0, at)} ${FLOW_MARK}${spliced.slice(at)}`;
}

/** Removes exactly what mergePreCommitConfig added. */
export function unmergePreCommitConfig(current: string): string {
  return removeMarkedBlocks(current)
    .split('\n')
    .map((line) => {
      const cr = line.endsWith('\r') ? '\r' : '';
      const body = cr ? line.slice(0, -1) : line;
      return body.endsWith(` ${FLOW_MARK}`)
        ? body.slice(0, -FLOW_MARK.length - 1).replace(', pre-push', '') + cr
        : line;
    })
    .join('\n');
}

export function planPreCommitFramework(det: Detection, _config: Config, opts: HookPlanOptions): Intent[] {
  const file = det.hooks.preCommitConfig ?? PRE_COMMIT_CONFIG;
  const installed = onPath('pre-commit') ? installedPreCommit() : null;
  const intents: Intent[] = [
    {
      kind: 'file',
      path: runnerPathFor('pre-commit'),
      reason: 'the hook runner the pre-commit entries call',
      mode: 0o755,
      render: generatedFile(runnerSource(), '#'),
    },
    {
      kind: 'file',
      path: file,
      reason: 'a `repo: local` entry that runs secure-repo on commit and on push',
      render(current) {
        try {
          return { content: mergePreCommitConfig(current, stageNamesFor(current, installed)) };
        } catch (err) {
          return { skip: `${(err as Error).message}; fix it and re-run` };
        }
      },
    },
    ...recordToolIntents(opts.toolPath),
  ];
  // Installed once: a re-run finds the framework's hooks in place and changes nothing.
  const missing = CHECKED_HOOKS.filter((h) => !frameworkHookInstalled(det.root, h));
  if (opts.install && onPath('pre-commit') && missing.length > 0) {
    // Recorded, so uninstall takes out exactly the framework hooks init put in (and not ones the team had).
    const before = readLocalGitConfig(det.root, GIT_KEYS.frameworkHooks);
    const ours = [...new Set([...(before ? before.split(',') : []), ...missing])].join(',');
    intents.push(
      gitConfig(
        GIT_KEYS.frameworkHooks,
        ours,
        'the pre-commit framework hooks init installed, removed again by uninstall',
      ),
    );
    intents.push({
      kind: 'command',
      argv: ['pre-commit', 'install', ...missing.flatMap((h) => ['-t', h])],
      cwd: '.',
      reason: `activates the framework's ${missing.join(' and ')} hook${missing.length === 1 ? '' : 's'} in this clone`,
      label: 'pre-commit install',
    });
  }
  return intents;
}

/** The framework's own hook script is what git runs for this hook (it writes a marker line into it). */
export function frameworkHookInstalled(root: string, hook: string): boolean {
  return /File generated by pre-commit/.test(gitHookText(root, hook) ?? '');
}
