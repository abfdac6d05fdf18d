import type { Palette } from '../core/style.js';
import type { ProtectReport } from './index.js';
import type { Change } from '../changes/types.js';
import { mechanismName } from './types.js';

const MARK: Record<Change['action'], string> = {
  create: '+',
  update: '~',
  unchanged: '=',
  skip: '-',
  remove: '-',
  failed: '✗',
};

/** The human report: one line per setting that matters, unchanged ones counted unless verbose. */
export function formatReport(r: ProtectReport, c: Palette, verbose = false): string {
  const mech = mechanismName(r.mechanism);
  const lines = [`${c.bold(r.repository)} @ ${r.branch}  ${c.dim(`(${mech}, ${r.apiUrl})`)}`];
  const width = Math.max(...r.changes.map((x) => x.target.length), 10);
  const colour = (a: Change['action']) =>
    a === 'failed' ? c.red : a === 'skip' ? c.yellow : a === 'unchanged' ? c.dim : c.green;
  let unchanged = 0;
  // Settings skipped for one shared reason (a plan, an empty repository) are one line, not a dozen.
  const skipGroups = new Map<string, string[]>();
  for (const ch of r.changes)
    if (ch.action === 'skip') skipGroups.set(ch.reason, [...(skipGroups.get(ch.reason) ?? []), ch.target]);
  const printed = new Set<string>();
  for (const ch of r.changes) {
    if (ch.action === 'unchanged' && !verbose) {
      unchanged++;
      continue;
    }
    const group = ch.action === 'skip' ? skipGroups.get(ch.reason)! : [];
    if (group.length > 2) {
      if (printed.has(ch.reason)) continue;
      printed.add(ch.reason);
      lines.push(colour('skip')(`  ${MARK.skip} ${`${group.length} settings`.padEnd(width)}  ${ch.reason}`));
      lines.push(c.dim(`    ${' '.repeat(width)}  (${group.join(', ')})`));
      continue;
    }
    lines.push(colour(ch.action)(`  ${MARK[ch.action]} ${ch.target.padEnd(width)}  ${ch.reason}`));
  }
  if (unchanged) lines.push(c.dim(`  = ${unchanged} setting(s) already as the policy asks`));
  // The notes explain choices; repeat them only when something is about to change or was asked for.
  const changing = r.changes.some((x) => x.action === 'create' || x.action === 'update' || x.action === 'failed');
  if (changing || verbose) for (const n of r.notes) lines.push(`  ${c.cyan('note:')} ${n}`);
  const pending = r.changes.filter((x) => x.action === 'create' || x.action === 'update').length;
  const failed = r.changes.filter((x) => x.action === 'failed').length;
  if (r.dryRun) {
    lines.push(
      pending
        ? `Dry run: ${pending} setting(s) would change with ${r.requests.length} request(s):`
        : 'Dry run: nothing to change.',
    );
    for (const q of r.requests) lines.push(c.dim(`  ${q.route}  # ${q.description}`));
  } else if (r.writes === 0 && failed === 0) {
    lines.push(c.green('Everything already matches the policy; no request was sent.'));
  } else {
    const ok = r.changes.filter((x) => x.action === 'create' || x.action === 'update').length;
    const back =
      r.verified === true ? 'read back: matches' : r.verified === false ? 'read back: differs (see ✗ lines)' : '';
    lines.push(
      `Applied ${ok} setting(s) with ${r.writes} request(s)${failed ? `, ${failed} failed` : ''}${back ? `; ${back}` : ''}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
