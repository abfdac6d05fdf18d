import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { HookManager } from '../../config/types.js';
import { CliError } from '../../core/errors.js';
import { detect } from '../../init/detect/index.js';
import { applyPlan } from '../../init/apply/index.js';
import { planIntents } from '../../init/plan/index.js';
import type { PlannedChange } from '../../init/plan/types.js';
import { ownCliPath } from '../layout.js';
import { defaultHookManager, planHooks, planUninstall, teammateInstruction } from './index.js';


export interface InstallRequest {
  cwd: string;
  manager?: HookManager;
  packageSpec: string;
  install: boolean;
  dryRun: boolean;
}

export interface InstallOutcome {
  root: string;
  manager: HookManager;
  changes: PlannedChange[];
  instruction: string;
}

/** `secure-repo hook install`: detect → plan the hooks → apply (or only plan with --dry-run). */
export async function installHooks(req: InstallRequest): Promise<InstallOutcome> {
  const det = await detect(req.cwd);
  const { config, file } = await loadConfig(det.root);
  const manager = req.manager ?? (file ? config.hooks.manager : defaultHookManager(det));
  const intents = planHooks(det, { ...config, hooks: { ...config.hooks, manager } }, { packageSpec: req.packageSpec, install: req.install, toolPath: ownCliPath() });
  const planned = await planIntents(det.root, intents);
  const changes = req.dryRun ? planned : await applyPlan(det.root, planned);
  return { root: det.root, manager, changes, instruction: teammateInstruction(manager) };
}

/** `secure-repo uninstall`: removes what init and hook install added, restoring what they replaced. */
export async function uninstallHooks(req: { cwd: string; dryRun: boolean }): Promise<{ root: string; changes: PlannedChange[] }> {
  const det = await detect(req.cwd);
  if (!det.root) throw new CliError('not inside a git repository.', 'Run this from the repository to clean up.');
  const { config } = await loadConfig(det.root).catch(() => ({ config: undefined }));
  const { defaultConfig } = await import('../../config/defaults.js');
  const planned = await planIntents(det.root, planUninstall(det, config ?? defaultConfig()));
  const changes = req.dryRun ? planned : await applyPlan(det.root, planned);
  return { root: det.root, changes };
}

export function relativeTo(root: string, p: string): string {
  return path.relative(root, p) || '.';
}
