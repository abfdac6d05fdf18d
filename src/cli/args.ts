import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from '../core/errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict flag parsing shared by every command: unknown flags and missing values become a usage error (exit 2)
 * that points at the command's --help, never a stack trace.
 */
export function parseFlags<O extends OptionSpec>(command: string, args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    const msg = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new CliError(`${msg}.`, `Run \`secure-repo ${command} --help\` to see the flags it takes.`);
  }
}

/** Reads a flag restricted to a fixed set of values. */
export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}").`);
}
