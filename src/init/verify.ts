import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import type { PlannedChange } from '../changes/types.js';
import type { Detection } from '../detect/types.js';
import { huskyIsActive, modulePresent, scriptsDisabled } from '../hooks/install/husky.js';
import { onPath } from '../hooks/install/on-path.js';
import { TOOL_PACKAGE } from '../hooks/install/package-json.js';
import { PRE_COMMIT_CONFIG } from '../hooks/install/pre-commit-framework.js';
import { commitSelfTest } from '../hooks/self-test.js';
import { toolCommand } from '../hooks/install/tool-command.js';

/**
 * What init observed about the hooks after apply. `pass`: a real commit of a token was refused. `pending`: the hooks
 * are not on yet for a reason init knows (no install, a tool missing here), with the one command that finishes it.
 * `fail`: they should be on and are not.
 */
export interface HookVerification {
  status: 'pass' | 'pending' | 'fail';
  detail: string;
  /** The one command that turns the hooks on (pending) or shows why not (fail). */
  fix?: string;
}

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Why the hooks cannot be on yet, and the command that finishes the job, when init knows. */
function pendingReason(det: Detection, config: Config, install: boolean): { detail: string; fix: string } | null {
  const manager = config.hooks.manager;
  if (manager === 'husky' && det.node) {
    const pm = det.node.manager;
    const dir = det.node.dir === '.' ? '' : `cd ${det.node.dir} && `;
    const prepare = `${pm === 'npm' ? 'npm run' : pm} prepare`;
    const missing = ['husky', TOOL_PACKAGE].filter((name) => !modulePresent(det.root, det.node!.dir, name));
    if (missing.length > 0) {
      const why = install ? 'the install did not put them in node_modules' : 'nothing was installed (--no-install)';
      return {
        detail: `the hooks are off until ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} installed: ${why}`,
        fix: `${dir}${pm} install${scriptsDisabled(det) ? ` && ${prepare}` : ''}`,
      };
    }
    if (!huskyIsActive(det.root)) {
      return {
        detail: 'husky is installed but not activated in this clone (its `prepare` script has not run)',
        fix: `${dir}${prepare}`,
      };
    }
    return null;
  }
  if (manager === 'pre-commit') {
    const cmd = 'pre-commit install -t pre-commit -t pre-push';
    if (!onPath('pre-commit'))
      return {
        detail: 'the pre-commit framework is not installed here, so its hooks cannot run',
        fix: `pipx install pre-commit && ${cmd}`,
      };
    if (!install) return { detail: "the framework's hooks are not installed in this clone (--no-install)", fix: cmd };
    return null;
  }
  if (manager === 'lefthook') {
    const local = path.join(det.root, det.node?.dir ?? '.', 'node_modules', '.bin', 'lefthook');
    const cmd = existsSync(local) ? 'npx lefthook install' : 'lefthook install';
    if (!existsSync(local) && !onPath('lefthook'))
      return {
        detail: 'lefthook is not installed here, so its hooks cannot run',
        fix: `install lefthook, then ${cmd}`,
      };
    if (!install) return { detail: "lefthook's hooks are not installed in this clone (--no-install)", fix: cmd };
  }
  return null;
}

/**
 * The proof init prints: a real `git commit` of a staged GitHub token, in a scratch git dir (no trace), with the
 * files init just wrote staged as they are, must be refused. Nothing is claimed that this did not observe.
 */
export async function verifyHooks(
  det: Detection,
  config: Config,
  results: PlannedChange[],
  opts: { install: boolean; env: NodeJS.ProcessEnv; alsoStage?: string[] },
): Promise<HookVerification | null> {
  if (!config.stages.includes('code')) return null;
  // Staged as the user's next commit will have them: what this run wrote, and what an earlier run wrote and is not
  // committed yet (the pre-commit framework refuses to run with its own config unstaged).
  const written = results
    .filter((r) => r.intent.kind === 'file' && (r.action === 'create' || r.action === 'update'))
    .map((r) => r.target);
  const stage = [...new Set([...written, ...(opts.alsoStage ?? [])])].filter((p) => existsSync(path.join(det.root, p)));
  const preCommitConfig =
    config.hooks.manager === 'pre-commit'
      ? read(path.join(det.root, det.hooks.preCommitConfig ?? PRE_COMMIT_CONFIG))
      : undefined;
  const r = await commitSelfTest(det.root, opts.env, {
    stage,
    ...(preCommitConfig !== undefined ? { preCommitConfig } : {}),
  });
  if (r.status === 'pass') return { status: 'pass', detail: r.detail };
  // The framework sets up every hook in its config before running any: where it cannot fetch the project's other
  // hooks (no network to their repositories), no commit gets as far as ours. Not proven either way; say so.
  if (
    config.hooks.manager === 'pre-commit' &&
    /not because of secure-repo/.test(r.detail) &&
    /Initializing environment|CalledProcessError|InvalidManifestError/.test(r.detail)
  ) {
    return {
      status: 'pending',
      detail: `the pre-commit framework could not prepare the project's other hooks here, so no commit reaches ours yet (${frameworkFailure(r.detail)})`,
      fix: 'pre-commit install-hooks',
    };
  }
  const pending = pendingReason(det, config, opts.install);
  if (pending) return { status: 'pending', detail: pending.detail, fix: pending.fix };
  return { status: 'fail', detail: r.detail, fix: `${toolCommand(det)} doctor` };
}

/**
 * What the pre-commit framework failed on, in a few words: the hook repository it could not set up (the usual case:
 * no network to it), else the start of its message cut at a word.
 */
export function frameworkFailure(detail: string): string {
  const repos = [...detail.matchAll(/Initializing environment for (\S+?)\.?(?:\s|$)/g)].map((m) => m[1]!);
  if (repos.length > 0) return `it could not set up ${repos.at(-1)}; is that repository reachable from here?`;
  const text = detail
    .replace(/^.*?\(exit \d+: ([^]*)\)$/, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= 160) return text;
  const cut = text.slice(0, 160);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 80))} …`;
}
