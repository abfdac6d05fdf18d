import { spliceJson } from '../../core/json-text.js';

/**
 * package.json edits that keep the user's file as it was: parsed and re-serialised with the file's own indentation
 * and final newline, key order kept, dependency maps kept sorted when they were sorted.
 */
export interface PackageJson {
  scripts?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

export const TOOL_PACKAGE = 'create-secure-repo';
export const HUSKY_RANGE = '^9.1.7';

function indentOf(text: string): string | number {
  const m = /^[ \t]+(?=")/m.exec(text);
  return m ? m[0] : 2;
}

export function editPackageJson(text: string, edit: (pkg: PackageJson) => void): string {
  const pkg = JSON.parse(text) as PackageJson;
  edit(pkg);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = indentOf(text);
  // Spliced into the text, so the user's formatting stays and uninstall gives back the very same bytes.
  const spliced = spliceJson(
    text,
    JSON.parse(text),
    pkg,
    typeof indent === 'number' ? ' '.repeat(indent) : indent,
    eol,
  );
  if (spliced !== null) return spliced;
  const finalNewline = /\r?\n$/.test(text) ? eol : '';
  const out = JSON.stringify(pkg, null, indent);
  return (eol === '\n' ? out : out.replace(/\n/g, eol)) + finalNewline;
}

function isSorted(keys: string[]): boolean {
  return keys.every((k, i) => i === 0 || keys[i - 1]!.localeCompare(k) <= 0);
}

export function setDependency(
  map: Record<string, string> | undefined,
  name: string,
  range: string,
): Record<string, string> {
  const deps = { ...(map ?? {}) };
  const sorted = isSorted(Object.keys(deps));
  deps[name] = range;
  if (!sorted) return deps;
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * What `--package-spec` means as a devDependency value: `create-secure-repo@^1.2.3` → `^1.2.3`; a tarball path or
 * folder → `file:<path>`; anything else (`file:`, `npm:`, git URLs) as given.
 */
export function dependencyValue(spec: string): string {
  if (spec.startsWith(`${TOOL_PACKAGE}@`)) return spec.slice(TOOL_PACKAGE.length + 1);
  if (/^(file:|npm:|git\+|git:|https?:|github:)/.test(spec)) return spec;
  if (spec.startsWith('.') || spec.startsWith('/') || spec.endsWith('.tgz')) return `file:${spec}`;
  return spec;
}

/** The prepare step we add; `rel` is the path from package.json's folder to the git root's .husky folder. */
export function prepareCommand(rel: string): string {
  return `node ${rel}/install.mjs`;
}

export function addPrepare(existing: string | undefined, ours: string): string {
  if (!existing || existing.trim() === '') return ours;
  if (existing.includes(ours)) return existing;
  return `${existing} && ${ours}`;
}

/** Undoes addPrepare: returns null when nothing of the user's is left. */
export function removePrepare(existing: string | undefined, ours: string): string | null | undefined {
  if (existing === undefined) return undefined;
  if (existing.trim() === ours) return null;
  const stripped = existing.replace(` && ${ours}`, '');
  return stripped;
}
