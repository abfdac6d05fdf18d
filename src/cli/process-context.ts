import type { CommandContext } from '../core/context.js';
import { VERSION } from '../core/version.js';

/** The real process's streams, environment and folder (tests build their own context instead). */
export function defaultContext(): CommandContext {
  const env = process.env;
  return {
    cwd: process.cwd(),
    env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) && !env.CI,
    version: VERSION,
  };
}
