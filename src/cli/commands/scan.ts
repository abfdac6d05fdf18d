import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { CliError } from '../../core/errors.js';
import { atomicWrite } from '../../core/fs.js';
import { repoDirs } from '../../core/git.js';
import { readInput } from '../../core/stdin.js';
import { colorEnabled } from '../../core/style.js';
import { blocking, formatText } from '../../scan/report/text.js';
import type { ScanOptions } from '../../scan/run.js';
import { oneOf, parseFlags } from '../args.js';
import type { Command, CommandContext } from '../../core/context.js';

const HELP = `Usage: secure-repo scan [PATH...] [flags]

Scans for secrets (and SAST findings) in files, the staged index, a push, a range or the whole history.

Sources (default: the files under each PATH, default "."):
  --staged               exactly what \`git commit\` would record (added lines of the index)
  --pre-push             git's pre-push lines on stdin: every commit the push adds to the remote
  --remote NAME          the remote being pushed to (with --pre-push)
  --range A..B           the commits in that range
  --history              every commit reachable from any ref (secrets only)

Engines:
  --secrets-only         only the secret scanner
  --sast-only            only SAST

Output:
  --format text|json|sarif   (default text)
  --output FILE          write the report to FILE instead of stdout
  --quiet                text: print nothing when there are no findings
  --no-color             no colours in text output

Baseline:
  --baseline FILE        ignore findings recorded in FILE
  --write-baseline FILE  record the current findings in FILE (exit 0)

Suppress a false positive with \`secure-repo:allow\` in a comment on its line, scan.allowValues or
scan.allowPaths in .secure-repo.yml, or a baseline.
Exit codes: 0 nothing at or above scan.failOn, 1 findings at or above it, 2 usage or runtime error.
`;

/**
 * The repository root, or the current directory outside a git work tree. Run from the top of the work tree, the
 * answer is on disk and costs no git call (see repoDirs).
 */
async function findRoot(cwd: string): Promise<{ root: string; inGit: boolean }> {
  const top = (await repoDirs(cwd))?.root;
  return top ? { root: path.resolve(top), inGit: true } : { root: cwd, inGit: false };
}

function progressBar(stream: CommandContext['stderr']) {
  let last = 0;
  return (done: number, total: number): void => {
    const now = Date.now();
    if (now - last < 100 && done !== total) return;
    last = now;
    const width = 30;
    const filled = total > 0 ? Math.round((done / total) * width) : 0;
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} commits`);
    if (done === total) stream.write('\n');
  };
}

export const command: Command = {
  summary: 'scan files, the staged index, a push or history for secrets and SAST findings',
  help: HELP,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('scan', args, {
      staged: { type: 'boolean' },
      'pre-push': { type: 'boolean' },
      remote: { type: 'string' },
      range: { type: 'string' },
      history: { type: 'boolean' },
      'secrets-only': { type: 'boolean' },
      'sast-only': { type: 'boolean' },
      format: { type: 'string' },
      output: { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      'no-color': { type: 'boolean' },
    });
    const format = oneOf('format', values.format, ['text', 'json', 'sarif'] as const, 'text');
    const sources = [
      values.staged && 'staged',
      values['pre-push'] && 'pre-push',
      values.range !== undefined && 'range',
      values.history && 'history',
    ].filter(Boolean) as ScanOptions['source'][];
    if (sources.length > 1)
      throw new CliError(
        `choose one source: --${sources.join(', --')} cannot be combined.`,
        'Run `secure-repo scan --help`.',
      );
    const source = sources[0] ?? 'files';
    if (source !== 'files' && positionals.length > 0)
      throw new CliError(`PATH arguments only apply to a files scan, not --${source}.`);
    if (values['secrets-only'] && values['sast-only'])
      throw new CliError('--secrets-only and --sast-only exclude each other.');

    const { root, inGit } = await findRoot(ctx.cwd);
    if (source !== 'files' && !inGit)
      throw new CliError(
        `--${source} needs a git repository, and ${ctx.cwd} is not inside one.`,
        'Run it from inside the repository.',
      );
    const { config } = await loadConfig(root);
    if (values['sast-only'] && source === 'history') {
      throw new CliError(
        '--history looks for secrets only, so --sast-only has nothing to run.',
        'Run SAST on the current files with `secure-repo scan --sast-only`, or on new commits with `--range A..B --sast-only`.',
      );
    }
    if (values['sast-only'] && !config.scan.sast.enabled) {
      throw new CliError(
        '--sast-only, but SAST is turned off in .secure-repo.yml (scan.sast.enabled: false).',
        'Set scan.sast.enabled: true, or drop --sast-only.',
      );
    }

    const opts: ScanOptions = {
      root,
      cwd: ctx.cwd,
      source,
      secrets: !values['sast-only'],
      sast: !values['secrets-only'],
      config,
      inGit,
      baseline: values.baseline ? path.resolve(ctx.cwd, values.baseline) : values['write-baseline'] ? null : undefined,
    };
    if (positionals.length > 0) opts.paths = positionals;
    if (values.range !== undefined) opts.range = values.range;
    if (values.remote !== undefined) opts.remote = values.remote;
    if (source === 'pre-push') opts.prePushInput = await readInput(ctx.stdin);
    if (source === 'history' && ctx.stderr.isTTY && format === 'text' && !values.quiet)
      opts.onProgress = progressBar(ctx.stderr);

    const { runScan } = await import('../../scan/run.js');
    const result = await runScan(opts);

    if (values['write-baseline']) {
      const { writeBaseline } = await import('../../scan/filters/baseline.js');
      const file = path.resolve(ctx.cwd, values['write-baseline']);
      await writeBaseline(file, result.findings);
      ctx.stderr.write(
        `secure-repo: recorded ${result.findings.length} finding(s) in ${values['write-baseline']}; later scans with --baseline ignore them.\n`,
      );
      return 0;
    }

    let report: string;
    if (format === 'json')
      report = (await import('../../scan/report/json.js')).formatJson(result, { cwd: ctx.cwd, root });
    else if (format === 'sarif')
      report = (await import('../../scan/report/sarif.js')).formatSarif(result, { version: ctx.version });
    else {
      const color = !values['no-color'] && !values.output && colorEnabled(ctx.stdout);
      report = values.quiet && result.findings.length === 0 ? '' : formatText(result, { color, cwd: ctx.cwd, root });
    }
    if (values.output) await atomicWrite(path.resolve(ctx.cwd, values.output), report);
    else ctx.stdout.write(report);

    if (!values.quiet) for (const note of result.staleAllows ?? []) ctx.stderr.write(`secure-repo: note: ${note}.\n`);
    if ((source === 'range' || source === 'history') && result.stats.commits === 0 && !values.quiet) {
      ctx.stderr.write(
        'secure-repo: warning: 0 commits were scanned (empty range, or a shallow clone without that history).\n',
      );
    }
    return blocking(result, config).length > 0 ? 1 : 0;
  },
};
