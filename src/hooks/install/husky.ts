import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/types.js';
import type { Detection } from '../../detect/types.js';
import type { CommandIntent, FileIntent, Intent } from '../../changes/types.js';
import { ownership } from '../../core/ownership.js';
import { generatedFile } from '../../changes/generated.js';
import { CHECKED_HOOKS, huskyInstallSource, runnerSource } from '../layout.js';
import { gitattributesIntent, readLocalGitConfig, recordToolIntents, samePath, takeOver } from './common.js';
import { insertHookLine, stubBody } from './hook-file.js';
import {
  addPrepare,
  dependencyValue,
  editPackageJson,
  HUSKY_RANGE,
  prepareCommand,
  setDependency,
  TOOL_PACKAGE,
} from './package-json.js';
import type { HookPlanOptions } from './types.js';

export const HUSKY_DIR = '.husky';

function installCommand(
  manager: 'npm' | 'pnpm' | 'yarn' | 'bun',
  cwd: string,
  onlyIfChanged?: string[],
): CommandIntent {
  const argv = manager === 'npm' ? ['npm', 'install', '--no-audit', '--no-fund'] : [manager, 'install'];
  return {
    kind: 'command',
    argv,
    cwd,
    reason: 'installs husky and secure-repo and activates the hooks',
    label: `${manager} install`,
    ...(onlyIfChanged ? { onlyIfChanged } : {}),
  };
}

export function planHusky(det: Detection, _config: Config, opts: HookPlanOptions): Intent[] {
  const node = det.node;
  const pkgDir = node?.dir ?? '.';
  const intents: Intent[] = [];
  const version = det.hooks.huskyVersion;
  const legacyHusky = version !== null && version < 9;
  const huskyActive = path.join(det.root, HUSKY_DIR, '_');
  const { intents: takeoverIntents, extraHooks } = takeOver(det, huskyActive, [path.join(det.root, HUSKY_DIR)]);

  // From package.json's folder to the git root's .husky: `.husky`, or `../.husky` for a package in a subfolder.
  const prepare = prepareCommand(path.posix.relative(pkgDir === '.' ? '' : pkgDir, HUSKY_DIR));

  intents.push({
    kind: 'file',
    path: path.posix.join(pkgDir, 'package.json'),
    reason: 'husky and secure-repo as devDependencies, and a prepare script that installs the hooks',
    render(current) {
      if (current === null) return { skip: 'no package.json here' };
      return {
        content: editPackageJson(current, (pkg) => {
          pkg.devDependencies = setDependency(pkg.devDependencies, TOOL_PACKAGE, dependencyValue(opts.packageSpec));
          const hasHusky =
            Boolean(pkg.devDependencies.husky) ||
            Boolean((pkg.dependencies as Record<string, string> | undefined)?.husky);
          if (!hasHusky) pkg.devDependencies = setDependency(pkg.devDependencies, 'husky', HUSKY_RANGE);
          const scripts = { ...(pkg.scripts ?? {}) };
          // An existing husky prepare (`husky`, `husky install`) already activates the hooks: leave it as it is.
          if (!/\bhusky\b/.test(scripts.prepare ?? '')) scripts.prepare = addPrepare(scripts.prepare, prepare);
          pkg.scripts = scripts;
        }),
      };
    },
  });

  intents.push(
    fileIntent(
      `${HUSKY_DIR}/install.mjs`,
      'installs the husky hooks from `prepare`; a no-op without husky, in CI or with HUSKY=0',
      generatedFile(huskyInstallSource(), '//'),
    ),
  );
  intents.push(
    fileIntent(
      `${HUSKY_DIR}/secure-repo.sh`,
      'the hook runner: finds the tool without PATH, fails closed, chains older hooks',
      generatedFile(runnerSource(), '#'),
      0o755,
    ),
  );

  for (const hook of CHECKED_HOOKS) {
    intents.push(
      huskyHookIntent(det.root, hook, legacyHusky, `runs secure-repo ${hook} checks before your own ${hook} commands`),
    );
  }
  for (const hook of extraHooks) {
    intents.push(huskyHookIntent(det.root, hook, legacyHusky, `keeps your existing ${hook} hook running under husky`));
  }
  intents.push(gitattributesIntent(HUSKY_DIR));
  // The project pins its own copy in node_modules: record the CLI only when it is that copy (not an npx cache).
  const localCli = opts.toolPath !== undefined && !path.relative(det.root, opts.toolPath).startsWith('..');
  intents.push(...takeoverIntents, ...recordToolIntents(opts.toolPath, localCli));
  if (node) {
    const pkgJson = path.posix.join(pkgDir, 'package.json');
    const installed = ['husky', TOOL_PACKAGE].every((name) => modulePresent(det.root, pkgDir, name));
    // Re-runs install only when package.json changes, unless a package it needs is not in node_modules yet.
    if (opts.install) intents.push(installCommand(node.manager, pkgDir, installed ? [pkgJson] : undefined));
    // Activation does not rely on `prepare`: lifecycle scripts may never run (.npmrc ignore-scripts=true, pnpm's
    // default for dependencies, a failed install), so init runs what prepare would, once, when husky is there.
    if (!legacyHusky && !huskyIsActive(det.root) && (opts.install || installed))
      intents.push(activationCommand(pkgDir));
  }
  return intents;
}

