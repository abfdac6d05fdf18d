import { readFileSync } from 'node:fs';
import type { Stage } from '../../config/types.js';
import { type CommentStyle } from '../../core/ownership.js';
import { generatedFile } from '../../changes/generated.js';
import type { FileIntent } from '../../changes/types.js';

/** The package's templates/ folder (static files better kept as files than code). */
function assetPath(rel: string): string {
  return new URL(`../../../templates/${rel}`, import.meta.url).pathname;
}

export function readAsset(rel: string): string {
  return readFileSync(assetPath(rel), 'utf8');
}

/** Replaces `__NAME__` placeholders; a placeholder left unfilled is a bug in the caller, so it throws. */
export function fill(text: string, vars: Record<string, string>): string {
  const placeholder = /__([A-Z](?:[A-Z_]*[A-Z])?)__/g;
  const out = text.replace(placeholder, (m, key: string) => vars[key] ?? m);
  const left = new RegExp(placeholder.source).exec(out);
  if (left) throw new Error(`template placeholder ${left[0]} has no value`);
  return out;
}

/** A file we own entirely: our header + hash, so a user's edit is detected and kept. */
export function generatedIntent(path: string, body: string, style: CommentStyle, reason: string, stage?: Stage): FileIntent {
  return { kind: 'file', path, reason, ...(stage ? { stage } : {}), render: generatedFile(body, style) };
}

/** A file we would generate but cannot yet (missing facts): always a skip with the reason. */
export function skippedIntent(path: string, why: string, reason: string, stage?: Stage): FileIntent {
  return { kind: 'file', path, reason, ...(stage ? { stage } : {}), render: () => ({ skip: why }) };
}
