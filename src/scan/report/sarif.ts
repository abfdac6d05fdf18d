import type { Severity } from '../../config/types.js';
import { sarifLog, type SarifLevel } from '../../core/sarif.js';
import { BUILTIN_RULES } from '../secrets/rules/index.js';
import type { ScanResult } from '../run.js';
import type { FlowStep } from '../types.js';

const SARIF_LEVEL: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
/** GitHub code scanning ranks security results by this 0-10 score. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

function threadFlowLocation(file: string, step: FlowStep, index: number, count: number): object {
  const role = index === 0 ? 'source' : index === count - 1 ? 'sink' : 'step';
  return {
    location: {
      physicalLocation: {
        artifactLocation: { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
        region: { startLine: step.line, startColumn: step.column, snippet: { text: step.text } },
      },
      message: { text: `${role}: ${step.text}` },
    },
    kinds: ['taint'],
  };
}

/**
 * Scan findings as SARIF through the shared writer: one rule per rule id seen (CWE and OWASP as the tags code
 * scanning reads), results at the line, fingerprinted by the secret, with the taint path as a code flow.
 */
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
      // GitHub code scanning reads CWE ids from `external/cwe/cwe-N` tags
      tags: [
        'security',
        sample.kind === 'secret' ? 'secret' : 'sast',
        ...(sample.cwe ? [`external/cwe/${sample.cwe.toLowerCase()}`] : []),
        ...(sample.owasp ? [`external/owasp/${sample.owasp.slice(0, 3).toLowerCase()}`] : []),
      ],
      extra: { ...(sample.cwe ? { cwe: sample.cwe } : {}), ...(sample.owasp ? { owasp: sample.owasp } : {}) },
      precision: builtin?.tier === 'generic' ? ('medium' as const) : ('high' as const),
    };
  });
  const results = result.findings.map((f) => ({
    ruleId: f.rule,
    level: SARIF_LEVEL[f.severity],
    message: f.secret ? `${f.message}: ${f.secret}${f.commit ? ` (commit ${f.commit.slice(0, 12)})` : ''}` : f.message,
    path: f.file,
    region: {
      startLine: f.line,
      startColumn: f.column,
      endLine: f.endLine ?? f.line,
      endColumn: Math.max(f.endColumn ?? f.column + 1, 1),
    },
    fingerprint: f.fingerprint,
    // The taint path, source first and sink last, as one thread flow.
    ...(f.flow
      ? {
          codeFlows: [
            {
              threadFlows: [
                { locations: f.flow.map((step, i) => threadFlowLocation(f.file, step, i, f.flow!.length)) },
              ],
            },
          ],
        }
      : {}),
    ...(f.commit || f.testCode
      ? { properties: { ...(f.commit ? { commit: f.commit } : {}), ...(f.testCode ? { testCode: true } : {}) } }
      : {}),
  }));
  return sarifLog({ name: 'secure-repo', version: opts.version }, rules, results, { stats: result.stats });
}
