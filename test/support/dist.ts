import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Source files whose build output is missing or older than they are (repository-relative). */
export function staleBuildOutputs(root = ROOT): string[] {
  const stale: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const rel = path.relative(path.join(root, 'src'), file);
        const out = path.join(root, 'dist', rel.replace(/\.ts$/, '.js'));
        let built: number;
        try {
          built = statSync(out).mtimeMs;
        } catch {
          stale.push(`src/${rel} (not built)`);
          continue;
        }
        if (statSync(file).mtimeMs > built) stale.push(`src/${rel} (changed after the build)`);
      }
    }
  };
  walk(path.join(root, 'src'));
  return stale;
}

let fresh = false;

/**
 * Tests that run the build (bin/, dist/) call this first: a missing or stale dist/ fails at once, naming the
 * files, instead of testing old code or skipping silently.
 */
export function requireFreshBuild(): void {
  if (fresh) return;
  const stale = staleBuildOutputs();
  if (stale.length > 0) {
    const shown = stale.slice(0, 3).join(', ') + (stale.length > 3 ? ` and ${stale.length - 3} more` : '');
    throw new Error(`dist/ does not match src/: ${shown}. Run \`npm run build\` (npm test does) first.`);
  }
  fresh = true;
}
