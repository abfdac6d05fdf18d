import path from 'node:path';
import type { Config } from '../config/types.js';
import { readTextOrNull } from '../core/fs.js';
import { ownership } from '../core/ownership.js';
import type { Detection } from '../detect/types.js';
import type { Check } from '../core/check.js';

const FIX = 'Run `npx create-secure-repo` (init) to bring it back in line; it only touches files that differ.';

/**
 * The files init would write, compared with what is on disk: a file intent whose render would create or update the
 * file is drift; a generated file the user edited is kept by init and reported here as a warning.
 */
export async function auditFiles(det: Detection, config: Config): Promise<Check[]> {
  const { planTemplates } = await import('../templates/index.js');
  const out: Check[] = [];
  for (const intent of planTemplates(det, config)) {
    const current = await readTextOrNull(path.join(det.root, intent.path));
    const r = intent.render(current);
    if ('content' in r) {
      if (r.content === current)
        out.push({ area: 'files', id: 'file-current', status: 'pass', target: intent.path, message: 'as generated' });
      else if (current === null)
        out.push({
          area: 'files',
          id: 'file-missing',
          status: 'fail',
          target: intent.path,
          message: `missing (${intent.reason})`,
          fix: FIX,
        });
      else
        out.push({
          area: 'files',
          id: 'file-outdated',
          status: 'fail',
          target: intent.path,
          message: 'differs from what this version generates',
          fix: FIX,
        });
    } else if ('skip' in r) {
      const own = ownership(current);
      if (own === 'ours-edited') {
        out.push({
          area: 'files',
          id: 'file-edited',
          status: 'warn',
          target: intent.path,
          message: `edited since it was generated, so init leaves it alone: ${r.skip}`,
          fix: 'Review the edit; delete the file and run init to regenerate it.',
        });
      } else {
        out.push({ area: 'files', id: 'file-user-owned', status: 'info', target: intent.path, message: r.skip });
      }
    }
  }
  return out;
}
