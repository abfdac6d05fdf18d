import type { Stage } from '../config/types.js';

/** What a planned change will do, as the contract's JSON reports it. */
export type Action = 'create' | 'update' | 'unchanged' | 'skip' | 'remove';

/** What a change did or will do; `failed` only after apply (an API refused, a command exited non-zero). */
export type ChangeAction = Action | 'failed';

/**
 * One model of a change, for everything that plans and applies: init's files, git config and installs, protect's
 * API settings, uninstall's restores. The contract's JSON (`{"action","target","reason"}`) is this shape.
 */
export interface Change {
  action: ChangeAction;
  target: string;
  reason: string;
  /** A short remark shown after the action (why skipped, what remains). */
  note?: string;
  detail?: string[];
  /** Skipped because the token lacks a permission: the one GitHub names (`X-Accepted-GitHub-Permissions`), in words, e.g. "Administration: read". */
  needs?: string;
}

/** What a file intent's render decides for the file. */
export type Rendered =
  | { content: string } // write this (create or update; equal to current = unchanged)
  | { skip: string } // leave the file alone, with the reason shown to the user
  | { remove: true }; // delete the file (uninstall)

/**
 * A file we want in a given state, described as a pure function of its current content (null = absent).
 * Generated files, merges into the user's YAML/JSON and uninstall edits are all this one shape, so plan can say
 * create/update/unchanged/skip without writing anything, and apply only writes what plan showed.
 */
export interface FileIntent {
  kind: 'file';
  /** Repository-relative POSIX path. */
  path: string;
  reason: string;
  stage?: Stage;
  /** File mode to set (hooks: 0o755). */
  mode?: number;
  render(current: string | null): Rendered;
  /** How uninstall takes back a merge into the user's own file (default: remove the file while still as generated). */
  undo?(current: string | null): Rendered;
}

/** A local git config change; value null unsets the key. */
export interface GitConfigIntent {
  kind: 'git-config';
  key: string;
  value: string | null;
  reason: string;
}

/** A command to run in the repository (package install, `git init`). */
export interface CommandIntent {
  kind: 'command';
  argv: string[];
  /** Repository-relative folder to run in. */
  cwd: string;
  reason: string;
  /** Human label, e.g. "npm install". */
  label: string;
  /** Run only when one of these file targets is created or updated by the same plan (keeps re-runs unchanged). */
  onlyIfChanged?: string[];
}

/** A step that talks to an API; it plans and applies itself (protect's own diff lives behind it). */
export interface ExternalIntent {
  kind: 'external';
  target: string;
  reason: string;
  /** Decide what would happen without side effects. */
  plan(): Promise<{ action: Action; note?: string; detail?: string[] }>;
  apply(): Promise<{ action: Action; note?: string; detail?: string[] }>;
}

export type Intent = FileIntent | GitConfigIntent | CommandIntent | ExternalIntent;

/** An intent resolved against the current state. */
export interface PlannedChange extends Change {
  intent: Intent;
  action: Action;
  /** For file intents: the content apply will write. */
  content?: string;
}
