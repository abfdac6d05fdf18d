/** Everything later stages decide from: what the repository is and what it already has. Paths are POSIX, relative to `root`. */
export type Language =
  'javascript' | 'typescript' | 'python' | 'go' | 'java' | 'kotlin' | 'ruby' | 'php' | 'rust' | 'csharp';

export type PackageManagerName =
  | 'npm'
  | 'pnpm'
  | 'yarn'
  | 'bun'
  | 'pip'
  | 'poetry'
  | 'pipenv'
  | 'uv'
  | 'go'
  | 'cargo'
  | 'maven'
  | 'gradle'
  | 'bundler'
  | 'composer'
  | 'nuget';

/** Dependabot's ecosystem names, which is what the manifests map to. */
export type Ecosystem =
  | 'npm'
  | 'pip'
  | 'gomod'
  | 'cargo'
  | 'maven'
  | 'gradle'
  | 'bundler'
  | 'composer'
  | 'nuget'
  | 'docker'
  | 'terraform'
  | 'github-actions';

export interface PackageManifest {
  ecosystem: Ecosystem;
  manager: PackageManagerName;
  /** Folder holding the manifest ('.' for the root). */
  dir: string;
  manifest: string;
  lockfile: string | null;
}

export interface RemoteInfo {
  url: string;
  host: string;
  owner: string;
  name: string;
  /** github.com or a GitHub Enterprise host (a host whose name contains "github"). */
  isGitHub: boolean;
  /** REST base URL for this host: https://api.github.com or https://HOST/api/v3. */
  apiUrl: string;
}

export interface NodeProject {
  /** Folder of the root package.json ('.' normally). */
  dir: string;
  name: string | null;
  manager: 'npm' | 'pnpm' | 'yarn' | 'bun';
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  /** Workspace globs (package.json workspaces or pnpm-workspace.yaml). */
  workspaces: string[];
  /** Resolved workspace package folders. */
  workspacePackages: string[];
  hasLintStaged: boolean;
  /** A test command worth running before push (null when the project has none or it is the npm placeholder). */
  testCommand: string | null;
  lintCommand: string | null;
  typescript: boolean;
}

export type HookManagerFound = 'husky' | 'pre-commit' | 'lefthook' | 'simple-git-hooks';

export interface HooksFound {
  managers: HookManagerFound[];
  /** `git config core.hooksPath` as set (local, or inherited from global/system), null when unset. */
  coreHooksPath: string | null;
  /** Where core.hooksPath was set: 'local' | 'global' | 'system' | null. */
  coreHooksPathScope: 'local' | 'global' | 'system' | 'worktree' | null;
  /** Absolute path git runs hooks from (git rev-parse --git-path hooks). */
  activeHooksDir: string;
  /** Non-sample hook scripts in .git/hooks (names like pre-commit), ours excluded. */
  gitHooks: string[];
  /** Husky folder when present (.husky), and its hook files. */
  huskyDir: string | null;
  huskyHooks: string[];
  /** husky major version inferred from package.json / layout (4, 8, 9) or null. */
  huskyVersion: number | null;
  preCommitConfig: string | null;
  lefthookConfig: string | null;
}

export interface Detection {
  /** Absolute path of the work tree root (git rev-parse --show-toplevel). */
  root: string;
  /** Absolute path of the git dir and the common dir (differ in linked worktrees). */
  gitDir: string;
  gitCommonDir: string;
  head: { branch: string | null; detached: boolean; hasCommits: boolean; sha: string | null };
  /** origin/HEAD, else init.defaultBranch, else the current branch, else 'main'. */
  defaultBranch: string;
  remote: RemoteInfo | null;
  /** Paths with uncommitted changes (we warn and never touch them). */
  dirty: string[];
  languages: Language[];
  manifests: PackageManifest[];
  /** Every ecosystem Dependabot should watch (manifests + docker + terraform + github-actions). */
  ecosystems: Ecosystem[];
  node: NodeProject | null;
  monorepo: { tool: 'npm' | 'pnpm' | 'yarn' | 'bun' | 'lerna' | 'nx' | 'turbo' | null; packages: string[] } | null;
  python: { manager: 'pip' | 'poetry' | 'pipenv' | 'uv'; testCommand: string | null } | null;
  go: { module: string | null } | null;
  java: { build: 'maven' | 'gradle'; wrapper: boolean } | null;
  docker: { dockerfiles: string[]; compose: string[] };
  iac: {
    terraform: string[];
    helm: string[];
    kubernetes: string[];
    bicep: string[];
    arm: string[];
    cloudformation: string[];
  };
  hooks: HooksFound;
  github: {
    workflows: string[];
    codeowners: string | null;
    securityPolicy: string | null;
    dependabot: string | null;
    renovate: string | null;
  };
  /** Existing .secure-repo.yml (repository-relative) or null. */
  config: string | null;
  /** What generated CI needs to run on the project as it is (see detect/ci.ts). */
  ci: CiFacts;
}

/** A pip requirements file and whether pip's hash-checking mode (`--require-hashes`) can take it. */
export interface RequirementFile {
  file: string;
  /** Every requirement carries `--hash=`. */
  hashed: boolean;
  /** Has `-e`/`--editable` lines, which hash-checking mode refuses. */
  editable: boolean;
  /** Names pytest. */
  pytest: boolean;
  /** Files it pulls in with `-r`. */
  includes: string[];
}

export interface PythonCiFacts {
  requirements: RequirementFile[];
  /** pyproject.toml (or setup.py/setup.cfg) describes a project pip can install. */
  installable: boolean;
  /** The optional-dependencies extra, or the dependency group, that brings pytest. */
  testExtra: string | null;
  testGroup: string | null;
  /** pytest is declared somewhere (extra, group, requirements, poetry dev group). */
  declaresPytest: boolean;
  /** First console script of [project.scripts] / [tool.poetry.scripts]: what a container can run. */
  script: string | null;
}

export interface CiFacts {
  python: PythonCiFacts | null;
  /**
   * The shallowest go.mod: its folder, `go` line and `toolchain` line (versions without the `go` prefix), and the
   * package path of its main package ('.' or './cmd/x'), null when it has none (a library).
   */
  go: { dir: string; version: string | null; toolchain: string | null; main: string | null } | null;
  /** The user's own workflows that already run CodeQL, Scorecard or dependency review. */
  existing: { codeql: string[]; scorecard: string[]; dependencyReview: string[] };
  /** The file `node` runs in a container (start script's `node X`, else `main`), when it exists. */
  nodeEntry: string | null;
}
