import { CliError } from '../../core/errors.js';
import { parseFlags } from '../args.js';
import type { Command } from '../../core/context.js';

const help = `Usage: secure-repo signing [--yes] [--key PATH] [--local] [--dry-run]

Sets up SSH commit signing for you: picks your SSH key (~/.ssh/id_ed25519.pub first) or creates one, then sets
gpg.format=ssh, user.signingkey, commit.gpgsign=true, tag.gpgsign=true and an allowed-signers file so
\`git log --show-signature\` can verify your commits. It shows every change and asks before making it.

Flags:
  -y, --yes        apply without asking (needed when there is no terminal to ask on)
      --key PATH   sign with this key (public or private key path)
      --local      configure only this repository (default: your global git config)
      --dry-run    show the changes, make none
`;

export const command: Command = {
  summary: 'set up SSH commit signing for the current user',
  help,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('signing', args, {
      yes: { type: 'boolean', short: 'y' },
      key: { type: 'string' },
      local: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    });
    if (positionals.length > 0)
      throw new CliError(
        `signing takes no arguments (got ${positionals.join(' ')}).`,
        'Run `secure-repo signing --help`.',
      );
    const { planSigning, applySigning, isNoop } = await import('../../hooks/signing/ssh.js');
    const req = {
      cwd: ctx.cwd,
      env: ctx.env,
      scope: values.local ? ('local' as const) : ('global' as const),
      key: values.key,
    };
    const plan = await planSigning(req);
    const out = (s: string) => ctx.stderr.write(s);
    const githubHint = `Add the key to GitHub as a signing key: \`gh ssh-key add ${plan.publicKey} --type signing\` (or Settings → SSH and GPG keys → New SSH key → Key type: Signing Key).\n`;
    if (isNoop(plan)) {
      out(`SSH commit signing is already set up (${plan.scope}): ${plan.publicKey}.\n${githubHint}`);
      return 0;
    }
    const lines = [`SSH commit signing for ${plan.email} (${plan.scope} git config):`];
    if (plan.generate)
      lines.push(`  create key      ${plan.publicKey.replace(/\.pub$/, '')} (ed25519, via ssh-keygen)`);
    else lines.push(`  use key         ${plan.publicKey}`);
    if (plan.allowedSignersLine) lines.push(`  add line to     ${plan.allowedSigners}`);
    for (const c of plan.changes)
      lines.push(`  git config      ${c.key} = ${c.value}${c.current !== null ? `  (was ${c.current})` : ''}`);
    out(`${lines.join('\n')}\n`);
    if (values['dry-run']) {
      out('Dry run: nothing was changed.\n');
      return 0;
    }
    if (!values.yes) {
      if (!ctx.interactive)
        throw new CliError(
          'nothing was changed: signing changes your git config, so it asks first, and there is no terminal to ask on.',
          'Re-run with --yes to apply the changes listed above.',
        );
      const { confirm } = await import('@inquirer/prompts');
      if (!(await confirm({ message: 'Make these changes?', default: true }))) {
        out('Nothing was changed.\n');
        return 0;
      }
    }
    let passphrase: string | undefined;
    if (plan.generate && ctx.interactive && !values.yes) {
      const { password } = await import('@inquirer/prompts');
      passphrase = await password({ message: 'Passphrase for the new key (empty for none):', mask: '*' });
    }
    await applySigning(plan, req, { passphrase });
    out(`Done: new commits and tags are signed.\n${githubHint}`);
    return 0;
  },
};
