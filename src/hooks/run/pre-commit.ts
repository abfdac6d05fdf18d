import type { CommandContext } from '../../cli/context.js';
import { hookRun, scanner } from './context.js';
import { checkFailed, preCommitBlocked, warningsOnly } from './messages.js';
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
  if (secrets || sast) {
    const s = await scanner();
    const result = await s.runScan({ root: run.root, cwd: ctx.cwd, source: 'staged', secrets, sast, config });
    if (result.findings.length > 0) {
      const block = s.blocking(result, config);
      run.say(s.formatText(result, { color: run.color, cwd: ctx.cwd, root: run.root }));
      if (block.length > 0) {
        run.say(preCommitBlocked(block, c));
        return 1;
      }
      run.say(warningsOnly(result.findings, c));
    }
  }
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