/** husky 9 is active in this clone: git runs .husky/_ and husky wrote its stubs there. */
export function huskyIsActive(root: string): boolean {
  const hooksPath = readLocalGitConfig(root, 'core.hooksPath');
  return (
    hooksPath !== null &&
    samePath(path.resolve(root, hooksPath), path.join(root, HUSKY_DIR, '_')) &&
    existsSync(path.join(root, HUSKY_DIR, '_', 'pre-commit'))
  );
}

/** A package is installed for the package in `pkgDir` (there, or hoisted to the repository root). */
export function modulePresent(root: string, pkgDir: string, name: string): boolean {
  return [path.join(root, pkgDir), root].some((dir) =>
    existsSync(path.join(dir, 'node_modules', name, 'package.json')),
  );
}

function activationCommand(pkgDir: string): CommandIntent {
  const script = path.posix.relative(pkgDir === '.' ? '' : pkgDir, `${HUSKY_DIR}/install.mjs`);
  return {
    kind: 'command',
    argv: [process.execPath, script],
    cwd: pkgDir,
    reason: 'activates the husky hooks in this clone (what `prepare` does, without depending on install scripts)',
    label: `node ${script}`,
  };
}

function huskyHookIntent(root: string, hook: string, legacy: boolean, reason: string): FileIntent {
  const fresh = generatedFile(stubBody(hook, legacy), '#');
  const rel = `${HUSKY_DIR}/${hook}`;
  // A hook file the user already has keeps its mode (husky 9 runs it with `sh`, so it need not be executable).
  const theirs = ownership(readTextOrNullSync(path.join(root, rel))) === 'theirs';
  return {
    kind: 'file',
    path: rel,
    reason,
    ...(theirs ? {} : { mode: 0o755 }),
    render(current) {
      if (current === null) return fresh(null);
      const own = fresh(current);
      if ('content' in own) return own; // ours (generated, untouched)
      // The user's husky hook: keep every command, add our line in front of them.
      return { content: insertHookLine(current, hook) };
    },
  };
}

function readTextOrNullSync(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function fileIntent(p: string, reason: string, render: FileIntent['render'], mode?: number): FileIntent {
  return mode === undefined
    ? { kind: 'file', path: p, reason, render }
    : { kind: 'file', path: p, reason, render, mode };
}

/** The project turns lifecycle scripts off (`ignore-scripts=true` in .npmrc, `enableScripts: false` for yarn): `prepare` never runs on install. */
export function scriptsDisabled(det: Detection): boolean {
  const dirs = [...new Set(['.', det.node?.dir ?? '.'])];
  return dirs.some((d) => {
    const npmrc = readTextOrNullSync(path.join(det.root, d, '.npmrc')) ?? '';
    const yarnrc = readTextOrNullSync(path.join(det.root, d, '.yarnrc.yml')) ?? '';
    return /^\s*ignore-scripts\s*=\s*true\s*$/m.test(npmrc) || /^\s*enableScripts:\s*false\s*$/m.test(yarnrc);
  });
}
