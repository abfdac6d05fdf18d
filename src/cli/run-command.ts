import type { Command, CommandContext } from '../core/context.js';
import { CliError, formatError } from '../core/errors.js';

/** Runs one command with its arguments: `--help`, errors as one paragraph and an exit code. Never throws. */
export async function runCommand(command: Command, args: string[], ctx: CommandContext): Promise<number> {
  try {
    if (args.includes('--help') || args.includes('-h')) {
      ctx.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
      return 0;
    }
    return await command.run(args, ctx);
  } catch (err) {
    return reportError(err, ctx);
  }
}

/** The exit code for an error, after saying what went wrong. */
export function reportError(err: unknown, ctx: CommandContext): number {
  // Ctrl-C at a prompt: nothing has been written yet (prompts come before apply).
  if ((err as Error)?.name === 'ExitPromptError') {
    ctx.stderr.write('\nCancelled; nothing was changed.\n');
    return 130;
  }
  ctx.stderr.write(formatError(err));
  return err instanceof CliError ? err.exitCode : 2;
}

/**
 * A reader that stops early (`secure-repo doctor | head -1`) closes the pipe: that is not an error of ours, so
 * there is nothing more to say (and no stack trace); the exit code stays the command's.
 */
export function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
}
