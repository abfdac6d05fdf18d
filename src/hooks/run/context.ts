import { loadConfigCached } from '../../config/cache.js';
import type { Config } from '../../config/types.js';
import { CliError } from '../../core/errors.js';
import { commonGitDir, repoDirs } from '../../core/git.js';
import { colorEnabled, palette, type Palette } from '../../core/style.js';
import { timed, timedSync } from '../../core/timing.js';
import type { CommandContext } from '../../core/context.js';
import type { Finding } from '../../scan/types.js';
import { warningsOnly } from './messages.js';
import { loadScanner, type ScanOptions, type Scanner } from './scanner.js';
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
  const dirs = await repoDirs(ctx.cwd);
  if (!dirs)
    throw new CliError('not inside a git work tree.', 'Hooks run from a repository; run this from inside one.');
  const { root, gitDir } = dirs;
  // The self-test commits in a scratch git dir whose commondir is the repository's: its cache stays in the scratch
  // dir, so the test leaves no file behind.
  // (the config cache lives in the shared git dir, in this clone's state folder that uninstall removes)
  const cacheDir = ctx.env.SECURE_REPO_SELFTEST ? gitDir : commonGitDir(gitDir);
  const config = await timed('config (.secure-repo.yml)', () => loadConfigCached(root, cacheDir));
  const color = colorEnabled(ctx.stderr);
  return {
    root,
    config,
    skips: parseSkip(ctx.env.SECURE_REPO_SKIP),
    c: palette(color),
    color,
    ctx,
    say: (t) => ctx.stderr.write(t),
  };
}

async function scanner(): Promise<Scanner> {
  try {
    return await timed('load the scanner', loadScanner);
  } catch (err) {
    throw new CliError(
      `the scanner could not be loaded (${(err as Error).message}).`,
      'The installed create-secure-repo is incomplete: reinstall it (`npm install`) and run `secure-repo doctor`.',
    );
  }
}

/**
 * The scan step both hooks share: scan, print what was found, and say whether the hook must stop.
 * `blocked` words the stop for this hook (commit or push).
 */
export async function scanStep(
  run: HookRun,
  ctx: CommandContext,
  opts: Pick<ScanOptions, 'source' | 'secrets' | 'sast' | 'prePushInput' | 'remote'>,
  blocked: (findings: Finding[], c: Palette) => string | Promise<string>,
): Promise<boolean> {
  const s = await scanner();
  const result = await timed('scan', () => s.runScan({ ...opts, root: run.root, cwd: ctx.cwd, config: run.config }));
  if (result.findings.length === 0) return false;
  const block = timedSync('output', () => {
    const b = s.blocking(result, run.config);
    run.say(s.formatText(result, { color: run.color, cwd: ctx.cwd, root: run.root }));
    return b;
  });
  run.say(block.length > 0 ? await blocked(block, run.c) : warningsOnly(result.findings, run.c));
  return block.length > 0;
}
