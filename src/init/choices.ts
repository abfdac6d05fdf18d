import { STAGES, type Config, type Stage } from '../config/types.js';
import { defaultHookManager } from '../hooks/install/index.js';
import type { Detection } from '../detect/types.js';
import type { InitChoices } from './config-file.js';

/** Defaults: what the config says, else what detection suggests, else the secure default. */
export function defaultChoices(
  det: Detection,
  config: Config,
  hasConfigFile: boolean,
  applicable: Stage[],
): InitChoices {
  return {
    stages: hasConfigFile ? config.stages : applicable,
    manager: hasConfigFile ? config.hooks.manager : defaultHookManager(det),
    requiredApprovals: config.protection.requiredApprovals,
    requireSignedCommits: config.protection.requireSignedCommits,
    preCommitRun: hasConfigFile
      ? config.hooks.preCommit.run
      : det.node?.hasLintStaged
        ? ['npx --no-install lint-staged']
        : [],
    prePushTests: config.hooks.prePush.tests,
    testCommand: hasConfigFile
      ? config.hooks.prePush.testCommand
      : (det.node?.testCommand ?? det.python?.testCommand ?? null),
    branch: config.protection.branch,
    baseline: config.scan.baseline,
  };
}

/** The effective config for this run: the file's settings with this run's choices on top. */
export function withChoices(config: Config, c: InitChoices): Config {
  return {
    ...config,
    stages: c.stages,
    hooks: {
      ...config.hooks,
      manager: c.manager,
      preCommit: { ...config.hooks.preCommit, run: c.preCommitRun },
      prePush: {
        ...config.hooks.prePush,
        tests: c.prePushTests,
        testCommand: c.testCommand,
        requireSignedCommits: c.requireSignedCommits,
      },
    },
    scan: { ...config.scan, baseline: c.baseline },
    protection: {
      ...config.protection,
      branch: c.branch,
      requiredApprovals: c.requiredApprovals,
      requireSignedCommits: c.requireSignedCommits,
    },
  };
}

export function parseStages(list: string): Stage[] {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((s) => !(STAGES as readonly string[]).includes(s));
  if (bad.length) throw new Error(bad.join(', '));
  // Keep the workflow's natural order whatever order was typed.
  return STAGES.filter((s) => items.includes(s));
}
