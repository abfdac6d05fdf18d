import type { Palette } from '../../core/style.js';
import type { Finding } from '../../scan/types.js';

function count(findings: Finding[]): string {
  const secrets = findings.filter((f) => f.kind === 'secret').length;
  const sast = findings.length - secrets;
  const parts: string[] = [];
  if (secrets) parts.push(`${secrets} secret${secrets === 1 ? '' : 's'}`);
  if (sast) parts.push(`${sast} code issue${sast === 1 ? '' : 's'}`);
  return parts.join(' and ');
}

const BYPASS_NOTE = 'CI runs the same scan on the server, so a bypassed finding still fails there.';

/** What the pre-commit hook adds after the scanner's report (which already says how to rotate and allow). */
export function preCommitBlocked(findings: Finding[], c: Palette): string {
  const lines = [
    '',
    c.red(c.bold(`secure-repo: commit blocked: ${count(findings)} in the staged changes (nothing was committed).`)),
  ];
  if (findings.some((f) => f.kind === 'secret'))
    lines.push('  The value is only in your files and index so far: remove it, `git add` the file, and commit again.');
  if (findings.some((f) => f.kind === 'sast'))
    lines.push('  Fix the code as each finding describes, `git add` the file, and commit again.');
  lines.push(
    `  Bypass, if you must: \`git commit --no-verify\` or \`SECURE_REPO_SKIP=1 git commit ...\`. ${BYPASS_NOTE}`,
    '',
  );
  return lines.join('\n');
}

/**
 * Where an interactive rebase must start to reach every commit in `commits` (oldest first is what matters): the
 * parent of the oldest, or `--root` when the oldest is the repository's first commit (it has no parent to name).
 */
export interface RebaseStart {
  /** The oldest commit to rewrite. */
  oldest: string;
  root: boolean;
}

const rebaseFrom = (start: RebaseStart): string => (start.root ? '--root' : `${start.oldest.slice(0, 12)}^`);

/** What the pre-push hook adds after the scanner's report: the history has to change, before anything is pushed. */
export function prePushBlocked(findings: Finding[], c: Palette, start: RebaseStart | null = null): string {
  const commits = [...new Set(findings.map((f) => f.commit).filter((s): s is string => Boolean(s)))];
  const lines = [
    '',
    c.red(
      c.bold(
        `secure-repo: push blocked: ${count(findings)} in the commits this push would publish (nothing was pushed).`,
      ),
    ),
    '  It is in history even if a later commit deleted it. Those commits are not on the remote yet, so rewrite them',
    '  locally (no force push needed):',
    '    - in the last commit: remove it, `git add` the file, then `git commit --amend`;',
  ];
  if (commits.length > 0 && start) {
    const short = commits.map((s) => s.slice(0, 12));
    lines.push(
      `    - in an earlier one: \`git rebase -i ${rebaseFrom(start)}\`, mark ${short.join(', ')} as \`edit\`, remove it,`,
    );
  } else {
    lines.push(
      '    - in an earlier one: `git rebase -i <commit>^` (`--root` for the first commit), mark that commit as `edit`, remove it,',
    );
  }
  lines.push(
    '      `git add` + `git commit --amend`, then `git rebase --continue`.',
    `  Bypass, if you must: \`git push --no-verify\` or \`SECURE_REPO_SKIP=1 git push ...\`. ${BYPASS_NOTE}`,
    '',
  );
  return lines.join('\n');
}

export function unsignedBlocked(
  unsigned: { sha: string; subject: string }[],
  branch: string,
  c: Palette,
  start: RebaseStart | null = null,
): string {
  const shown = unsigned.slice(0, 10).map((u) => `  ${u.sha.slice(0, 12)} ${u.subject}`);
  if (unsigned.length > 10) shown.push(`  ... and ${unsigned.length - 10} more`);
  return [
    '',
    c.red(
      c.bold(
        `secure-repo: push blocked: ${unsigned.length} commit${unsigned.length === 1 ? ' is' : 's are'} not signed, and ${branch} requires signed commits:`,
      ),
    ),
    ...shown,
    'How to fix:',
    '  1. Set up signing once: `secure-repo signing` (`npx secure-repo signing` in a Node project that installs it; SSH',
    '     signing with your existing key), and add the key to',
    '     GitHub as a *signing* key (Settings → SSH and GPG keys).',
    `  2. Re-sign the commits: \`git rebase --exec "git commit --amend --no-edit -S" ${start ? rebaseFrom(start) : '<first-unsigned>^'}\``,
    '     (or `git commit --amend -S --no-edit` for the last commit only), then push again.',
    `Skip only this check: \`SECURE_REPO_SKIP=signing git push ...\` (the branch protection will still refuse unsigned commits).`,
    '',
  ].join('\n');
}

export function checkFailed(what: string, command: string, code: number, verb: 'commit' | 'push', c: Palette): string {
  return [
    '',
    c.red(c.bold(`secure-repo: ${verb} blocked: ${what} \`${command}\` failed (exit ${code}).`)),
    `Fix what it reports and try again. To skip it once: \`SECURE_REPO_SKIP=${what === 'the tests' ? 'tests' : 'checks'} git ${verb} ...\`.`,
    '',
  ].join('\n');
}

export function warningsOnly(findings: Finding[], c: Palette): string {
  return c.yellow(`secure-repo: ${count(findings)} below the failing severity (not blocking); review them above.\n`);
}

/** Unsigned commits pushed to another branch: a heads-up, not a block (a squash merge can still land them). */
export function unsignedWarning(count: number, branch: string, c: Palette): string {
  return (
    c.yellow(
      `secure-repo: ${count} pushed commit${count === 1 ? ' is' : 's are'} not signed. ${branch} requires signed commits, so `,
    ) +
    c.yellow(
      `${count === 1 ? 'it' : 'they'} can reach it only through a squash merge. Sign yours from now on: \`secure-repo signing\`.\n`,
    )
  );
}
