import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { CliError } from '../core/errors.js';
import { readTextOrNull } from '../core/fs.js';
import { git } from '../core/git.js';
import type { Intent, PlannedChange } from './types.js';

/** Resolves a repository-relative path, refusing anything that would land outside the repository. */
export function resolveInRoot(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  const back = path.relative(root, abs);
  if (back.startsWith('..') || path.isAbsolute(back))
    throw new CliError(`refusing to write outside the repository: ${rel}`);
  return abs;
}

async function modeMatches(file: string, mode: number | undefined): Promise<boolean> {
  if (mode === undefined) return true;
  const st = await fsp.stat(file).catch(() => null);
  return st !== null && (st.mode & 0o777) === mode;
}

/**
 * Resolves every intent against the current state without changing anything: this is what `--dry-run` shows and
 * what apply later executes. Reads only (files, `git config --get`, API GETs through external intents).
 */
export async function planIntents(root: string, intents: Intent[]): Promise<PlannedChange[]> {
  const planned: PlannedChange[] = [];
  for (const intent of intents) {
    switch (intent.kind) {
      case 'file': {
        const abs = resolveInRoot(root, intent.path);
        const current = await readTextOrNull(abs);
        const out = intent.render(current);
        const base = { intent, target: intent.path, reason: intent.reason };
        if ('skip' in out) planned.push({ ...base, action: 'skip', note: out.skip });
        else if ('remove' in out) planned.push({ ...base, action: current === null ? 'unchanged' : 'remove' });
        else if (current === null) planned.push({ ...base, action: 'create', content: out.content });
        else if (current === out.content && (await modeMatches(abs, intent.mode)))
          planned.push({ ...base, action: 'unchanged' });
        else planned.push({ ...base, action: 'update', content: out.content });
        break;
      }
      case 'git-config': {
        const current = await git(['config', '--local', '--get', intent.key], { cwd: root, allowFailure: true });
        const target = `git config ${intent.key}`;
        const same = intent.value === null ? current === null : current === intent.value;
        const action = same ? 'unchanged' : intent.value === null ? 'remove' : current === null ? 'create' : 'update';
        planned.push({ intent, target, reason: intent.reason, action });
        break;
      }
      case 'command': {
        planned.push({ intent, target: intent.label, reason: intent.reason, action: 'create' });
        break;
      }
      case 'external': {
        const r = await intent.plan();
        planned.push({
          intent,
          target: intent.target,
          reason: intent.reason,
          action: r.action,
          note: r.note,
          detail: r.detail,
        });
        break;
      }
    }
  }
  // Commands that depend on files run only when those files actually change, so a re-run stays `unchanged`.
  for (const p of planned) {
    if (p.intent.kind !== 'command' || !p.intent.onlyIfChanged) continue;
    const deps = new Set(p.intent.onlyIfChanged);
    const changed = planned.some(
      (q) => q.intent.kind === 'file' && deps.has(q.target) && (q.action === 'create' || q.action === 'update'),
    );
    if (!changed) p.action = 'unchanged';
  }
  return planned;
}
