import type { Palette } from '../core/style.js';
import type { AuditFinding, AuditReport } from './types.js';

const AREAS = { files: 'Files', hooks: 'Hooks', github: 'GitHub settings' } as const;
const MARK = { ok: '✓', drift: '✗', warning: '!', info: '·' } as const;

export function formatText(r: AuditReport, c: Palette, verbose = false): string {
  const lines: string[] = [];
  for (const area of ['files', 'hooks', 'github'] as const) {
    const items = r.findings.filter((f) => f.area === area);
    const title = area === 'github' && r.repository ? `${AREAS[area]} (${r.repository}${r.branch ? ` @ ${r.branch}` : ''})` : AREAS[area];
    lines.push(c.bold(title));
    if (area === 'github' && !r.github.checked) lines.push(c.dim(`  · not checked: ${r.github.reason}`));
    const ok = items.filter((f) => f.status === 'ok');
    for (const f of items) {
      if (f.status === 'ok' && !verbose) continue;
      const paint = f.status === 'drift' ? c.red : f.status === 'warning' ? c.yellow : c.dim;
      lines.push(paint(`  ${MARK[f.status]} ${f.target}: ${f.message}`));
      if (f.fix && f.status === 'drift') lines.push(c.dim(`      fix: ${f.fix}`));
    }
    if (ok.length && !verbose) lines.push(c.green(`  ✓ ${ok.length} check(s) ok`));
  }
  const { drift, warnings } = r.summary;
  lines.push(drift ? c.red(`Drift: ${drift} check(s) fail, ${warnings} warning(s).`) : c.green(`No drift${warnings ? ` (${warnings} warning(s))` : ''}.`));
  return `${lines.join('\n')}\n`;
}

export function formatJson(r: AuditReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function formatMarkdown(r: AuditReport): string {
  const status = { ok: '✅ ok', drift: '❌ drift', warning: '⚠️ warning', info: 'ℹ️ info' } as const;
  const lines = [
    '## secure-repo audit',
    '',
    r.summary.drift ? `**${r.summary.drift} check(s) drifted** from the policy, ${r.summary.warnings} warning(s).` : `**No drift.** ${r.summary.ok} check(s) ok, ${r.summary.warnings} warning(s).`,
    '',
    r.github.checked ? `Live GitHub settings checked for \`${r.repository}\`${r.branch ? ` (branch \`${r.branch}\`)` : ''}.` : `Live GitHub settings not checked: ${r.github.reason}.`,
    '',
    '| Status | Area | Target | Detail | Fix |',
    '| --- | --- | --- | --- | --- |',
    ...r.findings.filter((f) => f.status !== 'ok').map((f) => `| ${status[f.status]} | ${AREAS[f.area]} | \`${cell(f.target)}\` | ${cell(f.message)} | ${cell(f.fix ?? '')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** SARIF 2.1.0: drift as errors, warnings as warnings, each located at the file (or the config for settings). */
export function formatSarif(r: AuditReport, version: string): string {
  const reported = r.findings.filter((f) => f.status === 'drift' || f.status === 'warning');
  const ruleIds = [...new Set(reported.map((f) => f.check))];
  const location = (f: AuditFinding) => (f.area === 'files' ? f.target : '.secure-repo.yml');
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secure-repo audit',
            version,
            informationUri: 'https://www.npmjs.com/package/create-secure-repo',
            rules: ruleIds.map((id) => ({ id, name: id, shortDescription: { text: `secure-repo audit: ${id}` }, defaultConfiguration: { level: 'error' } })),
          },
        },
        results: reported.map((f) => ({
          ruleId: f.check,
          ruleIndex: ruleIds.indexOf(f.check),
          level: f.status === 'drift' ? 'error' : 'warning',
          message: { text: `${f.target}: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: location(f) }, region: { startLine: 1 } } }],
          partialFingerprints: { auditCheck: `${f.check}:${f.target}` },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
