import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { git } from '../../core/git.js';
import { dockerfileImages, imageSourceOf, workflowImages, yamlImages, type ImageUse } from './images/inventory.js';
import { parseWorkflow, type WorkflowModel } from './workflow-model.js';

/** Manifests bigger than this are data, not deployment files: skipped. */
const MAX_MANIFEST_BYTES = 512 * 1024;

/** The repository's workflow files (tracked or not: an untracked one is exactly what should be seen). */
export async function readWorkflows(root: string): Promise<WorkflowModel[]> {
  const dir = path.join(root, '.github', 'workflows');
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const out: WorkflowModel[] = [];
  for (const n of names.filter((x) => /\.ya?ml$/.test(x)).sort()) {
    const rel = `.github/workflows/${n}`;
    out.push(parseWorkflow(rel, await fsp.readFile(path.join(dir, n), 'utf8')));
  }
  return out;
}

/** Every image reference in the tracked files: workflows, Dockerfiles, compose, Kubernetes and Helm values. */
export async function imageInventory(root: string, workflows: WorkflowModel[]): Promise<ImageUse[]> {
  const out: ImageUse[] = workflows.flatMap(workflowImages);
  const listed = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    allowFailure: true,
  });
  const files = (listed ?? '').split('\0').filter(Boolean);
  for (const f of files) {
    const kind = imageSourceOf(f);
    if (!kind || f.split('/').includes('node_modules')) continue;
    const abs = path.join(root, f);
    const st = await fsp.stat(abs).catch(() => null);
    if (!st?.isFile() || st.size > MAX_MANIFEST_BYTES) continue;
    const text = await fsp.readFile(abs, 'utf8');
    if (kind === 'dockerfile') out.push(...dockerfileImages(f, text));
    else if (kind === 'compose') out.push(...yamlImages(f, text, 'compose'));
    else if (/^\s*(?:apiVersion|kind):/m.test(text)) out.push(...yamlImages(f, text, 'kubernetes'));
    else if (/(?:^|\/)values[^/]*\.ya?ml$/.test(f)) out.push(...yamlImages(f, text, 'helm'));
  }
  return out;
}
