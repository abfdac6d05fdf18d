import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/types.js';
import type { Detection } from '../../detect/types.js';
import type { ExternalIntent, FileIntent, Intent } from '../../changes/types.js';
import { ownership } from '../../core/ownership.js';
import { removeGenerated } from '../../changes/generated.js';
import { GIT_KEYS, RUNNER_FILE } from '../layout.js';
import { gitConfig, readLocalGitConfig, removeGitattributesLine, samePath } from './common.js';
import { hasHookLine, stripHookLine } from './hook-file.js';
import { HUSKY_DIR } from './husky.js';
import { LEFTHOOK_CONFIG, unmergeLefthookConfig } from './lefthook.js';
import { editPackageJson, prepareCommand, removePrepare, TOOL_PACKAGE } from './package-json.js';
import { plainHooksDir } from './plain.js';
import { frameworkHookInstalled, PRE_COMMIT_CONFIG, unmergePreCommitConfig } from './pre-commit-framework.js';
import { onPath } from './on-path.js';

function read(root: string, rel: string): string | null {
  try {
    return readFileSync(path.join(root, rel), 'utf8');
  } catch {
    return null;
  }
}

function filesIn(root: string, dir: string): string[] {
  try {
    return readdirSync(path.join(root, dir)).filter((n) => statSync(path.join(root, dir, n)).isFile());
  } catch {
    return [];
  }
}

/** A hook file of ours: generated whole (removed), or the user's with our line in it (line taken out). */
function hookFileUndo(rel: string): FileIntent {
  return {
    kind: 'file',
    path: rel,
    reason: 'the secure-repo hook',
    render(current) {
      if (current === null) return { skip: 'not present' };
      const o = ownership(current);
      if (o === 'ours') return { remove: true };
      if (hasHookLine(current)) return { content: stripHookLine(current) };
      return { skip: o === 'ours-edited' ? 'edited since it was generated; kept' : 'not ours; kept' };
    },
  };
}

/** Which files in a hooks folder stay after uninstall: everything that is not ours and untouched. */
function survivors(root: string, dir: string): string[] {
  return filesIn(root, dir).filter((name) => ownership(read(root, `${dir}/${name}`)) !== 'ours');
}

function removeDirIntent(root: string, rel: string, reason: string): ExternalIntent {
  const abs = path.join(root, rel);
  const decide = () =>
    existsSync(abs) ? ({ action: 'remove' } as const) : ({ action: 'unchanged', note: 'not present' } as const);
  return {
    kind: 'external',
    target: rel,
    reason,
    plan: () => Promise.resolve(decide()),
    apply: () => {
      const d = decide();
      if (d.action === 'remove') rmSync(abs, { recursive: true, force: true });
      return Promise.resolve(d);
    },
  };
}

/** Removes a folder we created once nothing is left in it (runs after the file removals before it). */
function removeEmptyDirIntent(root: string, rel: string): ExternalIntent {
  const abs = path.join(root, rel);
  return {
    kind: 'external',
    target: `${rel}/`,
    reason: 'the folder secure-repo created, once empty',
    plan: () =>
      Promise.resolve(
        existsSync(abs) ? { action: 'remove', note: 'when empty' } : { action: 'unchanged', note: 'not present' },
      ),
    apply: () => {
      try {
        rmdirSync(abs);
        return Promise.resolve({ action: 'remove' });
      } catch {
        return Promise.resolve({ action: 'skip', note: 'not empty: your files are kept' });
      }
    },
  };
}

/** Puts core.hooksPath back the way it was before we set it (the recorded value, else unset). */
function restoreHooksPath(root: string): Intent {
  const previous = readLocalGitConfig(root, GIT_KEYS.previousHooksPath);
  return gitConfig(
    'core.hooksPath',
    previous,
    previous ? `restores your hooks path ${previous}` : 'git runs .git/hooks again',
  );
}

