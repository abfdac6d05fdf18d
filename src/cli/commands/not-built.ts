import { CliError } from '../../core/errors.js';
import type { Command } from '../context.js';

/** A command whose capability is not built yet says so plainly and exits 2, as the contract requires. */
export function notBuilt(name: string, summary: string, help: string): Command {
  return {
    summary,
    help,
    async run() {
      throw new CliError(`\`secure-repo ${name}\` is not available in this version yet.`, 'Upgrade create-secure-repo to a newer version.');
    },
  };
}
