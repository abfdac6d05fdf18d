import type { CommandContext } from '../../core/context.js';
import { hookRun, scanStep } from './context.js';
import { checkFailed, preCommitBlocked } from './messages.js';
import { runShell } from './shell.js';

/**
 * The pre-commit hook: secrets and SAST on exactly what is staged (the index), then the project's fast checks.
 * Silent when everything passes. Read-only: it never stashes or rewrites the work tree.
 */
export async function runPreCommit(ctx: CommandContext): Promise<number> {
  const run = await hookRun(ctx);
  const { config, skips, c } = run;
  if (skips.all) return 0;
  const secrets = config.hooks.preCommit.secrets && !skips.has('secrets');
  const sast = config.hooks.preCommit.sast && config.scan.sast.enabled && !skips.has('sast');
  if ((secrets || sast) && (await scanStep(run, ctx, { source: 'staged', secrets, sast }, preCommitBlocked))) return 1;
  if (!skips.has('checks')) {
    for (const command of config.hooks.preCommit.run) {
      const code = await runShell(command, run.root, ctx.env);
      if (code !== 0) {
        run.say(checkFailed('the check', command, code, 'commit', c));
        return 1;
      }
    }
  }
  return 0;
}
