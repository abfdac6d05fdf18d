import type { ScanResult } from '../run.js';
import { displayPath } from './text.js';

/** The contract's JSON: explicit fields only, so internal values (the raw match, the line text) never leak. */
export function formatJson(result: ScanResult, opts: { cwd: string; root: string }): string {
  const body = {
    version: 1,
    findings: result.findings.map((f) => ({
      kind: f.kind,
      rule: f.rule,
      severity: f.severity,
      file: displayPath(f.file, opts.root, opts.cwd),
      line: f.line,
      column: f.column,
      endLine: f.endLine ?? f.line,
      endColumn: f.endColumn ?? f.column,
      commit: f.commit,
      message: f.message,
      secret: f.secret ?? null,
      fingerprint: f.fingerprint,
      remediation: f.remediation ?? null,
      // SAST only: the weakness, the OWASP category, where the value came from, and whether it is test code
      ...(f.cwe ? { cwe: f.cwe } : {}),
      ...(f.owasp ? { owasp: f.owasp } : {}),
      ...(f.flow ? { flow: f.flow.map((s) => ({ line: s.line, column: s.column, code: s.text })) } : {}),
      ...(f.testCode ? { testCode: true } : {}),
    })),
    stats: result.stats,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
