import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { git } from '../core/git.js';
import type { FileIntent } from '../changes/types.js';
import type { Finding } from '../scan/types.js';

/** Where init records the findings already in the repository when it is set up. */
export const BASELINE_FILE = '.secure-repo/baseline.json';

export interface ExistingFindings {
  /** HEAD when scanned: commits reachable from it existed before secure-repo (the push hook's signing check skips them). */
  head: string | null;
  commits: number;
  ms: number;
  /** Secrets anywhere in history, and SAST findings in the current code. */
  findings: Finding[];
  /** Findings that look like real credentials: recording them does not make them safe, they must be rotated. */
  live: Finding[];
}

const TEST_PATH =
  /(^|\/)(tests?|__tests__|spec|specs|fixtures?|testdata|examples?|samples?|docs?|mocks?|vendor|third_party|node_modules)\//i;
const TEST_FILE = /(^|\/)(test_[^/]*|[^/]*_test\.[a-z]+|[^/]*\.(test|spec)\.[a-z]+|conftest\.py)$/i;
const EXAMPLE_HOST =
  /@(localhost|127\.0\.0\.1|example\.(com|org|net)|[\w.-]*\.example|[\w.-]*\.test|[\w.-]*\.invalid)\b/i;

/**
 * A finding that looks live: a secret a provider issued (not a generic assignment or a URL with a password), outside
 * tests, examples and docs. Recording it in the baseline stops it blocking; it does not un-leak it.
 */
function looksLive(f: Finding): boolean {
  if (f.kind !== 'secret') return false;
  if (f.rule.startsWith('generic')) return false;
  if (f.rule === 'url-credentials' && (EXAMPLE_HOST.test(f.match ?? '') || EXAMPLE_HOST.test(f.lineText ?? '')))
    return false;
  return !TEST_PATH.test(f.file) && !TEST_FILE.test(f.file);
}

/**
 * Scans what the repository already holds, once, at init: secrets in every commit of its history and SAST findings
 * in the current code. Read-only; progress goes to `onProgress`.
 */
export async function scanExisting(
  root: string,
  config: Config,
  onProgress?: (done: number, total: number) => void,
): Promise<ExistingFindings> {
  const { runScan } = await import('../scan/run.js');
  const hasCommits = (await git(['rev-parse', '--verify', '-q', 'HEAD'], { cwd: root, allowFailure: true })) !== null;
  const scanConfig = { ...config, scan: { ...config.scan, baseline: null } };
  const started = performance.now();
  let commits = 0;
  const findings: Finding[] = [];
  if (hasCommits) {
    const history = await runScan({
      root,
      cwd: root,
      source: 'history',
      secrets: true,
      sast: false,
      config: scanConfig,
      baseline: null,
      ...(onProgress ? { onProgress } : {}),
    });
    commits = history.stats.commits;
    findings.push(...history.findings);
  }
  if (config.scan.sast.enabled) {
    const code = await runScan({
      root,
      cwd: root,
      source: 'files',
      secrets: false,
      sast: true,
      config: scanConfig,
      baseline: null,
    });
    findings.push(...code.findings);
  }
  const head = hasCommits ? await git(['rev-parse', 'HEAD'], { cwd: root }) : null;
  return { head, commits, ms: Math.round(performance.now() - started), findings, live: findings.filter(looksLive) };
}

interface BaselineEntry {
  fingerprint: string;
  kind: string;
  rule: string;
  file: string;
  line: number;
  commit?: string;
}

/** The baseline file: fingerprints only (never a secret), with rule, file and line so a reviewer can read it. */
function baselineText(found: ExistingFindings): string {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const f of found.findings) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    entries.push({
      fingerprint: f.fingerprint,
      kind: f.kind,
      rule: f.rule,
      file: f.file,
      line: f.line,
      ...(f.commit ? { commit: f.commit.slice(0, 12) } : {}),
    });
  }
  entries.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
  return `${JSON.stringify({ version: 1, tool: 'secure-repo', ...(found.head ? { head: found.head } : {}), note: 'Findings already in this repository when secure-repo was set up, reviewed and accepted: hooks and CI skip them, new ones still block. Remove an entry to make it block again. Commits up to head predate secure-repo: the push hook does not ask for their signatures.', findings: entries }, null, 2)}\n`;
}

/** The baseline as a change in init's plan: created once; an existing baseline is the user's reviewed record. */
export function baselineIntent(found: ExistingFindings): FileIntent {
  return {
    kind: 'file',
    path: BASELINE_FILE,
    reason:
      found.commits === 0
        ? 'no history yet: everything committed from now on is checked (the record of what was there when secure-repo was set up)'
        : `${found.findings.length} finding${found.findings.length === 1 ? '' : 's'} already in the history and code, recorded as reviewed: only new ones block`,
    stage: 'code',
    render: (current) => ({ content: current ?? baselineText(found) }),
  };
}

/** What init prints about the findings it recorded, and plainly which ones must be rotated anyway. */
export function describeExisting(
  found: ExistingFindings,
  c: { bold(s: string): string; dim(s: string): string; red(s: string): string },
): string {
  const secs = (found.ms / 1000).toFixed(1);
  const what = `${found.commits} commit${found.commits === 1 ? '' : 's'} of history and the current code scanned in ${secs} s`;
  if (found.findings.length === 0) return `${c.bold('Existing findings')}: none (${what}).\n`;
  const line = (f: Finding) =>
    `  ${f.rule.padEnd(22)} ${f.file}:${f.line}${f.commit ? c.dim(` (commit ${f.commit.slice(0, 10)})`) : ''}`;
  const lines = [
    `${c.bold('Existing findings')}: ${found.findings.length} (${what}). They are recorded as reviewed in ${BASELINE_FILE}:`,
    '  hooks and CI skip them, so only new findings block. Remove an entry there to make it block again.',
    ...found.findings.slice(0, 10).map(line),
  ];
  if (found.findings.length > 10)
    lines.push(c.dim(`  … and ${found.findings.length - 10} more (all listed in ${BASELINE_FILE})`));
  if (found.live.length > 0) {
    lines.push(
      c.red(
        `Rotate ${found.live.length === 1 ? 'this one' : `these ${found.live.length}`} anyway: ${found.live.length === 1 ? 'it looks' : 'they look'} like real credentials, and anyone with a clone has ${found.live.length === 1 ? 'it' : 'them'}; recording does not make ${found.live.length === 1 ? 'it' : 'them'} safe:`,
      ),
      ...found.live.slice(0, 10).map(line),
    );
  }
  return lines.join('\n') + '\n';
}

/** A re-run: the baseline recorded earlier is the user's reviewed record, shown as up to date and never rewritten. */
export function keptBaseline(root: string, configured: string | null): FileIntent[] {
  const file = configured ?? BASELINE_FILE;
  if (!existsSync(path.join(root, file))) return [];
  return [
    {
      kind: 'file',
      path: file,
      reason: 'the findings recorded as reviewed when secure-repo was set up',
      stage: 'code',
      render: (current) => (current === null ? { skip: 'not present' } : { content: current }),
    },
  ];
}
