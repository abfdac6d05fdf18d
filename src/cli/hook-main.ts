import type { CommandContext } from '../core/context.js';
import { CliError, formatError } from '../core/errors.js';
import { elapsedMs, enableTiming, record, sinceStart, timingEnabled, timingReport } from '../core/timing.js';
import { VERSION } from '../core/version.js';

// bin/hook.cjs starts the staged diff before it loads this bundle, and hands it over through this.
export { adoptStagedDiff } from '../scan/sources/staged.js';

// When this module finished loading (bundled: the whole hook path), on the process clock (see elapsedMs).
const loadedAt = elapsedMs();

/**
 * What the git hooks run, without the command table: `pre-commit` or `pre-push <remote> <url>`. `--timing` (or
 * SECURE_REPO_TIMING=1) prints where the time went. scripts/bundle-hook.mjs bundles this module and everything it
 * loads into dist/hook/hook.cjs, which bin/hook.cjs runs for these two commands (the hook runner starts it directly;
 * bin/secure-repo.js goes through it). Never throws.
 */
export async function runHook(args: string[], ctx: CommandContext = hookContext()): Promise<number> {
  const rest = args.filter((a) => a !== '--timing');
  if (rest.length !== args.length) enableTiming();
  if (timingEnabled()) {
    const boot = performance.nodeTiming.bootstrapComplete;
    record('load the hook code', boot, sinceStart(loadedAt) - boot);
  }
  const [hook, ...hookArgs] = rest;
  let code: number;
  try {
    if (hook === 'pre-commit') {
      // The pre-commit framework may pass file names: the staged index is what we scan, whatever they are.
      code = await (await import('../hooks/run/pre-commit.js')).runPreCommit(ctx);
    } else if (hook === 'pre-push') {
      code = await (await import('../hooks/run/pre-push.js')).runPrePush(hookArgs, ctx);
    } else {
      throw new CliError(
        `unknown hook "${hook ?? ''}".`,
        'Hooks: pre-commit, pre-push; or `secure-repo hook install`.',
      );
    }
  } catch (err) {
    ctx.stderr.write(formatError(err));
    code = err instanceof CliError ? err.exitCode : 2;
  }
  if (timingEnabled()) ctx.stderr.write(timingReport());
  return code;
}

/**
 * The process context for a hook. stdin and stdout are opened only if used (pre-push reads stdin; pre-commit never
 * touches either), which spares a commit setting up streams it does not need. Hooks never prompt.
 */
function hookContext(): CommandContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return process.stdout;
    },
    stderr: process.stderr,
    interactive: false,
    version: VERSION,
  };
}
