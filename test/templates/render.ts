import type { Config } from '../../src/config/types.js';
import type { Detection } from '../../src/detect/types.js';
import { planTemplates } from '../../src/templates/index.js';

/** Renders every intent against an empty repository: path → content (skips are left out and returned apart). */
export function renderAll(det: Detection, config: Config): { files: Map<string, string>; skipped: Map<string, string> } {
  const files = new Map<string, string>();
  const skipped = new Map<string, string>();
  for (const intent of planTemplates(det, config)) {
    const r = intent.render(null);
    if ('content' in r) files.set(intent.path, r.content);
    else if ('skip' in r) skipped.set(intent.path, r.skip);
  }
  return { files, skipped };
}
