import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DETECTIONS } from '../../src/audit/operate/catalog.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README: Operate detections', () => {
  it('lists every detection with the permission it needs', () => {
    expect(DETECTIONS.length).toBeGreaterThan(30);
    for (const d of DETECTIONS) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${d.id}\` |`));
      expect(row, d.id).toBeDefined();
      expect(row).toContain(`| ${d.needs} |`);
    }
  });
});
