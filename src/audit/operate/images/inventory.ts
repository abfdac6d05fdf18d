import { isMap, isPair, isScalar, LineCounter, parseAllDocuments, visit, type Node } from 'yaml';
import type { WorkflowModel } from '../workflow-model.js';

/** Where an image is referenced. */
export interface ImageUse {
  image: string;
  path: string;
  line: number;
  source: 'workflow' | 'workflow-run' | 'dockerfile' | 'compose' | 'kubernetes' | 'helm';
}

/** Images a workflow names: job containers, services, docker:// actions and `docker run`/`docker pull` in scripts. */
export function workflowImages(wf: WorkflowModel): ImageUse[] {
  const out: ImageUse[] = [];
  for (const job of wf.jobs) {
    for (const img of job.images) out.push({ image: img.image, path: wf.path, line: img.line, source: 'workflow' });
    for (const s of job.steps) {
      if (s.uses?.startsWith('docker://'))
        out.push({ image: s.uses.slice('docker://'.length), path: wf.path, line: s.line, source: 'workflow' });
      if (s.run)
        for (const image of scriptImages(s.run))
          out.push({ image, path: wf.path, line: s.runLine, source: 'workflow-run' });
    }
  }
  return out;
}

/** Flags of `docker run` that take a value, so the value is not read as the image. */
const VALUE_FLAGS =
  /^--?(?:e|env|v|volume|p|publish|name|w|workdir|u|user|network|entrypoint|platform|mount|label|l|env-file|add-host|cpus|memory|m|gpus|h|hostname)$/;

/** Image names in `docker run|pull|create` commands (flags and their values skipped). */
function scriptImages(script: string): string[] {
  const out: string[] = [];
  for (const line of script.split('\n')) {
    const words = line.trim().split(/\s+/);
    const i = words.findIndex(
      (w, k) => (w === 'docker' || w === 'podman') && ['run', 'pull', 'create'].includes(words[k + 1] ?? ''),
    );
    if (i < 0) continue;
    for (let k = i + 2; k < words.length; k++) {
      const w = words[k]!;
      if (w.startsWith('-')) {
        if (VALUE_FLAGS.test(w) && !w.includes('=')) k++;
        continue;
      }
      out.push(w);
      break;
    }
  }
  return out;
}

/** FROM lines with ARG defaults substituted; references to earlier stages and `scratch` are not images. */
export function dockerfileImages(filePath: string, text: string): ImageUse[] {
  const args = new Map<string, string>();
  const stages = new Set<string>();
  const out: ImageUse[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let t = lines[i]!;
    while (t.endsWith('\\') && i + 1 < lines.length) t = `${t.slice(0, -1)} ${lines[++i]}`;
    t = t.trim();
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S+))?/i.exec(t);
    if (arg) {
      if (arg[2] !== undefined && !args.has(arg[1]!)) args.set(arg[1]!, arg[2].replace(/^["']|["']$/g, ''));
      continue;
    }
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(t);
    if (!from) continue;
    const image = from[1]!.replace(
      /\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}?/g,
      (_m, n: string, d?: string) => args.get(n) ?? d ?? '',
    );
    const known = stages.has(image.toLowerCase());
    if (from[2]) stages.add(from[2].toLowerCase());
    if (image === 'scratch' || known) continue;
    out.push({ image, path: filePath, line: lineNo, source: 'dockerfile' });
  }
  return out;
}

/**
 * `image:` values in YAML manifests: compose services, Kubernetes containers, and Helm-style
 * `image: {registry, repository, tag, digest}` maps. Templated values (`{{ }}`, `${}`) are skipped.
 */
export function yamlImages(filePath: string, text: string, source: 'compose' | 'kubernetes' | 'helm'): ImageUse[] {
  const out: ImageUse[] = [];
  const lc = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false });
  } catch {
    return out;
  }
  if (!Array.isArray(docs)) return out;
  for (const doc of docs) {
    if (doc.errors.length) continue;
    visit(doc, {
      Pair(_k, pair) {
        if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== 'image') return;
        const line = (n: Node | null) => (n?.range ? lc.linePos(n.range[0]).line : 1);
        const v = pair.value as Node | null;
        if (isScalar(v) && typeof v.value === 'string') {
          if (!/\{\{|\$\{/.test(v.value)) out.push({ image: v.value, path: filePath, line: line(v), source });
        } else if (isMap(v)) {
          const m = v.toJSON() as Record<string, unknown>;
          const repo = typeof m.repository === 'string' ? m.repository : null;
          if (!repo || /\{\{/.test(repo)) return;
          const reg = typeof m.registry === 'string' && m.registry ? `${m.registry}/` : '';
          const tag = typeof m.tag === 'string' || typeof m.tag === 'number' ? `:${m.tag}` : '';
          const digest = typeof m.digest === 'string' && m.digest ? `@${m.digest}` : '';
          out.push({ image: `${reg}${repo}${tag}${digest}`, path: filePath, line: line(v), source: 'helm' });
        }
      },
    });
  }
  return out;
}

/** Which reader a repository file needs, by name. */
export function imageSourceOf(p: string): 'dockerfile' | 'compose' | 'yaml' | null {
  const base = p.split('/').pop()!.toLowerCase();
  if (
    base === 'dockerfile' ||
    base.startsWith('dockerfile.') ||
    base.endsWith('.dockerfile') ||
    base === 'containerfile'
  )
    return 'dockerfile';
  if (/^(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/.test(base)) return 'compose';
  if (/\.ya?ml$/.test(base) && !p.startsWith('.github/workflows/')) return 'yaml';
  return null;
}
