import { palette } from '../core/style.js';
import type { Action, PlannedChange } from './types.js';

const LABEL: Record<Action, string> = {
  create: 'create',
  update: 'update',
  unchanged: 'unchanged',
  skip: 'skip',
  remove: 'remove',
};

/** The plan as readable text: one line per change, the reason beside it, notes for skips. */
export function formatPlan(planned: PlannedChange[], opts: { color: boolean; verbose?: boolean }): string {
  const c = palette(opts.color);
  const paint: Record<Action, (s: string) => string> = {
    create: c.green,
    update: c.yellow,
    unchanged: c.dim,
    skip: c.cyan,
    remove: c.red,
  };
  const width = Math.min(60, Math.max(...planned.map((p) => p.target.length), 10));
  const lines: string[] = [];
  for (const p of planned) {
    if (p.action === 'unchanged' && !opts.verbose) continue;
    const label = paint[p.action](LABEL[p.action].padEnd(9));
    const note = p.note ? c.dim(` (${p.note})`) : '';
    lines.push(`  ${label} ${p.target.padEnd(width)}  ${c.dim(p.reason)}${note}`);
    for (const d of p.detail ?? []) lines.push(`  ${' '.repeat(9)}   ${c.dim('· ' + d)}`);
  }
  const unchanged = planned.filter((p) => p.action === 'unchanged').length;
  if (unchanged > 0 && !opts.verbose) lines.push(c.dim(`  ${unchanged} item${unchanged === 1 ? '' : 's'} already up to date`));
  return lines.join('\n') + '\n';
}

/** The contract's JSON shape for a plan or its result. */
export function planToJson(planned: PlannedChange[]) {
  return planned.map((p) => ({
    action: p.action,
    target: p.target,
    reason: p.reason,
    ...(p.note ? { note: p.note } : {}),
    ...(p.detail ? { detail: p.detail } : {}),
    kind: p.intent.kind,
    ...(p.intent.kind === 'file' && p.intent.stage ? { stage: p.intent.stage } : {}),
  }));
}
