import { createHash } from 'node:crypto';
import type { Check } from '../core/check.js';
import { sarifLog, type SarifRule } from '../core/sarif.js';
import type { Palette } from '../core/style.js';
import { DETECTIONS } from './operate/catalog.js';
import type { AuditReport } from './types.js';

/** Report sections in order; Operate areas follow the posture ones. */
const AREAS: Record<string, string> = {
  files: 'Files',
  hooks: 'Hooks',
  github: 'GitHub settings',
  workflows: 'Workflows (every file)',
  runs: 'Run history',
  bypasses: 'Pushes and rule bypasses',
  access: 'Access (against the baseline)',
  'actions-settings': 'Actions settings',
  controls: 'Security controls',
  images: 'Images',
  alerts: 'Alert hygiene',
};
const MARK = { pass: '✓', fail: '✗', warn: '!', info: '·', 'not-checked': '?' } as const;
const areasOf = (r: AuditReport) => [...new Set([...Object.keys(AREAS), ...r.checks.map((c) => c.area)])];
const titleOf = (r: AuditReport, area: string) =>
  area === 'github' && r.repository
    ? `${AREAS[area]} (${r.repository}${r.branch ? ` @ ${r.branch}` : ''})`
    : (AREAS[area] ?? area);

export function formatText(r: AuditReport, c: Palette, verbose = false): string {
  const lines: string[] = [];
  for (const area of areasOf(r)) {
    const items = r.checks.filter((f) => f.area === area);
    if (!items.length && area !== 'github') continue;
    lines.push(c.bold(titleOf(r, area)));
    if (area === 'github' && !r.github.checked) lines.push(c.dim(`  · not checked: ${r.github.reason}`));
    const ok = items.filter((f) => f.status === 'pass');
    // Several checks blind for one reason (no token, --no-github) read better as one line.
    const blind = items.filter((f) => f.status === 'not-checked');
    const oneReason = blind.length > 1 && new Set(blind.map((f) => f.message)).size === 1;
    if (oneReason && !verbose) {
      const needs = [...new Set(blind.map((f) => f.needs).filter(Boolean))].join(', ');
      lines.push(
        c.dim(`  ? ${blind.length} check(s) not checked: ${blind[0]!.message}${needs ? ` (needs ${needs})` : ''}`),
      );
    }
    for (const f of items) {
      if (f.status === 'pass' && !verbose) continue;
      if (f.status === 'not-checked' && oneReason && !verbose) continue;
      const paint = f.status === 'fail' ? c.red : f.status === 'warn' ? c.yellow : c.dim;
      const msg =
        f.status === 'not-checked' ? `not checked${f.needs ? `: needs ${f.needs}` : ''} (${f.message})` : f.message;
      lines.push(paint(`  ${MARK[f.status]} ${f.target}: ${msg}`));
      if (f.fix && f.status === 'fail') lines.push(c.dim(`      fix: ${f.fix}`));
    }
    if (ok.length && !verbose) lines.push(c.green(`  ✓ ${ok.length} check(s) ok`));
  }
  for (const n of r.operate.notes) lines.push(c.dim(`note: ${n}`));
  const s = r.summary;
  const blind = s['not-checked'] ? `, ${s['not-checked']} not checked` : '';
  lines.push(
    s.fail
      ? c.red(`Drift: ${s.fail} check(s) fail, ${s.warn} warning(s)${blind}.`)
      : c.green(`No drift${s.warn ? ` (${s.warn} warning(s))` : ''}${blind}.`),
  );
  return `${lines.join('\n')}\n`;
}

export function formatJson(r: AuditReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The body of the issue the scheduled audit keeps: what fails, what warns, what could not be checked and why. */
export function formatMarkdown(r: AuditReport): string {
  const status = {
    pass: '✅ pass',
    fail: '❌ fail',
    warn: '⚠️ warning',
    info: 'ℹ️ info',
    'not-checked': '❔ not checked',
  } as const;
  const s = r.summary;
  const shown = r.checks.filter((f) => f.status === 'fail' || f.status === 'warn');
  const blind = r.checks.filter((f) => f.status === 'not-checked');
  const lines = [
    '## secure-repo audit',
    '',
    s.fail
      ? `**${s.fail} check(s) fail**, ${s.warn} warning(s), ${s['not-checked']} not checked.`
      : `**No drift.** ${s.pass} check(s) pass, ${s.warn} warning(s), ${s['not-checked']} not checked.`,
    '',
    r.github.checked
      ? `Live GitHub settings checked for \`${r.repository}\`${r.branch ? ` (branch \`${r.branch}\`)` : ''}.`
      : `Live GitHub settings not checked: ${r.github.reason}.`,
    '',
  ];
  if (shown.length) {
    lines.push('| Status | Area | Check | Target | Detail | Fix |', '| --- | --- | --- | --- | --- | --- |');
    lines.push(
      ...shown.map(
        (f) =>
          `| ${status[f.status]} | ${AREAS[f.area] ?? f.area} | \`${f.id}\` | ${cell(f.target)} | ${cell(f.message)}${f.evidence?.url ? ` ([link](${String(f.evidence.url)}))` : ''} | ${cell(f.fix ?? '')} |`,
      ),
    );
    lines.push('');
  }
  if (blind.length) {
    lines.push(
      '<details><summary>Not checked (the token lacks a permission, or the feature is off)</summary>',
      '',
      '| Check | Needs | Why |',
      '| --- | --- | --- |',
    );
    lines.push(
      ...blind.map((f) => `| \`${f.id}\` | ${cell(f.needs ?? '')} | ${cell(f.message)} |`),
      '',
      '</details>',
      '',
    );
  }
  for (const n of r.operate.notes) lines.push(`- ${cell(n)}`);
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

const TITLES = new Map(DETECTIONS.map((d) => [d.id, d]));

/** Failing and warning checks as SARIF through the shared writer; the fingerprint is the finding's stable uid. */
export function formatSarif(r: AuditReport, version: string): string {
  const reported = r.checks.filter((f) => f.status === 'fail' || f.status === 'warn');
  const ids = [...new Set(reported.map((f) => f.id))].sort();
  const rules: SarifRule[] = ids.map((id) => {
    const d = TITLES.get(id);
    const sample = reported.find((f) => f.id === id)!;
    const sev = d?.severity ?? (sample.status === 'fail' ? 'high' : 'medium');
    return {
      id,
      description: d?.title ?? `secure-repo audit: ${id}`,
      help: d?.fix ?? sample.fix ?? 'See the audit report.',
      level: sample.status === 'fail' ? 'error' : 'warning',
      securitySeverity: { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' }[sev],
      tags: ['security', 'audit', d?.area ?? sample.area],
    };
  });
  const location = (f: Check) =>
    typeof f.evidence?.file === 'string' ? f.evidence.file : f.area === 'files' ? f.target : '.secure-repo.yml';
  const results = reported.map((f) => ({
    ruleId: f.id,
    level: f.status === 'fail' ? ('error' as const) : ('warning' as const),
    message: `${f.target}: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}`,
    path: location(f),
    region: { startLine: typeof f.evidence?.line === 'number' ? f.evidence.line : 1 },
    fingerprint:
      typeof f.evidence?.uid === 'string'
        ? f.evidence.uid
        : createHash('sha256').update(`${f.id}\0${f.target}`).digest('hex').slice(0, 32),
  }));
  return sarifLog({ name: 'secure-repo audit', version }, rules, results);
}
