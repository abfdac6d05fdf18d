import path from 'node:path';
import { parseFlags } from '../args.js';
import type { Command, CommandContext } from '../../core/context.js';
import { CliError } from '../../core/errors.js';
import { atomicWrite } from '../../core/fs.js';
import { workTreeRoot } from '../../core/git.js';
import { palette, colorEnabled } from '../../core/style.js';
import { loadPins, REPO_PINS_FILE } from '../../templates/pins.js';
import { resolvePins, type PinResult } from '../../templates/pins-update.js';

const HELP = `Usage: secure-repo pins [--update] [--latest] [--api-url URL] [--output FILE] [--json]

Shows the GitHub Actions the generated workflows may use, each pinned to a full commit SHA with its release tag.
The repository's own ${REPO_PINS_FILE} is used when present, else the copy shipped with this package.

  --update        re-resolve every tag to its commit through the GitHub API (annotated tags are peeled) and write
                  the result to --output
  --latest        with --update: move each action to its repository's latest release
  --api-url URL   API base (default: $GITHUB_API_URL, else https://api.github.com; GHES: https://HOST/api/v3)
  --output FILE   where --update writes (default: <repository root>/${REPO_PINS_FILE})
  --json          print {"version":1,"source":...,"pins":[...]} instead of a table

Token: $GITHUB_TOKEN, else $GH_TOKEN (optional for public actions; raises the rate limit). It is never printed.
Re-run \`secure-repo init\` afterwards to regenerate the workflows with the new pins.
Exit codes: 0 ok, 1 some tags could not be resolved (the others were still written), 2 usage or API error.
`;

function table(rows: { uses: string; tag: string; sha: string; status?: string }[]): string {
  const w = Math.max(...rows.map((r) => r.uses.length), 4);
  const t = Math.max(...rows.map((r) => r.tag.length), 3);
  return (
    rows.map((r) => `${r.uses.padEnd(w)}  ${r.tag.padEnd(t)}  ${r.sha}${r.status ? `  ${r.status}` : ''}`).join('\n') +
    '\n'
  );
}

export const command: Command = {
  summary: 'show or refresh the pinned GitHub Action SHAs (`pins --update`)',
  help: HELP,
  async run(args: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseFlags('pins', args, {
      update: { type: 'boolean' },
      latest: { type: 'boolean' },
      'api-url': { type: 'string' },
      output: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0)
      throw new CliError(`unexpected argument "${positionals[0]}".`, 'Run `secure-repo pins --help`.');
    if (values.latest && !values.update)
      throw new CliError('--latest only makes sense with --update.', 'Run `secure-repo pins --update --latest`.');
    const root = await workTreeRoot(ctx.cwd);
    const pins = loadPins(root ?? undefined);

    if (!values.update) {
      const entries = pins.entries();
      if (values.json)
        ctx.stdout.write(`${JSON.stringify({ version: 1, source: pins.source, pins: entries }, null, 2)}\n`);
      else
        ctx.stdout.write(
          `Pins from ${pins.source}\n${table(entries.map((e) => ({ uses: e.uses, tag: e.tag, sha: e.sha })))}`,
        );
      return 0;
    }

    const output = values.output ? path.resolve(ctx.cwd, values.output) : root ? path.join(root, REPO_PINS_FILE) : null;
    if (!output)
      throw new CliError(
        'not inside a git repository, so there is no default place to write the pins.',
        'Run it in the repository, or pass --output FILE.',
      );
    const apiUrl = values['api-url'] ?? ctx.env.GITHUB_API_URL ?? 'https://api.github.com';
    const token = ctx.env.GITHUB_TOKEN || ctx.env.GH_TOKEN || null;
    const { file, results } = await resolvePins(pins.file, { apiUrl, token, latest: values.latest === true });
    await atomicWrite(output, `${JSON.stringify(file, null, 1)}\n`);
    const failed = results.filter((r) => r.status === 'failed');
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify({ version: 1, source: pins.source, output, pins: results }, null, 2)}\n`);
    } else {
      const p = palette(colorEnabled(ctx.stdout));
      const paint = (r: PinResult) =>
        r.status === 'updated'
          ? p.yellow(r.status)
          : r.status === 'failed'
            ? p.red(`failed: ${r.note}`)
            : p.dim(r.status);
      ctx.stdout.write(
        table(results.map((r) => ({ uses: r.uses, tag: r.tag ?? '-', sha: r.sha ?? '-', status: paint(r) }))),
      );
      const updated = results.filter((r) => r.status === 'updated').length;
      ctx.stdout.write(
        `${updated} updated, ${results.filter((r) => r.status === 'unchanged').length} unchanged, ${failed.length} failed. Wrote ${output}\n`,
      );
    }
    return failed.length > 0 ? 1 : 0;
  },
};
