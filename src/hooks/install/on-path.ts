import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Finds an executable on PATH (sync; used to decide whether an activation command can run). */
export function onPath(name: string, envPath = process.env.PATH ?? ''): string | null {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}
