import { Document, isScalar, visit } from 'yaml';
import type { Pins } from '../pins.js';
import type { Workflow } from './types.js';

/**
 * Workflow object → YAML text. Key order is the object's; `uses: owner/repo@<sha>` gets its release tag as a
 * trailing `# vX.Y.Z` comment (what Dependabot and Renovate read to keep pins current). Deterministic: the same
 * object always gives the same bytes, which is what makes re-runs report "unchanged".
 */
export function serializeWorkflow(workflow: Workflow, pins: Pins): string {
  return serializeYaml(workflow, pins);
}

export function serializeYaml(value: unknown, pins?: Pins): string {
  const doc = new Document(value);
  if (pins) {
    visit(doc, {
      Pair(_, pair) {
        if (isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value) && typeof pair.value.value === 'string') {
          const tag = pins.tagFor(pair.value.value);
          if (tag) pair.value.comment = ` ${tag}`;
        }
      },
    });
  }
  return doc.toString({ lineWidth: 0, nullStr: '' });
}
