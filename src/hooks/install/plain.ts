import path from 'node:path';
import type { Config } from '../../config/types.js';
import type { Detection } from '../../detect/types.js';
import type { FileIntent, Intent } from '../../changes/types.js';
import { generatedFile } from '../../changes/generated.js';
import { CHECKED_HOOKS, RUNNER_FILE, runnerSource } from '../layout.js';
import { gitattributesIntent, gitConfig, recordToolIntents, takeOver } from './common.js';
import { insertHookLine, stubBody } from './hook-file.js';
import type { HookPlanOptions } from './types.js';

const PLAIN_DIR = '.githooks';

/**
 * The committed folder for plain git hooks. If the repository already points core.hooksPath at a folder inside
 * the work tree, we add to that folder rather than replacing it.
 */
export function plainHooksDir(det: Detection): string {
  const current = det.hooks.coreHooksPath;
  if (current && det.hooks.coreHooksPathScope === 'local') {
    const abs = path.resolve(det.root, current);
    const rel = path.relative(det.root, abs);
    const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    const underGitDir = rel.split(path.sep)[0] === '.git';
    const husky = rel.split(path.sep)[0] === '.husky';
    if (inside && !underGitDir && !husky) return rel.split(path.sep).join('/');
  }
  return PLAIN_DIR;
}

export function planPlain(det: Detection, _config: Config, opts: HookPlanOptions): Intent[] {
  const dir = plainHooksDir(det);
  const ours = path.join(det.root, dir);
  const { intents: takeoverIntents, extraHooks } = takeOver(det, ours);
  const intents: Intent[] = [
    {
      kind: 'file',
      path: `${dir}/${RUNNER_FILE}`,
      reason: 'the hook runner: finds the tool without PATH, fails closed, chains older hooks',
      mode: 0o755,
      render: generatedFile(runnerSource(), '#'),
    },
  ];
  for (const hook of CHECKED_HOOKS)
    intents.push(plainHookIntent(dir, hook, `runs secure-repo ${hook} checks, then the ${hook} hook you had`));
  for (const hook of extraHooks)
    intents.push(
      plainHookIntent(dir, hook, `keeps your existing ${hook} hook running (core.hooksPath would silence it)`),
    );
  intents.push(gitattributesIntent(dir));
  intents.push(gitConfig('core.hooksPath', dir, `git runs the committed hooks in ${dir}/`));
  intents.push(...takeoverIntents, ...recordToolIntents(opts.toolPath));
  return intents;
}

function plainHookIntent(dir: string, hook: string, reason: string): FileIntent {
  const fresh = generatedFile(stubBody(hook, true), '#');
  return {
    kind: 'file',
    path: `${dir}/${hook}`,
    reason,
    mode: 0o755,
    render(current) {
      if (current === null) return fresh(null);
      const own = fresh(current);
      if ('content' in own) return own;
      return { content: insertHookLine(current, hook) };
    },
  };
}
