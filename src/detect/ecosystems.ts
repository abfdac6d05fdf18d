import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { dirOf, type RepoFiles } from './files.js';
import type { Detection, Ecosystem, Language, NodeProject, PackageManifest } from './types.js';

const EXT_LANG: [RegExp, Language][] = [
  [/\.(m|c)?jsx?$/, 'javascript'],
  [/\.(m|c)?tsx?$/, 'typescript'],
  [/\.py$/, 'python'],
  [/\.go$/, 'go'],
  [/\.java$/, 'java'],
  [/\.kts?$/, 'kotlin'],
  [/\.rb$/, 'ruby'],
  [/\.php$/, 'php'],
  [/\.rs$/, 'rust'],
  [/\.cs$/, 'csharp'],
];

/** Manifest file name → ecosystem and manager; lockfiles refine the manager. */
const MANIFESTS: {
  name: RegExp;
  ecosystem: Ecosystem;
  manager: PackageManifest['manager'];
  locks?: [string, PackageManifest['manager']][];
}[] = [
  {
    name: /^package\.json$/,
    ecosystem: 'npm',
    manager: 'npm',
    locks: [
      ['pnpm-lock.yaml', 'pnpm'],
      ['yarn.lock', 'yarn'],
      ['bun.lockb', 'bun'],
      ['bun.lock', 'bun'],
      ['package-lock.json', 'npm'],
      ['npm-shrinkwrap.json', 'npm'],
    ],
  },
  {
    name: /^pyproject\.toml$/,
    ecosystem: 'pip',
    manager: 'pip',
    locks: [
      ['poetry.lock', 'poetry'],
      ['uv.lock', 'uv'],
    ],
  },
  { name: /^requirements[\w.-]*\.txt$/, ecosystem: 'pip', manager: 'pip' },
  { name: /^Pipfile$/, ecosystem: 'pip', manager: 'pipenv', locks: [['Pipfile.lock', 'pipenv']] },
  { name: /^setup\.py$/, ecosystem: 'pip', manager: 'pip' },
  { name: /^go\.mod$/, ecosystem: 'gomod', manager: 'go', locks: [['go.sum', 'go']] },
  { name: /^Cargo\.toml$/, ecosystem: 'cargo', manager: 'cargo', locks: [['Cargo.lock', 'cargo']] },
  { name: /^pom\.xml$/, ecosystem: 'maven', manager: 'maven' },
  { name: /^build\.gradle(\.kts)?$/, ecosystem: 'gradle', manager: 'gradle', locks: [['gradle.lockfile', 'gradle']] },
  { name: /^Gemfile$/, ecosystem: 'bundler', manager: 'bundler', locks: [['Gemfile.lock', 'bundler']] },
  { name: /^composer\.json$/, ecosystem: 'composer', manager: 'composer', locks: [['composer.lock', 'composer']] },
  { name: /\.(csproj|fsproj)$|^packages\.config$/, ecosystem: 'nuget', manager: 'nuget' },
];

export function detectManifests(files: RepoFiles): PackageManifest[] {
  const out: PackageManifest[] = [];
  for (const f of files.files) {
    const base = f.slice(f.lastIndexOf('/') + 1);
    const m = MANIFESTS.find((x) => x.name.test(base));
    if (!m) continue;
    const dir = dirOf(f);
    const prefix = dir === '.' ? '' : `${dir}/`;
    let manager = m.manager;
    let lockfile: string | null = null;
    for (const [lock, mgr] of m.locks ?? []) {
      if (files.has(prefix + lock)) {
        manager = mgr;
        lockfile = prefix + lock;
        break;
      }
    }
    out.push({ ecosystem: m.ecosystem, manager, dir, manifest: f, lockfile });
  }
  return out;
}

export function detectLanguages(files: RepoFiles, manifests: PackageManifest[]): Language[] {
  const counts = new Map<Language, number>();
  for (const f of files.files) {
    for (const [re, lang] of EXT_LANG) {
      if (re.test(f)) {
        counts.set(lang, (counts.get(lang) ?? 0) + 1);
        break;
      }
    }
  }
  // A manifest alone is enough to say what a new project will be written in.
  const byEco: Partial<Record<Ecosystem, Language>> = {
    npm: 'javascript',
    pip: 'python',
    gomod: 'go',
    cargo: 'rust',
    maven: 'java',
    gradle: 'java',
    bundler: 'ruby',
    composer: 'php',
    nuget: 'csharp',
  };
  for (const m of manifests) {
    const lang = byEco[m.ecosystem];
    if (lang && !counts.has(lang)) counts.set(lang, 1);
  }
  // TypeScript projects also count as JavaScript for tooling (CodeQL's javascript-typescript).
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l]) => l);
}

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
  packageManager?: string;
  'lint-staged'?: unknown;
  husky?: unknown;
}

const NPM_TEST_PLACEHOLDER = /no test specified/;

