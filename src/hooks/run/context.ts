import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/types.js';
import { CliError } from '../../core/errors.js';
import { git } from '../../core/git.js';
import { colorEnabled, palette, type Palette } from '../../core/style.js';
import type { CommandContext } from '../../cli/context.js';
import { loadScanner, type Scanner } from './scanner.js';
import { parseSkip, type Skips } from './skip.js';

export interface HookRun {
  root: string;
  config: Config;
  skips: Skips;
  c: Palette;
  color: boolean;
  ctx: CommandContext;
  say(text: string): void;
}

/** Everything a hook needs; a broken config is an exit-2 CliError that names the file and line (fail closed). */
export async function hookRun(ctx: CommandContext): Promise<HookRun> {
  const root = await git(['rev-parse', '--show-toplevel'], { cwd: ctx.cwd, allowFailure: true });
  if (!root) throw new CliError('not inside a git work tree.', 'Hooks run from a repository; run this from inside one.');
  const { config } = await loadConfig(root);
  const color = colorEnabled(ctx.stderr);
  return { root, config, skips: parseSkip(ctx.env.SECURE_REPO_SKIP), c: palette(color), color, ctx, say: (t) => ctx.stderr.write(t) };
}

export async function scanner(): Promise<Scanner> {
  try {
    return await loadScanner();
  } catch (err) {
    throw new CliError(
      `the scanner could not be loaded (${(err as Error).message}).`,
      'The installed create-secure-repo is incomplete: reinstall it (`npm install`) and run `secure-repo doctor`.',
    );
  }
}
