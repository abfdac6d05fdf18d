import type { Severity } from '../../config/types.js';
import { BUILTIN_RULES } from '../secrets/rules/index.js';
import type { ScanResult } from '../run.js';
import type { FlowStep } from '../types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning ranks security results by this 0-10 score. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

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
 * SARIF 2.1.0 as GitHub code scanning accepts it: one run, rules with help and security-severity, results with
 * repository-relative URIs and partialFingerprints (so alerts track the secret across line moves).
 */
export function formatSarif(result: ScanResult, opts: { version: string }): string {
  const ruleIds = [...new Set(result.findings.map((f) => f.rule))].sort();
  const known = new Map(BUILTIN_RULES.map((r) => [r.id, r]));
  const rules = ruleIds.map((id) => {
    const sample = result.findings.find((f) => f.rule === id)!;
    const builtin = known.get(id);
    const help = sample.remediation ?? 'Review and fix this finding.';
    return {
      id,
      name: id.replace(/(^|-)([a-z0-9])/g, (_m, _d, ch: string) => ch.toUpperCase()),
      shortDescription: { text: builtin?.description ?? sample.message },
      fullDescription: { text: builtin?.description ?? sample.message },
      help: { text: help, markdown: help },
      defaultConfiguration: { level: LEVEL[sample.severity] },
      properties: {
        // GitHub code scanning reads CWE ids from `external/cwe/cwe-N` tags
        tags: [
          'security',
          sample.kind === 'secret' ? 'secret' : 'sast',
          ...(sample.cwe ? [`external/cwe/${sample.cwe.toLowerCase()}`] : []),
          ...(sample.owasp ? [`external/owasp/${sample.owasp.slice(0, 3).toLowerCase()}`] : []),
        ],
        ...(sample.cwe ? { cwe: sample.cwe } : {}),
        ...(sample.owasp ? { owasp: sample.owasp } : {}),
        'security-severity': SECURITY_SEVERITY[sample.severity],
        precision: builtin?.tier === 'generic' ? 'medium' : 'high',
      },
    };
  });
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const results = result.findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule)!,
    level: LEVEL[f.severity],
    message: { text: f.secret ? `${f.message}: ${f.secret}${f.commit ? ` (commit ${f.commit.slice(0, 12)})` : ''}` : f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: f.file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: f.line,
            startColumn: f.column,
            endLine: f.endLine ?? f.line,
            endColumn: Math.max(f.endColumn ?? f.column + 1, 1),
          },
        },
      },
    ],
    partialFingerprints: { 'secureRepo/v1': f.fingerprint },
    // The taint path, source first and sink last, as one thread flow.
    ...(f.flow ? { codeFlows: [{ threadFlows: [{ locations: f.flow.map((step, i) => threadFlowLocation(f.file, step, i, f.flow!.length)) }] }] } : {}),
    ...(f.commit || f.testCode ? { properties: { ...(f.commit ? { commit: f.commit } : {}), ...(f.testCode ? { testCode: true } : {}) } } : {}),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secure-repo',
            semanticVersion: opts.version,
            informationUri: 'https://www.npmjs.com/package/create-secure-repo',
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root.' } } },
        results,
        properties: { stats: result.stats },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
