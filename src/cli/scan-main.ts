import { command } from './commands/scan.js';
import { defaultContext } from './process-context.js';
import { ignoreClosedPipes, runCommand } from './run-command.js';

export { adoptHistoryLog } from '../scan/sources/history-log.js';

/**
 * `secure-repo scan` without the command table. scripts/bundle-hook.mjs bundles this module and everything it loads
 * into dist/hook/scan.js, which bin/secure-repo.js runs for `scan`: resolving some sixty modules one by one costs a
 * scan more than reading them as one file. Never throws.
 */
export async function runScanCommand(args: string[]): Promise<void> {
  ignoreClosedPipes();
  process.exitCode = await runCommand(command, args, defaultContext());
}
