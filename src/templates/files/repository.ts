import { isMap, isSeq, parseDocument } from 'yaml';
import { ownership } from '../../core/ownership.js';
import { generatedFile, removeGenerated } from '../../changes/generated.js';
import { appendAtEnd, appendToCollection, removeMarkedBlocks } from '../../core/yaml-text.js';
import type { FileIntent, Rendered } from '../../changes/types.js';
import type { Ecosystem } from '../../detect/types.js';
import { CONFIG_FILE } from '../../config/load.js';
import { defaultBranch, hasContainer, type TemplateContext } from '../context.js';
import { serializeYaml } from '../workflow/serialize.js';
import { fill, generatedIntent, readAsset, skippedIntent } from './assets.js';
import { needsGeneratedDockerfile } from './docker.js';

/** SECURITY.md: contact (private vulnerability reporting), supported versions, disclosure timeline. */
export function securityPolicyIntent(ctx: TemplateContext): FileIntent {
  const target = ctx.det.github.securityPolicy ?? 'SECURITY.md';
  const remote = ctx.det.remote;
  const reportUrl = remote ? `https://${remote.host}/${remote.owner}/${remote.name}/security/advisories/new` : "the repository's Security tab → Report a vulnerability";
  const body = fill(readAsset('SECURITY.md'), { REPORT_URL: reportUrl, BRANCH: defaultBranch(ctx), PROTECTION: protectionSummary(ctx) });
  return generatedIntent(target, body, '<!--', 'security policy: how to report a vulnerability, supported versions, disclosure timeline');
}

/** What SECURITY.md may promise: only what the selected stages generate (nothing is called signed that is not). */
function protectionSummary(ctx: TemplateContext): string {
  const on = new Set(ctx.config.stages);
  const out: string[] = [];
  if (on.has('code')) out.push('Secrets and code are scanned before every commit and push, and again in CI.');
  if (on.has('build')) out.push('Dependencies are reviewed and scanned on every pull request.');
  if (hasContainer(ctx)) out.push('The container image is scanned before it is published.');
  if (ctx.det.iac && Object.values(ctx.det.iac).some((l) => l.length > 0) && on.has('test')) out.push('Infrastructure code is scanned on every pull request.');
  if (on.has('release') && hasContainer(ctx)) out.push('Release images are signed (cosign, keyless) and carry build provenance.');
  return out.join('\n');
}

/** The paths whose changes must be reviewed by the owners. */
const OWNED_PATHS = ['/.github/', `/${CONFIG_FILE}`, '/policy/'];

/** CODEOWNERS owning the security-relevant paths; appended to the user's own file, never replacing it. */
export function codeownersIntent(ctx: TemplateContext): FileIntent {
  const target = ctx.det.github.codeowners ?? '.github/CODEOWNERS';
  const reason = 'CODEOWNERS: .github/, .secure-repo.yml and policy/ need a review from the owners';
  const owner = ctx.det.remote?.owner;
  if (!owner) return skippedIntent(target, 'no GitHub remote, so no owner to name; add `origin` and run init again', reason);
  const lines = OWNED_PATHS.map((p) => `${p} @${owner}`);
  const body = `# Changes to workflows, security settings and policies need a review from the owners.\n${lines.join('\n')}\n`;
  const ours = generatedFile(body, '#');
  return {
    kind: 'file',
    path: target,
    reason,
    render(current): Rendered {
      if (ownership(current) !== 'theirs') return ours(current);
      // Their file already names who owns the workflows (or everything): those people own our paths too. The bare
      // remote owner is only right for a personal account: `@org` alone is no owner to GitHub ("About code owners").
      const theirs = workflowOwners(current!);
      const wanted = OWNED_PATHS.map((p) => `${p} ${theirs ?? `@${owner}`}`);
      const have = new Set(current!.split('\n').map((l) => l.trim().split(/\s+/)[0]));
      const missing = wanted.filter((l) => !have.has(l.split(' ')[0]));
      if (missing.length === 0) return { content: current! };
      const eol = current!.includes('\r\n') ? '\r\n' : '\n';
      const sep = current!.endsWith('\n') ? '' : eol;
      return { content: `${current}${sep}${eol}${CODEOWNERS_MARK}${eol}${missing.join(eol)}${eol}` };
    },
    undo: (current) => (ownership(current) === 'theirs' ? { content: unmergeCodeowners(current!) } : removeGenerated(current)),
  };
}

const CODEOWNERS_MARK = '# Added by create-secure-repo: security-relevant paths.';

/** Patterns in a CODEOWNERS file that cover the workflows folder. */
const COVERS_WORKFLOWS = new Set(['*', '/*', '**', '.github/', '/.github/', '.github/workflows/', '/.github/workflows/', '.github/**', '/.github/**']);

/** The owners the file gives the workflows (the last matching rule wins, as on GitHub), or null. */
function workflowOwners(text: string): string | null {
  let found: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const [pattern, ...owners] = raw.replace(/(^|\s)#.*$/, '').trim().split(/\s+/);
    if (pattern && COVERS_WORKFLOWS.has(pattern) && owners.length) found = owners.join(' ');
  }
  return found;
}

