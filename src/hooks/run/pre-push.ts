import type { CommandContext } from '../../cli/context.js';
import { hookRun, scanStep } from './context.js';
import { checkFailed, prePushBlocked, unsignedBlocked } from './messages.js';
import { parsePushLines, pushedCommits, pushInputFromEnv, unsignedCommits } from './pushed-commits.js';
import { runShell } from './shell.js';

async function readAll(stream: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (stream.isTTY) return ''; // run by hand: git is not feeding refs
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The pre-push hook: secrets (and SAST) in every commit the push adds, so a secret added and later deleted is still
 * caught; then signatures when the policy requires them; then the tests when enabled.
 */
export async function runPrePush(args: string[], ctx: CommandContext): Promise<number> {
  const run = await hookRun(ctx);
  const { config, skips, c } = run;
  if (skips.all) return 0;
  const remote = args[0] ?? ctx.env.PRE_COMMIT_REMOTE_NAME ?? 'origin';
  let input = await readAll(ctx.stdin);
  if (input.trim() === '') input = pushInputFromEnv(ctx.env);
  const lines = parsePushLines(input);
  if (lines.length === 0) return 0; // nothing is being pushed (or only deletions git reported no lines for)

  const secrets = config.hooks.prePush.secrets && !skips.has('secrets');
  const sast = config.hooks.prePush.sast && config.scan.sast.enabled && !skips.has('sast');
  const scan = { source: 'pre-push' as const, prePushInput: input, remote, secrets, sast };
  if ((secrets || sast) && (await scanStep(run, ctx, scan, prePushBlocked))) return 1;

  if (config.hooks.prePush.requireSignedCommits && !skips.has('signing')) {
    const unsigned = await unsignedCommits(run.root, await pushedCommits(run.root, lines, remote));
    if (unsigned.length > 0) {
      run.say(unsignedBlocked(unsigned, c));
      return 1;
    }
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
