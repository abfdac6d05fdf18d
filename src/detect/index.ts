import { git } from '../core/git.js';
import { CONFIG_FILE } from '../config/load.js';
import { detectJava, detectGo, detectLanguages, detectManifests, detectNode, detectPython } from './ecosystems.js';
import { listRepoFiles, RepoFiles, walkFiles } from './files.js';
import { checkDir, folderState, isWorkTree, readGitBasics, type GitBasics } from './git.js';
import path from 'node:path';
import { detectCiFacts } from './ci.js';
import { detectHooks } from './hooks.js';
import { detectInfra } from './infra.js';
import { parseRemote } from './remote.js';
import { ownership } from '../core/ownership.js';
import type { Detection, Ecosystem } from './types.js';

export { parseRemote } from './remote.js';
export type { Detection } from './types.js';

/** Reads what the repository is and already has. Read-only: never writes a byte. */
export async function detect(dir: string, opts: { allowNoGit?: boolean } = {}): Promise<Detection> {
  if (!opts.allowNoGit) await checkDir(dir);
  const exists = (await folderState(dir)) === 'folder';
  const inGit = exists && (await isWorkTree(dir));
  const basics = inGit || !opts.allowNoGit ? await readGitBasics(dir) : notYetARepo(dir);
  const { root } = basics;
  const files = new RepoFiles(root, inGit ? await listRepoFiles(root) : exists ? await walkFiles(root) : []);

  const originUrl = inGit ? await git(['remote', 'get-url', 'origin'], { cwd: root, allowFailure: true }) : null;
  const remote = originUrl ? parseRemote(originUrl) : null;

  const manifests = detectManifests(files);
  const languages = detectLanguages(files, manifests);
  const [{ node, monorepo }, python, go, infra, ci] = await Promise.all([
    detectNode(files, manifests),
    detectPython(files, manifests),
    detectGo(files),
    detectInfra(files),
    detectCiFacts(files),
  ]);
  const pkg = node
    ? await files.readJson<Record<string, unknown>>(node.dir === '.' ? 'package.json' : `${node.dir}/package.json`)
    : null;
  const hooks = await detectHooks(root, basics.gitCommonDir, files, pkg);

  const ecosystems = new Set<Ecosystem>(manifests.map((m) => m.ecosystem));
  if (infra.docker.dockerfiles.length) ecosystems.add('docker');
  if (infra.iac.terraform.length) ecosystems.add('terraform');
  ecosystems.add('github-actions');

  return {
    ...basics,
    remote,
    languages,
    manifests,
    ecosystems: [...ecosystems],
    node,
    monorepo,
    python,
    go,
    java: detectJava(files),
    ...infra,
    hooks,
    github: {
      workflows: await theirs(files, files.matching(/^\.github\/workflows\/[^/]+\.ya?ml$/)),
      codeowners: files.first('.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'),
      securityPolicy: files.first(
        'SECURITY.md',
        '.github/SECURITY.md',
        'docs/SECURITY.md',
        'SECURITY.rst',
        'SECURITY.txt',
      ),
      dependabot: files.first('.github/dependabot.yml', '.github/dependabot.yaml'),
      renovate: files.first(
        'renovate.json',
        'renovate.json5',
        '.renovaterc',
        '.renovaterc.json',
        '.github/renovate.json',
        '.github/renovate.json5',
        '.gitlab/renovate.json',
      ),
    },
    config: files.has(CONFIG_FILE) ? CONFIG_FILE : null,
    ci,
  };
}

/** Leaves out files we generated, so detection describes the user's repository, not our previous run. */
async function theirs(files: RepoFiles, list: string[]): Promise<string[]> {
  const keep = await Promise.all(list.map(async (f) => ownership(await files.read(f)) === 'theirs'));
  return list.filter((_, i) => keep[i]);
}

/** What a folder that init is about to `git init` looks like (used by --dry-run and planning before git init). */
function notYetARepo(dir: string): GitBasics {
  const root = path.resolve(dir);
  const gitDir = path.join(root, '.git');
  return {
    root,
    gitDir,
    gitCommonDir: gitDir,
    head: { branch: null, detached: false, hasCommits: false, sha: null },
    defaultBranch: 'main',
    dirty: [],
  };
}
