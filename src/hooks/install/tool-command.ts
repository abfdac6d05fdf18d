import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Detection } from '../../detect/types.js';
import { ownCliPath } from '../layout.js';
import { readLocalGitConfig } from './common.js';
import { onPath } from './on-path.js';

const quote = (p: string) => (/[^\w@%+=:,./-]/.test(p) ? `'${p.replace(/'/g, `'\\''`)}'` : p);

/**
 * How to run secure-repo in this repository, for the commands messages print: `npx secure-repo` only where the
 * project installs it (node_modules/.bin), `secure-repo` when it is on PATH, else the CLI the hooks recorded (or
 * this very program) by its path. The package is not on a registry, so a bare `npx secure-repo` would fail elsewhere.
 */
export function toolCommand(det: Pick<Detection, 'root' | 'node'>): string {
  const dirs = [...new Set([det.node?.dir ?? '.', '.'])];
  if (dirs.some((d) => existsSync(path.join(det.root, d, 'node_modules', '.bin', 'secure-repo'))))
    return 'npx secure-repo';
  if (onPath('secure-repo')) return 'secure-repo';
  const recorded = readLocalGitConfig(det.root, 'secure-repo.cli');
  const cli = recorded && existsSync(recorded) ? recorded : ownCliPath();
  return `node ${quote(cli)}`;
}