/** Removes exactly what planHooks added, whatever the manager, restoring what it replaced. */
export function planUninstall(det: Detection, _config: Config, notes: string[] = []): Intent[] {
  const root = det.root;
  const intents: Intent[] = [];
  const hooksPath = readLocalGitConfig(root, 'core.hooksPath');

  // husky
  if (existsSync(path.join(root, HUSKY_DIR))) {
    const huskyFiles = filesIn(root, HUSKY_DIR);
    for (const name of huskyFiles) {
      if (name === RUNNER_FILE || name === 'install.mjs')
        intents.push({
          kind: 'file',
          path: `${HUSKY_DIR}/${name}`,
          reason: 'the secure-repo husky files',
          render: removeGenerated,
        });
      else if (hasHookLine(read(root, `${HUSKY_DIR}/${name}`) ?? ''))
        intents.push(hookFileUndo(`${HUSKY_DIR}/${name}`));
    }
    const huskyStays = survivors(root, HUSKY_DIR).length > 0;
    const pkgDir = det.node?.dir ?? '.';
    const ourPrepare = prepareCommand(path.posix.relative(pkgDir === '.' ? '' : pkgDir, HUSKY_DIR));
    intents.push(packageJsonUndo(root, path.posix.join(pkgDir, 'package.json'), ourPrepare, !huskyStays));
    if (!huskyStays) {
      intents.push(
        removeDirIntent(root, `${HUSKY_DIR}/_`, "husky's generated hook stubs (husky came with secure-repo)"),
      );
      intents.push(removeEmptyDirIntent(root, HUSKY_DIR));
      if (hooksPath && samePath(path.resolve(root, hooksPath), path.join(root, HUSKY_DIR, '_')))
        intents.push(restoreHooksPath(root));
    }
    intents.push(removeGitattributesLine(HUSKY_DIR));
  } else if (det.node && read(root, path.posix.join(det.node.dir, 'package.json'))?.includes(`"${TOOL_PACKAGE}"`)) {
    intents.push(
      packageJsonUndo(root, path.posix.join(det.node.dir, 'package.json'), prepareCommand(HUSKY_DIR), false),
    );
  }

  // plain git hooks folder
  const plain = plainHooksDir(det);
  if (plain !== HUSKY_DIR && existsSync(path.join(root, plain, RUNNER_FILE))) {
    for (const name of filesIn(root, plain)) {
      if (name === RUNNER_FILE)
        intents.push({
          kind: 'file',
          path: `${plain}/${name}`,
          reason: 'the secure-repo hook runner',
          render: removeGenerated,
        });
      else if (hasHookLine(read(root, `${plain}/${name}`) ?? '')) intents.push(hookFileUndo(`${plain}/${name}`));
    }
    const stays = survivors(root, plain).length > 0;
    if (!stays) intents.push(removeEmptyDirIntent(root, plain));
    if (!stays && hooksPath && samePath(path.resolve(root, hooksPath), path.join(root, plain)))
      intents.push(restoreHooksPath(root));
    intents.push(removeGitattributesLine(plain));
  }

  // pre-commit framework and lefthook: the runner plus the entries in their YAML
  const shared = '.secure-repo';
  if (existsSync(path.join(root, shared, RUNNER_FILE))) {
    intents.push({
      kind: 'file',
      path: `${shared}/${RUNNER_FILE}`,
      reason: 'the secure-repo hook runner',
      render: removeGenerated,
    });
    intents.push(removeEmptyDirIntent(root, shared));
  }
  const preCommit = det.hooks.preCommitConfig ?? PRE_COMMIT_CONFIG;
  if (read(root, preCommit)?.includes('secure-repo')) {
    intents.push({
      kind: 'file',
      path: preCommit,
      reason: 'the secure-repo entries',
      render: (c) => (c === null ? { skip: 'not present' } : { content: unmergePreCommitConfig(c) }),
    });
  }
  const lefthook = det.hooks.lefthookConfig ?? LEFTHOOK_CONFIG;
  if (/\.ya?ml$/.test(lefthook) && read(root, lefthook)?.includes('secure-repo')) {
    intents.push({
      kind: 'file',
      path: lefthook,
      reason: 'the secure-repo commands',
      render: (c) => (c === null ? { skip: 'not present' } : { content: unmergeLefthookConfig(c) }),
    });
  }

  // The framework's hook scripts init installed: `pre-commit uninstall` takes them out (and puts back any hook it had
  // moved aside as .legacy).
  const framework = readLocalGitConfig(root, GIT_KEYS.frameworkHooks);
  if (framework) {
    const types = framework.split(',').filter((h) => frameworkHookInstalled(root, h));
    if (types.length > 0 && onPath('pre-commit')) {
      intents.push({
        kind: 'command',
        argv: ['pre-commit', 'uninstall', ...types.flatMap((h) => ['-t', h])],
        cwd: '.',
        reason: 'the pre-commit framework hooks init installed',
        label: 'pre-commit uninstall',
      });
    } else if (types.length > 0) {
      notes.push(
        `the pre-commit framework's ${types.join(' and ')} hook${types.length === 1 ? '' : 's'} that init installed stay${types.length === 1 ? 's' : ''}: pre-commit is not on PATH here; run \`pre-commit uninstall ${types.map((t) => `-t ${t}`).join(' ')}\`.`,
      );
    }
  }

  for (const key of Object.values(GIT_KEYS)) {
    if (readLocalGitConfig(root, key) !== null)
      intents.push(gitConfig(key, null, 'recorded by secure-repo for its hooks'));
  }
  return intents;
}

/** Top-level keys of the committed package.json: an empty `devDependencies: {}` the project had stays after undo. */
function committedKeys(root: string, rel: string): Set<string> {
  try {
    const text = execFileSync('git', ['show', `HEAD:${rel}`], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString('utf8');
    return new Set(Object.keys(JSON.parse(text) as object));
  } catch {
    return new Set();
  }
}

function packageJsonUndo(root: string, rel: string, ourPrepare: string, removeHusky: boolean): FileIntent {
  const had = committedKeys(root, rel);
  return {
    kind: 'file',
    path: rel,
    reason: removeHusky
      ? 'the secure-repo and husky devDependencies and the prepare step'
      : 'the secure-repo devDependency and the prepare step',
    render(current) {
      if (current === null) return { skip: 'not present' };
      return {
        content: editPackageJson(current, (pkg) => {
          const dev = { ...(pkg.devDependencies ?? {}) };
          delete dev[TOOL_PACKAGE];
          if (removeHusky) delete dev.husky;
          if (Object.keys(dev).length === 0 && pkg.devDependencies && !had.has('devDependencies'))
            delete pkg.devDependencies;
          else if (pkg.devDependencies) pkg.devDependencies = dev;
          if (pkg.scripts) {
            const prepare = removePrepare(pkg.scripts.prepare, ourPrepare);
            const scripts = { ...pkg.scripts };
            if (prepare === null) delete scripts.prepare;
            else if (prepare !== undefined) scripts.prepare = prepare;
            pkg.scripts = scripts;
            if (Object.keys(scripts).length === 0 && !had.has('scripts')) delete pkg.scripts;
          }
        }),
      };
    },
  };
}
