import { promises as fsp } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CliError } from '../core/errors.js';
import { atomicWrite } from '../core/fs.js';
import { git } from '../core/git.js';
import { resolveInRoot } from './plan.js';
import type { CommandIntent, PlannedChange } from './types.js';

export interface ApplyOptions {
  /** Called before each step that does something, for progress display. */
  onStep?: (change: PlannedChange) => void;
}

function runCommand(root: string, intent: CommandIntent): Promise<void> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = intent.argv;
    const child = spawn(cmd!, args, {
      cwd: path.resolve(root, intent.cwd),
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let out = '';
    const keep = (b: Buffer) => {
      out = (out + b.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) =>
      reject(
        new CliError(
          `${intent.label} could not start: ${(err as NodeJS.ErrnoException).code ?? err.message}.`,
          `Install ${cmd} or re-run with --no-install and run it yourself.`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const tail = out.trim().split('\n').slice(-8).join('\n');
      // The package is not on the registry: the one thing that helps is a tarball or path spec.
      if (/E404|404 Not Found/.test(out) && /create-secure-repo/.test(out)) {
        return reject(
          new CliError(
            `${intent.label} failed: create-secure-repo is not on the npm registry.`,
            'Re-run init with --package-spec PATH/TO/create-secure-repo-VERSION.tgz (the packed tarball you installed this tool from); everything already applied is kept and the re-run finishes the rest.',
          ),
        );
      }
      reject(
        new CliError(
          `${intent.label} failed (exit ${code}).`,
          `Its output ended with:\n${tail}\nFix that and re-run; everything else already applied is kept and a re-run continues where this stopped.`,
        ),
      );
    });
  });
}

/**
 * Executes a plan. Only changes planned as create/update/remove do anything; files are written atomically and
 * nothing planned as skip or unchanged is touched. Returns the changes with their final actions.
 */
export async function applyPlan(
  root: string,
  planned: PlannedChange[],
  opts: ApplyOptions = {},
): Promise<PlannedChange[]> {
  const results: PlannedChange[] = [];
  for (const change of planned) {
    const { intent } = change;
    if (change.action === 'skip' || change.action === 'unchanged') {
      results.push(change);
      continue;
    }
    opts.onStep?.(change);
    switch (intent.kind) {
      case 'file': {
        const abs = resolveInRoot(root, intent.path);
        if (change.action === 'remove') await fsp.rm(abs, { force: true });
        else {
          // A rewrite keeps the file's mode (a user's executable hook stays executable) unless the intent sets one.
          const mode =
            intent.mode ??
            (await fsp.stat(abs).then(
              (st) => st.mode & 0o7777,
              () => undefined,
            ));
          await atomicWrite(abs, change.content ?? '', mode);
        }
        results.push(change);
        break;
      }
      case 'git-config': {
        if (intent.value === null)
          await git(['config', '--local', '--unset-all', intent.key], { cwd: root, allowFailure: true });
        else await git(['config', '--local', intent.key, intent.value], { cwd: root });
        results.push(change);
        break;
      }
      case 'command': {
        await runCommand(root, intent);
        results.push(change);
        break;
      }
      case 'external': {
        const r = await intent.apply();
        results.push({ ...change, action: r.action, note: r.note ?? change.note, detail: r.detail ?? change.detail });
        break;
      }
    }
  }
  return results;
}
