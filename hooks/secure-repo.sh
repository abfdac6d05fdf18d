#!/bin/sh
# secure-repo hook runner (POSIX sh). Every installed hook calls it: `sh <this file> <hook-name> [git's hook args]`.
#
# 1. SECURE_REPO_SKIP=1 skips our checks (said plainly: CI runs the same scan on the server).
# 2. Finds the secure-repo CLI without trusting the shell's PATH (GUI git clients have a minimal one): the node and
#    CLI recorded at install time (git config secure-repo.node / secure-repo.cli), then node_modules, then PATH.
#    If it cannot be found or cannot start, the hook FAILS with a fix-it message: it never lets a commit through
#    unchecked without saying so.
# 3. Runs the hooks that were active before secure-repo was installed (git config secure-repo.chain, else
#    .git/hooks), after our checks pass, with the same arguments and the same stdin.

# `--managed`: called by a hook manager (pre-commit framework, lefthook) that runs the other hooks itself.
sr_managed=
if [ "${1:-}" = "--managed" ]; then sr_managed=1; shift; fi

sr_hook=${1:-}
[ -n "$sr_hook" ] || { echo "secure-repo: the hook runner needs a hook name." >&2; exit 2; }
shift

# A hook that runs git that runs this hook again must not loop.
if [ "${SECURE_REPO_HOOK_DEPTH:-0}" -gt 2 ] 2>/dev/null; then exit 0; fi
SECURE_REPO_HOOK_DEPTH=$(( ${SECURE_REPO_HOOK_DEPTH:-0} + 1 ))
export SECURE_REPO_HOOK_DEPTH

# git runs hooks from the top of the work tree (so do pre-commit and lefthook): no need to ask git for it.
# ($PWD, checked by the shell at start-up, is that folder without a subshell: every process costs milliseconds.)
sr_root=${PWD:-$(pwd)}

# Our settings for this clone, read with one git call (each call costs milliseconds on every commit).
sr_cfg_node='' sr_cfg_cli='' sr_cfg_chain=''
sr_cfg=$(git config --get-regexp '^secure-repo\.' 2>/dev/null)
if [ -n "$sr_cfg" ]; then
  sr_nl='
