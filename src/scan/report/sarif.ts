import type { Severity } from '../../config/types.js';
import { sarifLog, type SarifLevel } from '../../core/sarif.js';
import { BUILTIN_RULES } from '../secrets/rules/index.js';
import type { ScanResult } from '../run.js';

const SARIF_LEVEL: Record<Severity, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning ranks security results by this 0-10 score. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

/** Scan findings as SARIF: one rule per rule id seen, results located at the line, fingerprinted by the secret. */
export function formatSarif(result: ScanResult, opts: { version: string }): string {
  const ruleIds = [...new Set(result.findings.map((f) => f.rule))].sort();
  const known = new Map(BUILTIN_RULES.map((r) => [r.id, r]));
  const rules = ruleIds.map((id) => {
    const sample = result.findings.find((f) => f.rule === id)!;
    const builtin = known.get(id);
    return {
      id,
      description: builtin?.description ?? sample.message,
      help: sample.remediation ?? 'Review and fix this finding.',
      level: SARIF_LEVEL[sample.severity],
      securitySeverity: SECURITY_SEVERITY[sample.severity],
      tags: ['security', sample.kind === 'secret' ? 'secret' : 'sast'],
      precision: builtin?.tier === 'generic' ? ('medium' as const) : ('high' as const),
    };
  });
  const results = result.findings.map((f) => ({
    ruleId: f.rule,
    level: SARIF_LEVEL[f.severity],
    message: f.secret ? `${f.message}: ${f.secret}${f.commit ? ` (commit ${f.commit.slice(0, 12)})` : ''}` : f.message,
    path: f.file,
    region: { startLine: f.line, startColumn: f.column, endLine: f.endLine ?? f.line, endColumn: Math.max(f.endColumn ?? f.column + 1, 1) },
    fingerprint: f.fingerprint,
    ...(f.commit ? { properties: { commit: f.commit } } : {}),
  }));
  return sarifLog({ name: 'secure-repo', version: opts.version }, rules, results, { stats: result.stats });
}
