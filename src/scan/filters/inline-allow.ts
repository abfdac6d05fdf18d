/**
 * Inline suppression. A finding is allowed when its line carries `secure-repo:allow`, or the markers other scanners
 * use (`gitleaks:allow`, detect-secrets' `pragma: allowlist secret`) so retrofitted repositories keep working.
 * The marker must be on the line where the finding starts; `secure-repo:allow-next-line` on the line above works
 * for files where a trailing comment is impossible.
 */
const SAME_LINE = ['secure-repo:allow', 'gitleaks:allow', 'pragma: allowlist secret'];
const NEXT_LINE = ['secure-repo:allow-next-line', 'pragma: allowlist nextline secret'];

export function lineAllows(line: string): boolean {
  for (const m of SAME_LINE) if (line.includes(m) && !line.includes(`${m}-next-line`)) return true;
  return false;
}

export function previousLineAllows(line: string): boolean {
  for (const m of NEXT_LINE) if (line.includes(m)) return true;
  return false;
}
