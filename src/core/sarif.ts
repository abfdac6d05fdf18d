/**
 * The one SARIF 2.1.0 writer: scan findings and audit checks both come out through it, as GitHub code scanning
 * accepts them (repository-relative URIs under %SRCROOT%, rules with help and security-severity, and a stable
 * partialFingerprints value so an alert follows its finding across runs).
 */

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifRule {
  id: string;
  description: string;
  help: string;
  level: SarifLevel;
  /** GitHub ranks security results by this 0-10 score. */
  securitySeverity: string;
  tags: string[];
  precision?: 'very-high' | 'high' | 'medium' | 'low';
  /** More rule properties (e.g. `cwe`, `owasp`). */
  extra?: Record<string, unknown>;
}

export interface SarifResult {
  ruleId: string;
  level: SarifLevel;
  message: string;
  /** Repository-relative path (posix). */
  path: string;
  region: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number };
  fingerprint: string;
  /** A taint path, as SARIF code flows. */
  codeFlows?: unknown[];
  properties?: Record<string, unknown>;
}

const pascal = (id: string) => id.replace(/(^|-)([a-z0-9])/g, (_m, _d, ch: string) => ch.toUpperCase());

export function sarifLog(
  tool: { name: string; version: string },
  rules: SarifRule[],
  results: SarifResult[],
  runProperties?: Record<string, unknown>,
): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            semanticVersion: tool.version,
            informationUri: 'https://www.npmjs.com/package/create-secure-repo',
            rules: rules.map((r) => ({
              id: r.id,
              name: pascal(r.id),
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              help: { text: r.help, markdown: r.help },
              defaultConfiguration: { level: r.level },
              properties: {
                tags: r.tags,
                ...(r.extra ?? {}),
                'security-severity': r.securitySeverity,
                ...(r.precision ? { precision: r.precision } : {}),
              },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root.' } } },
        results: results.map((x) => ({
          ruleId: x.ruleId,
          ruleIndex: index.get(x.ruleId)!,
          level: x.level,
          message: { text: x.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: x.path.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
                region: x.region,
              },
            },
          ],
          partialFingerprints: { 'secureRepo/v1': x.fingerprint },
          ...(x.codeFlows ? { codeFlows: x.codeFlows } : {}),
          ...(x.properties ? { properties: x.properties } : {}),
        })),
        ...(runProperties ? { properties: runProperties } : {}),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
