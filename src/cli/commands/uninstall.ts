import { CliError } from '../../core/errors.js';
import { parseFlags } from '../args.js';
import type { Command } from '../../core/context.js';

const help = `Usage: secure-repo uninstall [--dry-run] [--json]

Removes what init and \`hook install\` added, and restores what they replaced: the generated workflow files that
are still exactly as generated, the hook files and runner, the entries in .pre-commit-config.yaml / lefthook.yml,
the devDependencies and prepare step in package.json, core.hooksPath (back to the value it had, or unset) and the
secure-repo.* git config of this clone. Hooks you had before keep running exactly as before. Files you edited
after they were generated are kept and reported, and so is .secure-repo.yml (your choices; delete it yourself if
you no longer want it).

Flags:
      --dry-run   show what would be removed, change nothing
      --json      print the changes as JSON on stdout
`;

export const command: Command = {
  summary: 'remove what init added and restore what it replaced',
  help,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('uninstall', args, {
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0)
      throw new CliError(
        `uninstall takes no arguments (got ${positionals.join(' ')}).`,
        'Run it inside the repository.',
      );
    const { uninstallHooks } = await import('../../init/setup.js');
    const { formatPlan, planToJson } = await import('../../changes/format.js');
    const { colorEnabled } = await import('../../core/style.js');
    const dryRun = Boolean(values['dry-run']);
    const outcome = await uninstallHooks({ cwd: ctx.cwd, dryRun });
    if (values.json) {
      ctx.stdout.write(
        `${JSON.stringify({ version: 1, root: outcome.root, dryRun, changes: planToJson(outcome.changes), notes: outcome.notes }, null, 2)}\n`,
      );
      return 0;
    }
    ctx.stderr.write(formatPlan(outcome.changes, { color: colorEnabled(ctx.stderr) }));
    for (const note of outcome.notes) ctx.stderr.write(`note: ${note}\n`);
    if (!dryRun)
      ctx.stderr.write(
        "\nsecure-repo hooks removed. If package.json changed, run your package manager's install to prune node_modules.\n",
      );
    return 0;
  },
};
