import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * Every byte and mode of a folder (work tree plus .git/config, .git/hooks and .git/index), as path → digest.
 * Object storage is left out: it is content-addressed and never rewritten.
 */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel))) {
      const child = rel ? `${rel}/${name}` : name;
      if (child === '.git/objects' || child === '.git/logs' || child === 'node_modules') continue;
      const abs = path.join(root, child);
      const st = lstatSync(abs);
      if (st.isDirectory()) {
        out[`${child}/`] = `dir ${st.mode.toString(8)}`;
        walk(child);
      } else if (st.isSymbolicLink()) out[child] = `link ${readlinkSync(abs)}`;
      else out[child] = `${st.mode.toString(8)} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`;
    }
  };
  walk('');
  return out;
}
