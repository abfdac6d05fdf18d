import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Detection } from '../../detect/types.js';
import type { FileIntent, GitConfigIntent, Intent } from '../../changes/types.js';
import { CHECKED_HOOKS, GIT_KEYS } from '../layout.js';

/** Reads one local git config value synchronously (planners are pure and sync; this is a read). */
export function readLocalGitConfig(root: string, key: string): string | null {
  try {
    const out = execFileSync('git', ['config', '--local', '--get', key], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.toString('utf8').trim() || null;
  } catch {
    return null;
  }
}

/** The hook file git runs for `hook` in this clone (core.hooksPath or .git/hooks), or null. */
export function gitHookText(root: string, hook: string): string | null {
  try {
    const rel = execFileSync('git', ['rev-parse', '--git-path', `hooks/${hook}`], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString('utf8')
      .trim();
    return readFileSync(path.resolve(root, rel), 'utf8');
  } catch {
    return null;
  }
}

export function gitConfig(key: string, value: string | null, reason: string): GitConfigIntent {
  return { kind: 'git-config', key, value, reason };
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

export function samePath(a: string, b: string): boolean {
  return real(a) === real(b);
}

/** Records where the tool is, so hooks run from GUI clients that have no PATH to node. */
export function recordToolIntents(toolPath: string | undefined, recordCli = true): Intent[] {
  if (!toolPath) return [];
  const node = gitConfig(
    GIT_KEYS.node,
    process.execPath,
    'the node the hooks run (GUI git clients have no PATH to it)',
  );
  if (!recordCli) return [node];
  return [node, gitConfig(GIT_KEYS.cli, toolPath, 'the secure-repo CLI the hooks run')];
}

/** Executable, non-sample hook names in a folder. */
function hookNamesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^[a-z][a-z-]*$/.test(n))
    .filter((n) => {
      try {
        const st = statSync(path.join(dir, n));
        return st.isFile() && (st.mode & 0o111) !== 0;
      } catch {
        return false;
      }
    })
    .sort();
}

export interface Takeover {
  /** Intents that record what was active before, so it keeps running and uninstall can restore it. */
  intents: Intent[];
  /** Hook names that were active before and are not pre-commit/pre-push: they need a chaining stub in our folder. */
  extraHooks: string[];
}

/**
 * When our hooks folder becomes core.hooksPath, whatever git ran before stops running unless we chain it.
 * `ourActive` is the absolute folder that will be active once installed (e.g. <root>/.githooks, <root>/.husky/_).
 */
export function takeOver(det: Detection, ourActive: string, alsoOurs: string[] = []): Takeover {
  const before = det.hooks.activeHooksDir;
  const recorded = readLocalGitConfig(det.root, GIT_KEYS.chain);
  const isOurs = !before || samePath(before, ourActive) || alsoOurs.some((d) => samePath(before, d));
  const extra = (dir: string | null) =>
    dir && dir !== 'none' ? hookNamesIn(dir).filter((n) => !(CHECKED_HOOKS as readonly string[]).includes(n)) : [];
  // Already recorded by an earlier install: keep what it chose (a re-run must not forget the hooks it chains).
  if (recorded) return { intents: [], extraHooks: extra(recorded) };
  if (isOurs) {
    // Our folder is already what git runs, so .git/hooks is silenced already: do not bring it back by chaining.
    return {
      intents: [gitConfig(GIT_KEYS.chain, 'none', 'the hooks folder git runs is already this one')],
      extraHooks: [],
    };
  }
  const intents: Intent[] = [gitConfig(GIT_KEYS.chain, before, `the hooks in ${before} keep running after ours`)];
  if (det.hooks.coreHooksPathScope === 'local' && det.hooks.coreHooksPath) {
    intents.push(gitConfig(GIT_KEYS.previousHooksPath, det.hooks.coreHooksPath, 'restored by `secure-repo uninstall`'));
  }
  return { intents, extraHooks: extra(before) };
}

/** Keeps hook files LF and executable-friendly on Windows checkouts. */
export function gitattributesIntent(dir: string): FileIntent {
  const line = `${dir}/** text eol=lf`;
  return {
    kind: 'file',
    path: '.gitattributes',
    reason: `hook scripts keep LF line endings on Windows checkouts`,
    render(current) {
      if (current !== null && current.split(/\r?\n/).some((l) => l.trim() === line)) return { content: current };
      const base = current ?? '';
      const eol = base.includes('\r\n') ? '\r\n' : '\n'; // a CRLF file stays CRLF
      const sep = base === '' || base.endsWith('\n') ? '' : eol;
      return { content: `${base}${sep}${line}${eol}` };
    },
  };
}

export function removeGitattributesLine(dir: string): FileIntent {
  const line = `${dir}/** text eol=lf`;
  return {
    kind: 'file',
    path: '.gitattributes',
    reason: 'the line secure-repo added',
    render(current) {
      if (current === null) return { skip: 'not present' };
      const lines = current.split('\n');
      const kept = lines.filter((l) => l.replace(/\r$/, '').trim() !== line);
      if (kept.length === lines.length) return { content: current };
      const out = kept.join('\n');
      return out.trim() === '' ? { remove: true } : { content: out };
    },
  };
}