/** Takes out the block codeownersIntent appended: the blank line before it, the mark and our owner lines. */
function unmergeCodeowners(current: string): string {
  const lines = current.split('\n');
  const at = lines.findIndex((l) => l.replace(/\r$/, '') === CODEOWNERS_MARK);
  if (at === -1) return current;
  let end = at + 1;
  while (end < lines.length && OWNED_PATHS.includes(lines[end]!.split(' ')[0]!)) end++;
  const start = at > 0 && lines[at - 1]!.replace(/\r$/, '') === '' ? at - 1 : at;
  lines.splice(start, end - start);
  return lines.join('\n');
}

interface DependabotUpdate {
  'package-ecosystem': Ecosystem;
  directories: string[];
  schedule: { interval: 'weekly' };
  'open-pull-requests-limit': number;
  groups: Record<string, { 'update-types': string[] }>;
}

const asDir = (dir: string) => (dir === '.' || dir === '' ? '/' : `/${dir.replace(/^\.?\//, '').replace(/\/$/, '')}`);
const dirOf = (file: string) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.');

/** One update entry per ecosystem, with every folder that holds its manifests. */
export function dependabotUpdates(ctx: TemplateContext): DependabotUpdate[] {
  const { det } = ctx;
  const dirs = new Map<Ecosystem, Set<string>>();
  const add = (eco: Ecosystem, dir: string) => {
    if (!dirs.has(eco)) dirs.set(eco, new Set());
    dirs.get(eco)!.add(asDir(dir));
  };
  for (const m of det.manifests) add(m.ecosystem, m.dir);
  for (const f of det.docker.dockerfiles) add('docker', dirOf(f));
  if (needsGeneratedDockerfile(ctx)) add('docker', '.');
  for (const f of det.iac.terraform) add('terraform', f.endsWith('.tf') ? dirOf(f) : f);
  for (const eco of det.ecosystems) if (!dirs.has(eco) && eco !== 'github-actions') add(eco, '.');
  add('github-actions', '.');
  const order: Ecosystem[] = ['npm', 'pip', 'gomod', 'cargo', 'maven', 'gradle', 'bundler', 'composer', 'nuget', 'docker', 'terraform', 'github-actions'];
  return order
    .filter((eco) => dirs.has(eco))
    .map((eco) => ({
      'package-ecosystem': eco,
      directories: [...dirs.get(eco)!].sort(),
      schedule: { interval: 'weekly' as const },
      'open-pull-requests-limit': 10,
      groups: { [`${eco}-minor-and-patch`]: { 'update-types': ['minor', 'patch'] } },
    }));
}

/** dependabot.yml for every detected ecosystem plus github-actions; merged into the user's own file when present. */
export function dependabotIntent(ctx: TemplateContext): FileIntent {
  const target = ctx.det.github.dependabot ?? '.github/dependabot.yml';
  const updates = dependabotUpdates(ctx);
  const ours = generatedFile(serializeYaml({ version: 2, updates }), '#');
  return {
    kind: 'file',
    path: target,
    reason: `Dependabot updates for ${updates.map((u) => u['package-ecosystem']).join(', ')}`,
    render(current): Rendered {
      if (ownership(current) !== 'theirs') return ours(current);
      return mergeDependabot(current!, updates);
    },
    undo: (current) => (ownership(current) === 'theirs' ? { content: removeMarkedBlocks(current!) } : removeGenerated(current)),
  };
}

/** Adds the ecosystems the user's dependabot.yml lacks, keeping its comments, order and formatting. */
export function mergeDependabot(current: string, updates: DependabotUpdate[]): Rendered {
  const doc = parseDocument(current);
  if (doc.errors.length > 0) return { skip: `is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); left as is` };
  if (!isMap(doc.contents)) return { skip: 'is not a YAML mapping; left as is' };
  const seq = doc.get('updates');
  const yamlLines = (v: unknown) => serializeYaml(v).replace(/\n$/, '').split('\n');
  // No `updates:` yet: a marked block at the end, taken out again by uninstall.
  if (seq === undefined) return { content: appendAtEnd(current, ['updates:', ...yamlLines(updates).map((l) => `  ${l}`)]) };
  if (!isSeq(seq)) return { skip: '`updates` is not a list; left as is' };
  const have = new Set(seq.items.map((i) => (isMap(i) ? String((i).get('package-ecosystem')) : '')));
  const missing = updates.filter((u) => !have.has(u['package-ecosystem']));
  if (missing.length === 0) return { content: current };
  // Added as a marked block of text after the user's last entry: their bytes stay, and uninstall takes it out.
  const spliced = appendToCollection(current, seq, yamlLines(missing));
  if (spliced !== null) return { content: spliced };
  for (const u of missing) seq.add(doc.createNode(u));
  return { content: doc.toString({ lineWidth: 0 }) };
}