'
  sr_rest=$sr_cfg
  while [ -n "$sr_rest" ]; do
    case "$sr_rest" in *"$sr_nl"*) sr_line=${sr_rest%%"$sr_nl"*}; sr_rest=${sr_rest#*"$sr_nl"} ;; *) sr_line=$sr_rest; sr_rest= ;; esac
    case "$sr_line" in
      "secure-repo.node "*) sr_cfg_node=${sr_line#secure-repo.node } ;;
      "secure-repo.cli "*) sr_cfg_cli=${sr_line#secure-repo.cli } ;;
      "secure-repo.chain "*) sr_cfg_chain=${sr_line#secure-repo.chain } ;;
    esac
  done
fi

# The hook that was active before us, to run after our checks (sr_prev, empty when there is none): the folder in
# git config secure-repo.chain, else .git/hooks; never our own folder (that would run these checks twice).
sr_prev=
sr_find_prev() {
  [ -n "${SECURE_REPO_SELFTEST:-}" ] && return 0
  [ -n "$sr_managed" ] && return 0
  sr_chain=$sr_cfg_chain
  if [ -z "$sr_chain" ]; then
    sr_chain=$(git rev-parse --git-common-dir 2>/dev/null) && sr_chain="$sr_chain/hooks"
  fi
  [ "$sr_chain" = none ] && return 0
  case "$sr_chain" in /*) ;; *) sr_chain="$sr_root/$sr_chain" ;; esac
  [ -f "$sr_chain/$sr_hook" ] && [ -x "$sr_chain/$sr_hook" ] || return 0
  case "$0" in */*) sr_self=${0%/*} ;; *) sr_self=. ;; esac
  [ "$(cd "$sr_chain" 2>/dev/null && pwd -P)" = "$(cd "$sr_self" 2>/dev/null && pwd -P)" ] && return 0
  sr_prev="$sr_chain/$sr_hook"
}
sr_find_prev

# pre-push gets its ref lines on stdin. When a chained hook needs them too, keep a copy so both can read them;
# otherwise our check reads git's stdin directly (no temporary file, no extra processes).
sr_input=
if [ "$sr_hook" = pre-push ] && [ -n "$sr_prev" ]; then
  sr_input=$(mktemp "${TMPDIR:-/tmp}/secure-repo-stdin.XXXXXX") || exit 2
  trap 'rm -f "$sr_input"' EXIT
  # Run by hand from a terminal there is nothing to read (and cat would wait forever).
  [ -t 0 ] || cat > "$sr_input"
fi

sr_run_stdin() {
  if [ -n "$sr_input" ]; then "$@" < "$sr_input"; else "$@"; fi
}

# --- skip switches ------------------------------------------------------------------------------------------------
sr_skip_all=
case ",${SECURE_REPO_SKIP:-}," in
  *,1,*|*,all,*|*,true,*|*,yes,*) sr_skip_all=1 ;;
esac

# --- locating node and the CLI ------------------------------------------------------------------------------------
sr_find_node() {
  sr_node=$sr_cfg_node
  if [ -n "$sr_node" ] && [ -x "$sr_node" ]; then return 0; fi
  sr_node=$(command -v node 2>/dev/null) && [ -n "$sr_node" ] && return 0
  # The user's own start-up file for hooks (nvm, volta, asdf users put their PATH set-up here), as husky does.
  for sr_init in "${XDG_CONFIG_HOME:-$HOME/.config}/secure-repo/init.sh" "${XDG_CONFIG_HOME:-$HOME/.config}/husky/init.sh"; do
    # shellcheck disable=SC1090
    [ -f "$sr_init" ] && . "$sr_init"
  done
  sr_node=$(command -v node 2>/dev/null) && [ -n "$sr_node" ] && return 0
  for sr_candidate in "$HOME/.volta/bin/node" /opt/homebrew/bin/node /usr/local/bin/node /usr/bin/node; do
    if [ -x "$sr_candidate" ]; then sr_node=$sr_candidate; return 0; fi
  done
  sr_node=
  return 1
}

# Sets sr_cmd_node + sr_cmd_cli (run as "$node" "$cli") or sr_cmd_bin (an executable on PATH).
sr_locate() {
  sr_cmd_node='' sr_cmd_cli='' sr_cmd_bin='' sr_looked=''
  if [ -n "${SECURE_REPO_CLI:-}" ]; then set -- "$SECURE_REPO_CLI"; else set --; fi
  sr_recorded=$sr_cfg_cli
  for sr_cli in "$@" "$sr_recorded" \
      "$sr_root/node_modules/create-secure-repo/bin/secure-repo.js" \
      "$sr_root/node_modules/.bin/secure-repo"; do
    [ -n "$sr_cli" ] || continue
    sr_looked="$sr_looked $sr_cli"
    if [ -f "$sr_cli" ]; then
      if sr_find_node; then sr_cmd_node=$sr_node; sr_cmd_cli=$sr_cli; return 0; fi
      sr_looked="$sr_looked (found, but no node to run it)"
    fi
  done
  sr_cmd_bin=$(command -v secure-repo 2>/dev/null) && [ -n "$sr_cmd_bin" ] && return 0
  sr_looked="$sr_looked, secure-repo on PATH"
  sr_cmd_bin=
  return 1
}

sr_tool() {
  if [ -n "$sr_cmd_bin" ]; then sr_run_stdin "$sr_cmd_bin" "$@"; else sr_run_stdin "$sr_cmd_node" "$sr_cmd_cli" "$@"; fi
}

# The hooks' own entry beside the CLI (bin/hook.cjs) starts faster than the CLI (no ES module loader, a code cache);
# a CLI without one (an older install, or secure-repo on PATH) runs `secure-repo hook <name>` as before.
sr_run_hook() {
  sr_entry=${sr_cmd_cli%/secure-repo.js}/hook.cjs
  if [ -z "$sr_cmd_bin" ] && [ -f "$sr_entry" ]; then sr_run_stdin "$sr_cmd_node" "$sr_entry" "$@"; else sr_tool hook "$@"; fi
}

sr_repair_hint() {
  cat >&2 <<EOF
secure-repo: to repair: run \`npm install\` (Node projects) or \`npx create-secure-repo hook install\`,
  then \`npx secure-repo doctor\` to check. To commit or push anyway: \`git $1 --no-verify\` or
  SECURE_REPO_SKIP=1 git $1 ... (CI runs the same scan on the server).
EOF
}

# `sh secure-repo.sh locate` prints what the hooks would run; doctor uses it.
if [ "$sr_hook" = "locate" ]; then
  if sr_locate; then
    if [ -n "$sr_cmd_bin" ]; then echo "bin $sr_cmd_bin"; else echo "node $sr_cmd_node"; echo "cli $sr_cmd_cli"; fi
    exit 0
  fi
  echo "missing$sr_looked"
  exit 1
fi

# --- our checks ---------------------------------------------------------------------------------------------------
case "$sr_hook" in
  pre-commit|pre-push)
    sr_verb=commit; [ "$sr_hook" = pre-push ] && sr_verb=push
    if [ -n "$sr_skip_all" ]; then
      echo "secure-repo: $sr_hook checks skipped (SECURE_REPO_SKIP=${SECURE_REPO_SKIP}); CI will scan this change again." >&2
    elif sr_locate; then
      sr_run_hook "$sr_hook" "$@"
      sr_code=$?
      if [ "$sr_code" -ne 0 ]; then
        if [ "$sr_code" -ne 1 ]; then
          echo "secure-repo: the $sr_hook check could not run (exit $sr_code), so the $sr_verb was stopped." >&2
          sr_repair_hint "$sr_verb"
        fi
        exit 1
      fi
    else
      echo "secure-repo: the $sr_hook check cannot run: the secure-repo tool was not found (looked at:$sr_looked), so the $sr_verb was stopped." >&2
      sr_repair_hint "$sr_verb"
      exit 1
    fi
    ;;
esac

# --- hooks that were active before us -----------------------------------------------------------------------------
[ -n "$sr_prev" ] || exit 0
sr_run_stdin "$sr_prev" "$@"
exit $?