export async function detectNode(
  files: RepoFiles,
  manifests: PackageManifest[],
): Promise<{ node: NodeProject | null; monorepo: Detection['monorepo'] }> {
  const rootPkg = manifests.find((m) => m.ecosystem === 'npm' && m.dir === '.') ?? appInSubfolder(manifests);
  if (!rootPkg) return { node: null, monorepo: null };
  const dir = rootPkg.dir;
  const inDir = (rel: string) => (dir === '.' ? rel : `${dir}/${rel}`);
  const pkg = (await files.readJson<PackageJson>(rootPkg.manifest)) ?? {};
  let manager = rootPkg.manager as NodeProject['manager'];
  const pm = pkg.packageManager?.split('@')[0];
  if (!rootPkg.lockfile && (pm === 'pnpm' || pm === 'yarn' || pm === 'bun' || pm === 'npm')) manager = pm;
  let workspaces = Array.isArray(pkg.workspaces) ? pkg.workspaces : (pkg.workspaces?.packages ?? []);
  let tool: NonNullable<Detection['monorepo']>['tool'] = workspaces.length ? manager : null;
  const pnpmWs = await files.read(inDir('pnpm-workspace.yaml'));
  if (pnpmWs !== null) {
    try {
      const parsed = parseYaml(pnpmWs) as { packages?: string[] } | null;
      if (parsed?.packages?.length) {
        workspaces = parsed.packages;
        tool = 'pnpm';
      }
    } catch {
      /* a broken pnpm-workspace.yaml is pnpm's to report */
    }
  }
  if (files.has(inDir('lerna.json'))) tool ??= 'lerna';
  if (files.has(inDir('nx.json'))) tool ??= 'nx';
  if (files.has(inDir('turbo.json'))) tool ??= 'turbo';
  const include = workspaces.filter((w) => !w.startsWith('!'));
  const exclude = workspaces.filter((w) => w.startsWith('!')).map((w) => w.slice(1));
  const isIn = picomatch(include.map((w) => inDir(w.replace(/\/$/, ''))));
  const isOut = exclude.length ? picomatch(exclude.map(inDir)) : () => false;
  const workspacePackages = manifests
    .filter((m) => m.ecosystem === 'npm' && m.dir !== dir && isIn(m.dir) && !isOut(m.dir))
    .map((m) => m.dir);
  const scripts = pkg.scripts ?? {};
  const run = manager === 'npm' ? 'npm run' : manager;
  const testCommand =
    scripts.test && !NPM_TEST_PLACEHOLDER.test(scripts.test) ? `${manager === 'npm' ? 'npm' : manager} test` : null;
  const lintCommand = scripts.lint ? `${run} lint` : null;
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const node: NodeProject = {
    dir,
    name: pkg.name ?? null,
    manager,
    scripts,
    dependencies: pkg.dependencies ?? {},
    devDependencies: pkg.devDependencies ?? {},
    workspaces,
    workspacePackages,
    hasLintStaged:
      Boolean(pkg['lint-staged']) ||
      'lint-staged' in deps ||
      files.has(inDir('.lintstagedrc')) ||
      files.byName(/^(\.lintstagedrc|lint-staged\.config\.)/).length > 0,
    testCommand,
    lintCommand,
    typescript: 'typescript' in deps || files.has('tsconfig.json'),
  };
  const monorepo = workspacePackages.length > 0 || tool ? { tool, packages: workspacePackages } : null;
  return { node, monorepo };
}

/**
 * No package.json at the root: the application may live in a subfolder (`app/package.json`). Take the shallowest
 * one when it is the only one at its depth; several side by side are separate projects, not one to hook into.
 */
function appInSubfolder(manifests: PackageManifest[]): PackageManifest | undefined {
  const npm = manifests.filter((m) => m.ecosystem === 'npm');
  if (npm.length === 0) return undefined;
  const depth = (m: PackageManifest) => m.dir.split('/').length;
  const min = Math.min(...npm.map(depth));
  const top = npm.filter((m) => depth(m) === min);
  return top.length === 1 ? top[0] : undefined;
}

export async function detectPython(files: RepoFiles, manifests: PackageManifest[]): Promise<Detection['python']> {
  const py = manifests.filter((m) => m.ecosystem === 'pip');
  if (py.length === 0) return null;
  const rootFirst = py.find((m) => m.dir === '.') ?? py[0]!;
  const manager = rootFirst.manager as 'pip' | 'poetry' | 'pipenv' | 'uv';
  const pyproject = (await files.read('pyproject.toml')) ?? '';
  let finalManager = manager;
  if (manager === 'pip' && /^\[tool\.poetry\]/m.test(pyproject)) finalManager = 'poetry';
  const usesPytest =
    /pytest/.test(pyproject) ||
    files.has('pytest.ini') ||
    files.has('conftest.py') ||
    files.matching(/(^|\/)tests?\/test_[^/]+\.py$/).length > 0;
  const prefix =
    finalManager === 'poetry'
      ? 'poetry run '
      : finalManager === 'pipenv'
        ? 'pipenv run '
        : finalManager === 'uv'
          ? 'uv run '
          : '';
  return { manager: finalManager, testCommand: usesPytest ? `${prefix}pytest -q` : null };
}

export async function detectGo(files: RepoFiles): Promise<Detection['go']> {
  const mod = await files.read('go.mod');
  if (mod === null) return files.byName(/^go\.mod$/).length ? { module: null } : null;
  return { module: /^module\s+(\S+)/m.exec(mod)?.[1] ?? null };
}

export function detectJava(files: RepoFiles): Detection['java'] {
  if (files.has('pom.xml')) return { build: 'maven', wrapper: files.has('mvnw') };
  if (files.has('build.gradle') || files.has('build.gradle.kts'))
    return { build: 'gradle', wrapper: files.has('gradlew') };
  return null;
}
