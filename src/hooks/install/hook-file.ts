import { RUNNER_FILE } from '../layout.js';

/**
 * Our hook line inside a shell hook file. `$0` is the hook file itself, always given with its folder (git runs
 * `.git/hooks/<name>` or `<core.hooksPath>/<name>`, husky `sh -e .husky/<name>`), so `${0%/*}` finds the runner next
 * to it without a `dirname` process. `alone`: nothing follows our line (a hook file we generated), so stdin needs
 * no copy for later commands.
 */
function hookLine(hook: string, alone = false): string {
  const run = `sh "\${0%/*}/${RUNNER_FILE}" ${hook} "$@"`;
  // Hooks fed on stdin: our check reads a copy, and the user's commands after this line get the same input.
  if (STDIN_HOOKS.has(hook) && !alone) {
    return `sr_in=$(mktemp) || exit 2; [ -t 0 ] || cat >"$sr_in"; ${run} <"$sr_in" || { sr_rc=$?; rm -f "$sr_in"; exit $sr_rc; }; exec <"$sr_in"; rm -f "$sr_in" # secure-repo`;
  }
  // `|| exit`: a user's hook without `set -e` (husky 8, plain .githooks) would otherwise go on and commit anyway.
  return `${run} || exit $? # secure-repo`;
}

const STDIN_HOOKS = new Set(['pre-push', 'post-rewrite', 'reference-transaction']);

const LINE_RE = new RegExp(
  `^[^\\n]*${RUNNER_FILE.replace('.', '\\.')}"? [a-z-]+[^\\n]*# secure-repo[ \\t]*\\r?\\n?`,
  'm',
);

/** A stand-alone hook file (git manager, or a husky hook that did not exist). */
export function stubBody(hook: string, shebang: boolean): string {
  const head = shebang ? '#!/bin/sh\n' : '';
  return `${head}${hookLine(hook, true)}\n`;
}

export function hasHookLine(text: string): boolean {
  return LINE_RE.test(text);
}

/**
 * Puts our line into a hook file the user already has, before their commands (secrets are checked first, then
 * their commands run as before). Shebang, comments and husky v8's `. "$(dirname -- "$0")/_/husky.sh"` stay on top.
 */
export function insertHookLine(text: string, hook: string): string {
  // Already there: brought up to the current line (older installs lacked `|| exit $?`), nothing else changes.
  if (hasHookLine(text)) return text.replace(LINE_RE, (m) => `${hookLine(hook)}${/\r?\n$/.exec(m)?.[0] ?? ''}`);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  let at = 0;
  while (at < lines.length) {
    const l = lines[at]!.trim();
    if (l.startsWith('#') || l === '' || /_\/husky\.sh"?\s*$/.test(l)) at++;
    else break;
  }
  // Keep any blank lines after the header below our line.
  while (at > 0 && lines[at - 1]!.trim() === '') at--;
  lines.splice(at, 0, hookLine(hook));
  const out = lines.join(eol);
  return text.length === 0 ? `${out}${eol}` : out;
}

/** Removes our line and nothing else. */
export function stripHookLine(text: string): string {
  return text.replace(LINE_RE, '');
}
