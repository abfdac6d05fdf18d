import type { Config, HookManager } from '../../config/types.js';
import type { Detection } from '../../detect/types.js';
import type { Intent } from '../../changes/types.js';
import { planHusky, scriptsDisabled } from './husky.js';
import { planLefthook } from './lefthook.js';
import { plainHooksDir, planPlain } from './plain.js';
import { planPreCommitFramework } from './pre-commit-framework.js';
import type { HookPlanOptions } from './types.js';
import { ownCliPath } from '../layout.js';

export type { HookPlanOptions } from './types.js';
export { planUninstall } from './uninstall.js';

/** The manager a repository already uses wins; Node projects without one get husky; anything else plain git hooks. */
export function defaultHookManager(det: Detection): HookManager {
  const found = det.hooks.managers;
  if (found.includes('husky') || det.hooks.huskyDir) return 'husky';
  if (found.includes('pre-commit') || det.hooks.preCommitConfig) return 'pre-commit';
  if (found.includes('lefthook') || det.hooks.lefthookConfig) return 'lefthook';
  if (det.node && !found.includes('simple-git-hooks')) return 'husky';
  return 'git';
}

/** Every change that installs our hooks with the configured manager, as intents for plan → apply. */
export function planHooks(det: Detection, config: Config, options: HookPlanOptions): Intent[] {
  // Recorded for GUI clients without PATH; init runs from the tool itself, so its own path is the right default.
  const opts = { ...options, toolPath: options.toolPath ?? ownCliPath() };
  switch (config.hooks.manager) {
    case 'husky':
      // husky needs a package.json. husky 4 keeps its hooks in .git/hooks, driven by package.json: plain hooks
      // chain those, so both keep working until the project moves to husky 9.
      if (!det.node || (det.hooks.huskyVersion !== null && det.hooks.huskyVersion < 5))
        return planPlain(det, config, opts);
      return planHusky(det, config, opts);
    case 'pre-commit':
      return planPreCommitFramework(det, config, opts);
    case 'lefthook':
      return planLefthook(det, config, opts);
    case 'git':
      return planPlain(det, config, opts);
  }
}

/** One line for the person who ran init, about what their teammates need to do after cloning. */
export function teammateInstruction(manager: HookManager, det?: Detection): string {
  switch (manager) {
    case 'husky': {
      const pm = det?.node?.manager ?? 'npm';
      // Lifecycle scripts off (.npmrc ignore-scripts=true): install does not run prepare, so say the second command.
      if (det && scriptsDisabled(det))
        return `Teammates: \`${pm} install && ${pm === 'npm' ? 'npm run' : pm} prepare\` once after cloning (this project turns install scripts off, so install alone leaves the hooks off).`;
      return `Teammates: \`${pm} install\` turns the hooks on (its prepare script activates husky).`;
    }
    case 'pre-commit':
      return 'Teammates: run `pre-commit install` once after cloning (the config installs pre-commit and pre-push).';
    case 'lefthook':
      return 'Teammates: run `lefthook install` once after cloning.';
    case 'git':
      return `Teammates: \`git config core.hooksPath ${det ? plainHooksDir(det) : '.githooks'}\` once after cloning, with the secure-repo CLI installed where the hooks find it (on PATH or in node_modules).`;
  }
}
