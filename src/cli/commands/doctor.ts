import { CliError } from '../../core/errors.js';
import { parseFlags } from '../args.js';
import type { Command } from '../../core/context.js';

const help = `Usage: secure-repo doctor [--json]

Checks that the secure-repo hooks are installed, active and runnable in this clone: the configuration is valid,
the hook files call the runner, git runs them (core.hooksPath / husky / pre-commit / lefthook), the runner finds
node and the tool exactly as a hook would (also from GUI clients without PATH), and a self-test: a real
\`git commit\` of a fake GitHub token, in a scratch git dir that shares this repository's config and hooks (no
commit, ref, reflog entry, object or index change is left behind), must be refused by the pre-commit hook.

Exit codes: 0 everything works, 1 a problem was found (each comes with the command that fixes it), 2 not a repository.
`;

export const command: Command = {
  summary: 'check that hooks and the tool are installed, active and runnable here',
  help,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('doctor', args, { json: { type: 'boolean' } });
    if (positionals.length > 0)
      throw new CliError(`doctor takes no arguments (got ${positionals.join(' ')}).`, 'Run it inside the repository.');
    const { runDoctor } = await import('../../hooks/doctor.js');
    const { colorEnabled, palette } = await import('../../core/style.js');
    const report = await runDoctor(ctx.cwd, ctx.env);
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify({ version: 1, ...report }, null, 2)}\n`);
      return report.ok ? 0 : 1;
    }
    const c = palette(colorEnabled(ctx.stdout));
    const mark = {
      pass: c.green('✓'),
      fail: c.red('✗'),
      warn: c.yellow('!'),
      info: c.dim('·'),
      'not-checked': c.dim('?'),
    };
    const lines = [`secure-repo doctor: ${report.root}${report.manager ? ` (hooks: ${report.manager})` : ''}`];
    for (const check of report.checks) {
      lines.push(`  ${mark[check.status]} ${check.id.replace(/^hook-/, '').padEnd(10)} ${check.message}`);
      if (check.fix && check.status === 'fail') lines.push(`    ${' '.repeat(10)} fix: ${check.fix}`);
    }
    lines.push(report.ok ? c.green('Everything works.') : c.red('Problems found: see the fixes above.'));
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return report.ok ? 0 : 1;
  },
};
