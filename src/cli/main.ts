import { CliError } from '../core/errors.js';
import type { Command, CommandContext } from '../core/context.js';
import { VERSION } from '../core/version.js';
import { defaultContext } from './process-context.js';
import { ignoreClosedPipes, reportError, runCommand } from './run-command.js';

export { defaultContext } from './process-context.js';

/** The command table. Each entry loads its module only when run, so `hook` never pays for prompts or octokit. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  init: {
    summary: 'set up (or retrofit) a repository: hooks, workflows, policy, protection',
    load: () => import('./commands/init.js'),
  },
  scan: {
    summary: 'scan files, the staged index, a push or history for secrets and SAST findings',
    load: () => import('./commands/scan.js'),
  },
  hook: {
    summary: 'what the installed git hooks run (pre-commit, pre-push), and `hook install`',
    load: () => import('./commands/hook.js'),
  },
  protect: {
    summary: 'apply branch protection and repository security settings through the GitHub API',
    load: () => import('./commands/protect.js'),
  },
  audit: {
    summary: 'check files and live GitHub settings against the policy (drift)',
    load: () => import('./commands/audit.js'),
  },
  doctor: {
    summary: 'check that hooks and the tool are installed, active and runnable here',
    load: () => import('./commands/doctor.js'),
  },
  uninstall: {
    summary: 'remove what init added and restore what it replaced',
    load: () => import('./commands/uninstall.js'),
  },
  signing: { summary: 'set up SSH commit signing for the current user', load: () => import('./commands/signing.js') },
  pins: {
    summary: 'show or refresh the pinned GitHub Action SHAs (`pins --update`)',
    load: () => import('./commands/pins.js'),
  },
};

function topHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `create-secure-repo / secure-repo ${VERSION}
Put a DevSecOps workflow into a repository: secret and SAST hooks, CI/CD security workflows, branch protection.

Usage:
  npx create-secure-repo [DIR]          set up DIR (default: the current folder)
  secure-repo <command> [flags]

Commands:
${lines.join('\n')}

Run \`secure-repo <command> --help\` for a command's flags.
Exit codes: 0 ok, 1 findings or drift, 2 usage or runtime error.
`;
}

/** Runs the CLI and returns its exit code. Never throws. */
export async function run(argv: string[], ctx: CommandContext = defaultContext()): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === '--version' || first === '-v' || first === '-V') {
      ctx.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const sub = rest[0];
      if (first === 'help' && sub && COMMANDS[sub]) return run([sub, '--help'], ctx);
      ctx.stdout.write(topHelp());
      return 0;
    }
    // No command (or a path / flag first) means init, as `npx create-secure-repo [DIR]` expects.
    const known = first !== undefined && Object.hasOwn(COMMANDS, first);
    const name = known ? first : 'init';
    const args = known ? rest : argv;
    if (!known && first !== undefined && !first.startsWith('-') && /^[a-z]+$/.test(first) && looksLikeTypo(first)) {
      throw new CliError(
        `unknown command "${first}".`,
        `Commands: ${Object.keys(COMMANDS).join(', ')}. To set up a folder named "${first}", run \`create-secure-repo init ${first}\`.`,
      );
    }
    const { command } = await COMMANDS[name]!.load();
    return await runCommand(command, args, ctx);
  } catch (err) {
    return reportError(err, ctx);
  }
}

/** A bare word one edit away from a command is almost certainly a mistyped command, not a new folder name. */
function looksLikeTypo(word: string): boolean {
  const limit = word.length >= 4 ? 2 : 1;
  return Object.keys(COMMANDS).some((c) => c !== word && editDistance(c, word) <= limit);
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = Math.min(
        dp[i - 1]![j]! + 1,
        dp[i]![j - 1]! + 1,
        dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return dp[a.length]![b.length]!;
}

/** Process entry used by bin/secure-repo.js. */
export async function main(argv: string[]): Promise<void> {
  ignoreClosedPipes();
  const code = await run(argv);
  process.exitCode = code;
}
