import type { CommandContext } from '../../core/context.js';
import { readInput } from '../../core/stdin.js';
import { hookRun, scanStep } from './context.js';
import type { Palette } from '../../core/style.js';
import type { Finding } from '../../scan/types.js';
import { checkFailed, prePushBlocked, unsignedBlocked, unsignedWarning } from './messages.js';
import {
  parsePushLines,
  rebaseStart,
  preexistingHead,
  protectedBranch,
  pushedCommits,
  pushInputFromEnv,
  unsignedCommits,
} from './pushed-commits.js';
import { runShell } from './shell.js';

/**
 * The pre-push hook: secrets (and SAST) in every commit the push adds, so a secret added and later deleted is still
 * caught; then signatures when the policy requires them; then the tests when enabled.
 */
export async function runPrePush(args: string[], ctx: CommandContext): Promise<number> {
  const run = await hookRun(ctx);
  const { config, skips, c } = run;
  if (skips.all) return 0;
  const remote = args[0] ?? ctx.env.PRE_COMMIT_REMOTE_NAME ?? 'origin';
  let input = await readInput(ctx.stdin);
  if (input.trim() === '') input = await pushInputFromEnv(run.root, ctx.env);
  const lines = parsePushLines(input);
  if (lines.length === 0) return 0; // nothing is being pushed (or only deletions git reported no lines for)

  const secrets = config.hooks.prePush.secrets && !skips.has('secrets');
  const sast = config.hooks.prePush.sast && config.scan.sast.enabled && !skips.has('sast');
  const scan = { source: 'pre-push' as const, prePushInput: input, remote, secrets, sast };
  const blockedAt = async (findings: Finding[], c: Palette) =>
    prePushBlocked(
      findings,
      c,
      await rebaseStart(
        run.root,
        findings.map((f) => f.commit).filter((s): s is string => Boolean(s)),
      ),
    );
  if ((secrets || sast) && (await scanStep(run, ctx, scan, blockedAt))) return 1;

  if (config.hooks.prePush.requireSignedCommits && !skips.has('signing')) {
    // Block exactly where GitHub would refuse: pushes to the protected branch. Elsewhere, warn: unsigned commits on a
    // feature branch can still land through a squash merge (which GitHub signs), so blocking them only breeds --no-verify.
    const branch = await protectedBranch(run.root, remote, config.protection.branch);
    const toProtected = lines.filter((l) => l.remoteRef === `refs/heads/${branch}`);
    const others = lines.filter((l) => l.remoteRef !== `refs/heads/${branch}` && l.remoteRef.startsWith('refs/heads/'));
    const before = preexistingHead(run.root, config.scan.baseline);
    const blocked = await unsignedCommits(run.root, await pushedCommits(run.root, toProtected, remote, before));
    if (blocked.length > 0) {
      run.say(
        unsignedBlocked(
          blocked,
          branch,
          c,
          await rebaseStart(
            run.root,
            blocked.map((b) => b.sha),
          ),
        ),
      );
      return 1;
    }
    const unsigned = await unsignedCommits(run.root, await pushedCommits(run.root, others, remote, before));
    if (unsigned.length > 0) run.say(unsignedWarning(unsigned.length, branch, c));
  }

  const test = config.hooks.prePush.testCommand;
  if (config.hooks.prePush.tests && test && !skips.has('tests')) {
    const code = await runShell(test, run.root, ctx.env);
    if (code !== 0) {
      run.say(checkFailed('the tests', test, code, 'push', c));
      return 1;
    }
  }
  return 0;
}
