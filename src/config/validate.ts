/**
 * A small validator for the subset of JSON Schema our config schema uses (type, enum, properties,
 * additionalProperties: false, required, items, minimum, maximum, pattern). The published schema file is the single
 * source of truth; this keeps the hook path free of a schema compiler.
 */
export interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean;
  required?: string[];
  items?: SchemaNode;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

export interface SchemaIssue {
  path: (string | number)[];
  message: string;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function validate(value: unknown, schema: SchemaNode, path: (string | number)[] = []): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    issues.push({ path, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` });
    return issues;
  }
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    const ok = types.includes(t) || (t === 'integer' && types.includes('number'));
    if (!ok) {
      issues.push({ path, message: `must be ${types.join(' or ')} (found ${t})` });
      return issues;
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum)
      issues.push({ path, message: `must be at least ${schema.minimum}` });
    if (schema.maximum !== undefined && value > schema.maximum)
      issues.push({ path, message: `must be at most ${schema.maximum}` });
  }
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    issues.push({ path, message: `must match ${schema.pattern}` });
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => issues.push(...validate(item, schema.items!, [...path, i])));
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && (schema.properties || schema.required)) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in obj)) issues.push({ path, message: `is missing the required key "${key}"` });
    }
    for (const [key, v] of Object.entries(obj)) {
      const sub = schema.properties?.[key];
      if (sub) issues.push(...validate(v, sub, [...path, key]));
      else if (schema.additionalProperties === false) {
        const known = Object.keys(schema.properties ?? {});
        issues.push({ path: [...path, key], message: `is not a known setting (known here: ${known.join(', ')})` });
      }
    }
  }
  return issues;
}
