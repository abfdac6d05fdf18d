import path from 'node:path';
import { isMap, isSeq } from 'yaml';
import { appendAtEnd, appendToCollection, parseStrict, removeMarkedBlocks } from '../../core/yaml-text.js';
import type { Config } from '../../config/types.js';
import type { Detection } from '../../detect/types.js';
import type { Intent } from '../../changes/types.js';
import { generatedFile } from '../../changes/generated.js';
import { CHECKED_HOOKS, runnerCommand, runnerPathFor, runnerSource, type CheckedHook } from '../layout.js';
import { gitHookText, recordToolIntents } from './common.js';
import { onPath } from './on-path.js';
import type { HookPlanOptions } from './types.js';

export const LEFTHOOK_CONFIG = 'lefthook.yml';
const NAME = 'secure-repo';

/** Our command's settings, as YAML lines (lefthook passes git's hook arguments as {1} {2}; pre-push needs stdin). */
function settings(hook: CheckedHook): string[] {
  return hook === 'pre-push'
    ? [`run: ${runnerCommand('lefthook', hook, '{1} {2}')}`, 'use_stdin: true']
    : [`run: ${runnerCommand('lefthook', hook)}`];
}

const indent = (lines: string[], by: string) => lines.map((l) => `${by}${l}`);

/** Adds a `secure-repo` command to each hook in lefthook.yml (a job when that hook uses `jobs:`), as marked text. */
export function mergeLefthookConfig(current: string | null): string {
  let text = current === null ? '' : unmergeLefthookConfig(current);
  for (const hook of CHECKED_HOOKS) {
    const doc = parseStrict(text, 'the lefthook config');
    const section = doc.contents === null ? undefined : doc.get(hook, true);
    if (section === undefined || section === null) {
      text = appendAtEnd(text, [`${hook}:`, '  commands:', `    ${NAME}:`, ...indent(settings(hook), '      ')]);
      continue;
    }
    if (!isMap(section)) throw new Error(`lefthook config: \`${hook}\` is not a mapping`);
    const jobs = section.get('jobs', true);
    const commands = section.get('commands', true);
    const next = isSeq(jobs)
      ? appendToCollection(text, jobs, [`- name: ${NAME}`, ...indent(settings(hook), '  ')])
      : isMap(commands)
        ? appendToCollection(text, commands, [`${NAME}:`, ...indent(settings(hook), '  ')])
        : appendToCollection(text, section, ['commands:', `  ${NAME}:`, ...indent(settings(hook), '    ')]);
    if (next === null) throw new Error(`lefthook config: \`${hook}\` is written in a form this tool does not edit`);
    text = next;
  }
  return text;
}

/** Removes exactly what mergeLefthookConfig added. */
export function unmergeLefthookConfig(current: string): string {
  return removeMarkedBlocks(current);
}

export function planLefthook(det: Detection, _config: Config, opts: HookPlanOptions): Intent[] {
  const file = det.hooks.lefthookConfig ?? LEFTHOOK_CONFIG;
  const intents: Intent[] = [
    {
      kind: 'file',
      path: runnerPathFor('lefthook'),
      reason: 'the hook runner the lefthook commands call',
      mode: 0o755,
      render: generatedFile(runnerSource(), '#'),
    },
  ];
  if (!/\.ya?ml$/.test(file)) {
    intents.push({
      kind: 'file',
      path: file,
      reason: 'lefthook configuration',
      render: () => ({
        skip: `only YAML lefthook configs are edited; add \`run: ${runnerCommand('lefthook', 'pre-commit')}\` to pre-commit and \`run: ${runnerCommand('lefthook', 'pre-push', '{1} {2}')}\` (use_stdin) to pre-push yourself`,
      }),
    });
  } else {
    intents.push({
      kind: 'file',
      path: file,
      reason: 'a secure-repo command in the pre-commit and pre-push hooks',
      render(current) {
        try {
          return { content: mergeLefthookConfig(current) };
        } catch (err) {
          return { skip: `${(err as Error).message}; fix it and re-run` };
        }
      },
    });
  }
  intents.push(...recordToolIntents(opts.toolPath));
  const local = path.join(det.root, det.node?.dir ?? '.', 'node_modules', '.bin', 'lefthook');
  const bin = onPath('lefthook', `${path.dirname(local)}${path.delimiter}${process.env.PATH ?? ''}`);
  // Installed once: a re-run finds lefthook's hooks in place and changes nothing.
  const active = CHECKED_HOOKS.every((h) => /lefthook/.test(gitHookText(det.root, h) ?? ''));
  if (opts.install && bin && !active) {
    intents.push({
      kind: 'command',
      argv: [bin, 'install'],
      cwd: '.',
      reason: 'activates the lefthook hooks in this clone',
      label: 'lefthook install',
    });
  }
  return intents;
}
