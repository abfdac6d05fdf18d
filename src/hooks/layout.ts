import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HookManager } from '../config/types.js';

/** The hooks we run checks in. Other hook names only chain to what was there before. */
export const CHECKED_HOOKS = ['pre-commit', 'pre-push'] as const;
export type CheckedHook = (typeof CHECKED_HOOKS)[number];

/** File name of the runner every installed hook calls; it lives next to the hook files it serves. */
export const RUNNER_FILE = 'secure-repo.sh';

/** Where each manager keeps our committed files (repository-relative). */
export function hooksDirFor(manager: HookManager, gitHooksDir = '.githooks'): string {
  switch (manager) {
    case 'husky':
      return '.husky';
    case 'git':
      return gitHooksDir;
    case 'pre-commit':
    case 'lefthook':
      return '.secure-repo';
  }
}

export function runnerPathFor(manager: HookManager, gitHooksDir?: string): string {
  return `${hooksDirFor(manager, gitHooksDir)}/${RUNNER_FILE}`;
}

/**
 * The command a manager's config runs for one of our hooks (pre-commit framework, lefthook). `--managed`: the
 * manager owns .git/hooks and runs the other hooks itself, so the runner must not chain (that would re-enter it).
 */
export function runnerCommand(manager: HookManager, hook: CheckedHook, args = ''): string {
  return `sh ${runnerPathFor(manager)} --managed ${hook}${args ? ` ${args}` : ''}`;
}

/** Local git config keys we own (all under `secure-repo.`), per clone, never committed. */
export const GIT_KEYS = {
  /** Absolute node binary recorded at install time (GUI clients have no PATH). */
  node: 'secure-repo.node',
  /** Absolute path of the CLI entry recorded at install time. */
  cli: 'secure-repo.cli',
  /** The hooks folder that was active before we installed; its hooks keep running after ours. */
  chain: 'secure-repo.chain',
  /** The local core.hooksPath we replaced, restored on uninstall. */
  previousHooksPath: 'secure-repo.previousHooksPath',
  /** Hook types whose pre-commit framework script init installed (`pre-commit install -t`), for uninstall. */
  frameworkHooks: 'secure-repo.frameworkHooks',
} as const;

/** The runner script we ship (hooks/secure-repo.sh in the package), read once. */
let runnerCache: string | undefined;
export function runnerSource(): string {
  runnerCache ??= readFileSync(new URL('../../hooks/secure-repo.sh', import.meta.url), 'utf8');
  return runnerCache;
}

let huskyInstallCache: string | undefined;

/**
 * What `prepare` runs instead of `husky` directly (written as .husky/install.mjs): it does nothing when husky is not
 * installed (npm ci --omit=dev, Docker builds), in CI or with HUSKY=0, and runs husky from the git root so a
 * package.json in a subfolder works. A real file in the package (hooks/husky-install.mjs), typechecked and linted.
 */
export function huskyInstallSource(): string {
  huskyInstallCache ??= readFileSync(new URL('../../hooks/husky-install.mjs', import.meta.url), 'utf8');
  return huskyInstallCache;
}

/** The CLI entry of the running program (bin/secure-repo.js): what the hooks record when nothing else is given. */
export function ownCliPath(): string {
  return fileURLToPath(new URL('../../bin/secure-repo.js', import.meta.url));
}
