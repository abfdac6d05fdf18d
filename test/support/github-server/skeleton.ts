/**
 * Schema-valid response bodies from GitHub's OpenAPI description: the required fields of a component filled with
 * neutral values, then the test's own fields laid over them. Objects such as a workflow run require a hundred URLs;
 * this keeps mock answers valid against the description without writing them out.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

type Json = Record<string, unknown>;
let components: Record<string, Json> | null = null;

function schemas(): Record<string, Json> {
  if (components) return components;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@octokit/openapi/package.json'));
  const raw = JSON.parse(readFileSync(path.join(dir, 'generated', 'api.github.com.json'), 'utf8')) as {
    components: { schemas: Record<string, Json> };
  };
  components = raw.components.schemas;
  return components;
}

function fill(node: Json | undefined, depth = 0): unknown {
  if (!node || depth > 12) return null;
  if (typeof node.$ref === 'string') return fill(schemas()[node.$ref.split('/').pop()!], depth + 1);
  if (Array.isArray(node.allOf))
    return Object.assign({}, ...(node.allOf as Json[]).map((s) => fill(s, depth + 1) as Json));
  const alt = (node.anyOf ?? node.oneOf) as Json[] | undefined;
  if (alt) return fill(alt.find((s) => s.type !== 'null') ?? alt[0], depth + 1);
  if (Array.isArray(node.enum)) return node.enum[0];
  const t = Array.isArray(node.type) ? (node.type as string[]).find((x) => x !== 'null') : node.type;
  switch (t) {
    case 'object': {
      const out: Json = {};
      const props = (node.properties ?? {}) as Record<string, Json>;
      for (const k of (node.required as string[] | undefined) ?? []) out[k] = fill(props[k], depth + 1);
      return out;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return typeof node.minimum === 'number' ? node.minimum : 1;
    case 'boolean':
      return false;
    case 'string':
      return node.format === 'date-time'
        ? '2026-01-01T00:00:00Z'
        : node.format === 'uri'
          ? 'https://example.invalid/'
          : node.format === 'email'
            ? 'nobody@example.invalid'
            : 'x';
    default:
      return node.properties ? fill({ ...node, type: 'object' }, depth) : null;
  }
}

/** Objects merge key by key; anything else in `over` replaces. */
function overlay(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (
    base &&
    over &&
    typeof base === 'object' &&
    typeof over === 'object' &&
    !Array.isArray(base) &&
    !Array.isArray(over)
  ) {
    const out: Json = { ...(base as Json) };
    for (const [k, v] of Object.entries(over as Json)) out[k] = overlay(out[k], v);
    return out;
  }
  return over;
}

/** A body valid for component schema `name` with `over` laid on top. */
export function sample<T = Json>(name: string, over: unknown = {}): T {
  const s = schemas()[name];
  if (!s) throw new Error(`no component schema ${name}`);
  return overlay(fill(s), over) as T;
}
