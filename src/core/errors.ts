/**
 * One error type for everything the user can act on. `exitCode` follows the contract:
 * 1 = the check worked and found problems, 2 = usage or runtime error. `hint` says what to do next.
 * Anything that is not a CliError is a bug and is reported as one (still exit 2, still no stack trace unless DEBUG).
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}

function isCliError(err: unknown): err is CliError {
  return err instanceof CliError;
}

/** Formats an error as the one paragraph the contract promises on stderr. */
export function formatError(err: unknown, prefix = 'secure-repo'): string {
  if (isCliError(err)) return `${prefix}: ${err.message}${err.hint ? ` ${err.hint}` : ''}\n`;
  const e = err as { message?: string; code?: string; stack?: string };
  const detail = process.env.SECURE_REPO_DEBUG ? `\n${e?.stack ?? String(err)}` : '';
  return (
    `${prefix}: unexpected error: ${e?.message ?? String(err)}. ` +
    'This is a bug; run again with SECURE_REPO_DEBUG=1 for details and report it.' +
    `${detail}\n`
  );
}
