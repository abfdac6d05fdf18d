import type { Detection } from '../../detect/types.js';
import type { Pins } from '../pins.js';
import type { Step } from '../workflow/types.js';

/** Lint and test steps for one language toolchain, as CI runs them on every pull request. */
export interface Toolchain {
  /** Job id suffix and display name. */
  id: 'node' | 'python' | 'go' | 'java';
  setup: Step[];
  install: Step[];
  checks: Step[];
}

/** Lockfile-only install per package manager (also used by the generated Dockerfile). */
export const NODE_INSTALL: Record<string, string> = {
  npm: 'npm ci',
  pnpm: 'corepack enable\npnpm install --frozen-lockfile',
  yarn: 'corepack enable\nyarn install --immutable',
  bun: 'npx --yes bun@1 install --frozen-lockfile',
};

function nodeToolchain(det: Detection, pins: Pins): Toolchain | null {
  const node = det.node;
  if (!node) return null;
  const pm = node.manager;
  const dir = node.dir === '.' ? undefined : node.dir;
  const at = dir ? { 'working-directory': dir } : {};
  // 22 is the maintained LTS line; caching is off so a poisoned cache can never feed a release build.
  const setup: Step[] = [{ name: 'Set up Node.js', uses: pins.ref('actions/setup-node'), with: { 'node-version': '22', 'package-manager-cache': false } }];
  const run = (script: string) => (pm === 'npm' ? `npm run ${script}` : `${pm} run ${script}`);
  const checks: Step[] = [];
  const workspaces = node.workspacePackages.length > 0 && pm === 'npm' ? ' --workspaces --if-present --include-workspace-root' : '';
  if (node.scripts.lint) checks.push({ name: 'Lint', run: `${run('lint')}${workspaces}`, ...at });
  if (node.typescript && node.scripts.typecheck) checks.push({ name: 'Type-check', run: run('typecheck'), ...at });
  const test = node.scripts.test;
  if (test && !/no test specified/.test(test)) checks.push({ name: 'Test', run: `${run('test')}${workspaces}`, ...at });
  if (checks.length === 0) checks.push({ name: 'No lint or test script', run: 'echo "::notice::package.json has no lint or test script; add one to have it run on every pull request."' });
  return { id: 'node', setup, install: [{ name: 'Install dependencies (lockfile only)', run: NODE_INSTALL[pm] ?? 'npm ci', ...at }], checks };
}

const PY_INSTALL: Record<string, string> = {
  // pip: a hashed lockfile (pip-compile --generate-hashes) is the only way pip installs exactly what was reviewed.
  pip: 'if [ -f requirements-dev.txt ]; then python -m pip install --require-hashes -r requirements-dev.txt; elif [ -f requirements.txt ]; then python -m pip install --require-hashes -r requirements.txt; fi',
  poetry: 'pipx install poetry\npoetry install --no-interaction --sync',
  pipenv: 'pipx install pipenv\npipenv sync --dev',
  uv: 'pipx install uv\nuv sync --locked',
};

const PY_RUN: Record<string, string> = { pip: '', poetry: 'poetry run ', pipenv: 'pipenv run ', uv: 'uv run ' };

function pythonToolchain(det: Detection, pins: Pins): Toolchain | null {
  const py = det.python;
  if (!py) return null;
  const prefix = PY_RUN[py.manager] ?? '';
  return {
    id: 'python',
    setup: [{ name: 'Set up Python', uses: pins.ref('actions/setup-python'), with: { 'python-version': '3.12' } }],
    install: [{ name: 'Install dependencies (locked)', run: PY_INSTALL[py.manager] ?? PY_INSTALL.pip! }],
    checks: [
      // Byte-compiling every module catches syntax errors without installing a linter we would have to pin.
      { name: 'Lint (compile all modules)', run: "python -m compileall -q -x '(^|/)(\\.venv|venv|node_modules)/' ." },
      { name: 'Test', run: py.testCommand ?? `${prefix}python -m pytest` },
    ],
  };
}

function goToolchain(det: Detection, pins: Pins): Toolchain | null {
  if (!det.go) return null;
  const mod = det.manifests.find((m) => m.ecosystem === 'gomod');
  const dir = mod && mod.dir !== '.' ? mod.dir : undefined;
  const at = dir ? { 'working-directory': dir } : {};
  return {
    id: 'go',
    setup: [{ name: 'Set up Go', uses: pins.ref('actions/setup-go'), with: { 'go-version-file': mod?.manifest ?? 'go.mod', cache: false } }],
    install: [{ name: 'Download and verify modules', run: 'go mod download\ngo mod verify', ...at }],
    checks: [
      { name: 'Lint (gofmt, go vet)', run: 'unformatted=$(gofmt -l .)\nif [ -n "$unformatted" ]; then echo "::error::not gofmt-ed: $unformatted"; exit 1; fi\ngo vet ./...', ...at },
      { name: 'Test', run: 'go test -race ./...', ...at },
    ],
  };
}

function javaToolchain(det: Detection): Toolchain | null {
  const java = det.java;
  if (!java) return null;
  // The hosted runner ships Temurin 8/11/17/21; selecting one avoids an unpinned setup action.
  const setup: Step[] = [{ name: 'Select JDK 21', run: 'echo "JAVA_HOME=$JAVA_HOME_21_X64" >> "$GITHUB_ENV"' }];
  const tool = java.build === 'maven' ? (java.wrapper ? './mvnw' : 'mvn') : java.wrapper ? './gradlew' : 'gradle';
  const verify = java.build === 'maven' ? `${tool} --batch-mode --no-transfer-progress verify` : `${tool} build --no-daemon`;
  return {
    id: 'java',
    setup,
    install: [],
    checks: [{ name: 'Build, lint and test', run: verify }],
  };
}

/** Toolchains for the languages detect found, in a fixed order. */
export function toolchains(det: Detection, pins: Pins): Toolchain[] {
  return [nodeToolchain(det, pins), pythonToolchain(det, pins), goToolchain(det, pins), javaToolchain(det)].filter((t): t is Toolchain => t !== null);
}

/** CodeQL language ids for what detect found; `actions` always, so even an empty repository's workflows are analysed. */
export function codeqlLanguages(det: Detection): { language: string; 'build-mode': string }[] {
  const langs = new Set(det.languages);
  const out: { language: string; 'build-mode': string }[] = [{ language: 'actions', 'build-mode': 'none' }];
  if (langs.has('javascript') || langs.has('typescript')) out.push({ language: 'javascript-typescript', 'build-mode': 'none' });
  if (langs.has('python')) out.push({ language: 'python', 'build-mode': 'none' });
  if (langs.has('go')) out.push({ language: 'go', 'build-mode': 'autobuild' });
  if (langs.has('java') || langs.has('kotlin')) out.push({ language: 'java-kotlin', 'build-mode': langs.has('kotlin') ? 'autobuild' : 'none' });
  if (langs.has('ruby')) out.push({ language: 'ruby', 'build-mode': 'none' });
  if (langs.has('csharp')) out.push({ language: 'csharp', 'build-mode': 'none' });
  if (langs.has('rust')) out.push({ language: 'rust', 'build-mode': 'none' });
  return out;
}
