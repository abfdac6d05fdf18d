import { palette } from '../core/style.js';
import type { Action, PlannedChange } from './types.js';

const LABEL: Record<Action, string> = {
  create: 'create',
  update: 'update',
  unchanged: 'unchanged',
  skip: 'skip',
  remove: 'remove',
};

/** Words of `text` in lines of at most `width` columns (a word longer than that gets a line of its own). */
function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/**
 * The plan as readable text: one line per change, the reason beside it, notes for skips. With a terminal width, a
 * reason that would not fit goes under its target, wrapped at word boundaries (never mid-word by the terminal).
 */
export function formatPlan(
  planned: PlannedChange[],
  opts: { color: boolean; verbose?: boolean; width?: number },
): string {
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
    const text = `${p.reason}${p.note ? ` (${p.note})` : ''}`;
    const head = `  ${label} ${p.target.padEnd(width)}  `;
    const plainHead = 2 + 9 + 1 + Math.max(width, p.target.length) + 2;
    if (!opts.width || plainHead + text.length <= opts.width) lines.push(`${head}${c.dim(p.reason)}${note}`);
    else {
      lines.push(`  ${label} ${p.target}`);
      for (const l of wrapWords(text, Math.max(20, opts.width - 14))) lines.push(`${' '.repeat(14)}${c.dim(l)}`);
    }
    for (const d of p.detail ?? []) lines.push(`  ${' '.repeat(9)}   ${c.dim('· ' + d)}`);
  }
  const unchanged = planned.filter((p) => p.action === 'unchanged').length;
  if (unchanged > 0 && !opts.verbose)
    lines.push(c.dim(`  ${unchanged} item${unchanged === 1 ? '' : 's'} already up to date`));
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
