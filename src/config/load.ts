import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../core/errors.js';
import { readTextOrNull } from '../core/fs.js';
import { defaultConfig } from './defaults.js';
import type { Config } from './types.js';
import { validate, type SchemaNode } from './validate.js';

export const CONFIG_FILE = '.secure-repo.yml';

let schemaCache: SchemaNode | undefined;
export function configSchema(): SchemaNode {
  schemaCache ??= JSON.parse(
    readFileSync(new URL('../../schema/secure-repo.schema.json', import.meta.url), 'utf8'),
  ) as SchemaNode;
  return schemaCache;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read, or null when none exists (defaults apply). */
  file: string | null;
  /** The raw parsed object (what the user wrote), for merging on re-init. */
  raw: Record<string, unknown> | null;
}

/** Deep-merges user settings over defaults: objects merge key by key, arrays and scalars replace. */
export function mergeConfig<T>(base: T, over: unknown): T {
  if (over === undefined) return base;
  if (
    base &&
    typeof base === 'object' &&
    !Array.isArray(base) &&
    over &&
    typeof over === 'object' &&
    !Array.isArray(over)
  ) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
      out[k] = mergeConfig((base as Record<string, unknown>)[k], v);
    }
    return out as T;
  }
  return over as T;
}

/**
 * Parses and validates config text. Errors are exit-2 CliErrors naming file, line and problem.
 * `yaml` is imported lazily: repositories without a config file never pay for it.
 */
export async function parseConfig(
  text: string,
  file: string,
): Promise<{ config: Config; raw: Record<string, unknown> }> {
  const { parseDocument, LineCounter, isMap } = await import('yaml');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const rel = path.basename(file);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    throw new CliError(
      `${rel}:${pos.line}:${pos.col}: malformed YAML: ${e.message.split('\n')[0]}.`,
      `Fix that line in ${file} (or delete the file to use the defaults) and run again.`,
    );
  }
  const raw = (doc.toJS() ?? {}) as unknown;
  if (typeof raw !== 'object' || Array.isArray(raw) || raw === null) {
    throw new CliError(
      `${rel}:1: the configuration must be a mapping of settings.`,
      `See the README's configuration reference.`,
    );
  }
  const issues = validate(raw, configSchema());
  if (issues.length > 0) {
    const first = issues[0]!;
    const node = first.path.length > 0 && isMap(doc.contents) ? doc.getIn(first.path, true) : undefined;
    const parentPath = first.path.slice(0, -1);
    const keyNode = findKeyNode(doc, parentPath, first.path[first.path.length - 1]);
    const range =
      (keyNode as { range?: number[] } | undefined)?.range ?? (node as { range?: number[] } | undefined)?.range;
    const line = range ? lineCounter.linePos(range[0]!).line : 1;
    const more =
      issues.length > 1 ? ` (${issues.length - 1} more problem${issues.length > 2 ? 's' : ''} after this one)` : '';
    throw new CliError(
      `${rel}:${line}: ${first.path.join('.') || 'the file'} ${first.message}${more}.`,
      `Fix it in ${file}; the schema (schema/secure-repo.schema.json in the package) lists every setting.`,
    );
  }
  return { config: mergeConfig(defaultConfig(), raw), raw: raw as Record<string, unknown> };
}

function findKeyNode(doc: import('yaml').Document, parentPath: (string | number)[], key: string | number | undefined) {
  if (key === undefined) return undefined;
  const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
  const items = (parent as { items?: { key?: { value?: unknown } }[] } | null)?.items;
  if (!items) return undefined;
  if (typeof key === 'number') return items[key];
  return items.find((p) => p.key?.value === key)?.key;
}

/** Loads `.secure-repo.yml` from the repository root; defaults when there is none. */
export async function loadConfig(root: string): Promise<LoadedConfig> {
  const file = path.join(root, CONFIG_FILE);
  const text = await readTextOrNull(file);
  if (text === null) return { config: defaultConfig(), file: null, raw: null };
  const { config, raw } = await parseConfig(text, file);
  return { config, file, raw };
}
