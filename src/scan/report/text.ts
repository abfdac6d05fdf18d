import path from 'node:path';
import { SEVERITIES, type Config, type Severity } from '../../config/types.js';
import { palette, type Palette } from '../../core/style.js';
import type { ScanResult } from '../run.js';
import type { Finding } from '../types.js';

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The findings at or above `scan.failOn`: what makes a scan or hook fail. Test-code findings never do. */
export function blocking(result: ScanResult, config: Config): Finding[] {
  const min = severityRank(config.scan.failOn);
  return result.findings.filter((f) => !f.testCode && severityRank(f.severity) >= min);
}

/** Root-relative finding path → path relative to the current directory (what the user types next). */
export function displayPath(file: string, root: string, cwd: string): string {
  const rel = path.relative(cwd, path.join(root, file));
  return (rel || file).split(path.sep).join('/');
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** One line of counts: what was scanned and what was skipped and why (a scan of nothing must never look clean). */
export function statsLine(result: ScanResult): string {
  const s = result.stats;
  // Commit sources count one file per commit that changed it.
  const unit = s.commits > 0 ? 'file change' : 'file';
  const parts = [`${s.files} ${unit}${s.files === 1 ? '' : 's'}`, mb(s.bytes)];
  if (s.commits > 0) parts.push(`${s.commits} commit${s.commits === 1 ? '' : 's'}`);
  const skipped = Object.entries(s.skipped)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k === 'tooLarge' ? 'too large' : k === 'allowedPath' ? 'allowed by path' : k}`);
  return `scanned ${parts.join(', ')} in ${s.ms} ms${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`;
}

/** The all-clear line names only the checks that ran, so a secrets-only scan never claims a SAST pass. */
function nothingFound(result: ScanResult, c: Palette): string {
  const { secrets, sast } = result.engines ?? { secrets: true, sast: true };
  if (secrets && sast) return c.green('No secrets or SAST findings.');
  if (secrets) return c.green('No secrets found.');
  if (sast) return c.green('No SAST findings.');
  return c.yellow(
    'Nothing was checked: no detector ran (SAST is off in .secure-repo.yml or not available for this source).',
  );
}

/**
 * Human output: each finding with file:line:column, severity, rule, the redacted value and the commit when there
 * is one, then what to do: rotate first, then remove, then purge history, and how to allow a false positive.
 */
export function formatText(result: ScanResult, opts: { color: boolean; cwd: string; root: string }): string {
  const c = palette(opts.color);
  const out: string[] = [];
  const sevColor = (s: Severity) =>
    severityRank(s) >= severityRank('high') ? c.red : severityRank(s) >= severityRank('medium') ? c.yellow : c.dim;
  for (const f of result.findings) {
    const where = `${displayPath(f.file, opts.root, opts.cwd)}:${f.line}:${f.column}`;
    out.push(`${c.bold(where)}  ${sevColor(f.severity)(f.severity)}  ${c.cyan(f.rule)}  ${f.message}`);
    if (f.secret) out.push(`    ${c.dim('value:')} ${f.secret}`);
    if (f.commit) out.push(`    ${c.dim('commit:')} ${f.commit}`);
    // the taint path, when the value came from elsewhere: `from: line 5 const { host } = req.query`
    if (f.flow && f.flow.length > 1)
      out.push(
        `    ${c.dim('from:')} ${f.flow
          .slice(0, -1)
          .map((s) => `line ${s.line} ${s.text.trim()}`)
          .join(c.dim(' -> '))}`,
      );
    if (f.testCode) out.push(`    ${c.dim('test code: reported at low severity, never blocks (scan.sast.testFiles)')}`);
    if (f.remediation && f.kind === 'sast') out.push(`    ${c.dim('fix:')} ${f.remediation}`);
  }
  const secrets = result.findings.filter((f) => f.kind === 'secret');
  if (result.findings.length === 0) {
    out.push(nothingFound(result, c));
  } else {
    out.push('');
    out.push(`${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}.`);
  }
  if (secrets.length > 0) {
    // Provider-specific rotation steps (at most three kinds), without the generic "then remove it" tail.
    const rotate = [
      ...new Set(
        secrets
          .map((f) => f.remediation?.replace(/ Then remove it from the code\.$/, ''))
          .filter((r) => r && !r.startsWith('Rotate the credential at its provider')),
      ),
    ].slice(0, 3);
    out.push(c.bold('What to do about a leaked secret:'));
    out.push('  1. Rotate it first: anyone who saw the code, a clone or a CI log may have it.');
    for (const r of rotate) out.push(`     ${r}`);
    out.push('  2. Remove it from the code; read it from the environment or a secrets manager instead.');
    out.push('  3. If it was committed: rewriting history does not un-leak it, but once rotated you can purge it with');
    out.push(
      '     `git filter-repo --replace-text <file-listing-the-secret>` and a force push (coordinate with your team).',
    );
    out.push(
      '  Not a secret? Add `secure-repo:allow` in a comment on that line, list the value (or sha256:<hex>) under',
    );
    out.push(
      '  scan.allowValues in .secure-repo.yml, or record accepted findings with `secure-repo scan --write-baseline FILE`.',
    );
  }
  out.push(c.dim(statsLine(result)));
  return `${out.join('\n')}\n`;
}
