import type { Detection, RequirementFile } from '../../detect/types.js';
import type { Pins } from '../pins.js';
import type { Step } from '../workflow/types.js';

/** Lint and test steps for one language toolchain, as CI runs them on every pull request. */
export interface Toolchain {
  /** Job id suffix and display name. */
  id: 'node' | 'python' | 'go' | 'java';
  setup: Step[];
  install: Step[];
  checks: Step[];
  /** What the plan should say about this job: an install that cannot be locked, a step left out and why. */
  notes: string[];
}

/** Lockfile-only install per package manager (also used by the generated Dockerfile). */
export const NODE_INSTALL: Record<string, string> = {
  npm: 'npm ci',
  pnpm: 'corepack enable\npnpm install --frozen-lockfile',
  yarn: 'corepack enable\nyarn install --immutable',
  bun: 'npx --yes bun@1 install --frozen-lockfile',
};

/** Without a lockfile a locked install cannot run (`npm ci` refuses): install from the ranges, writing no lockfile. */
const NODE_INSTALL_UNLOCKED: Record<string, string> = {
  npm: 'npm install --no-package-lock --no-audit --no-fund',
  pnpm: 'corepack enable\npnpm install --no-frozen-lockfile --no-lockfile',
  yarn: 'corepack enable\nyarn install --no-immutable',
  bun: 'npx --yes bun@1 install --no-save',
};

function nodeLock(det: Detection): string | null {
  const node = det.node;
  return node ? (det.manifests.find((m) => m.ecosystem === 'npm' && m.dir === node.dir)?.lockfile ?? null) : null;
}

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
  const locked = nodeLock(det) !== null;
  const install: Step = locked
    ? { name: 'Install dependencies (lockfile only)', run: NODE_INSTALL[pm] ?? 'npm ci', ...at }
    : { name: 'Install dependencies (no lockfile in the repository: versions float within package.json ranges)', run: NODE_INSTALL_UNLOCKED[pm] ?? NODE_INSTALL_UNLOCKED.npm!, ...at };
  const notes = locked ? [] : [`no ${pm} lockfile, so CI installs with \`${(NODE_INSTALL_UNLOCKED[pm] ?? '').split('\n').pop()}\` (unlocked); commit one to pin`];
  return { id: 'node', setup, install: [install], checks, notes };
}

const PY_LOCKED_INSTALL: Record<string, string> = {
  poetry: 'pipx install poetry\npoetry install --no-interaction --sync',
  pipenv: 'pipx install pipenv\npipenv sync --dev',
  uv: 'pipx install uv\nuv sync --locked',
};

const PY_RUN: Record<string, string> = { pip: '', poetry: 'poetry run ', pipenv: 'pipenv run ', uv: 'uv run ' };

/** The requirements file CI installs: one that brings pytest (dev/test files first), else requirements.txt. */
function pickRequirements(reqs: RequirementFile[]): RequirementFile | null {
  const rank = (f: string) => (/dev|test/.test(f) ? 0 : f === 'requirements.txt' ? 1 : 2);
  return [...reqs].sort((a, b) => rank(a.file) - rank(b.file) || a.file.localeCompare(b.file))[0] ?? null;
}

/**
 * pip without a lock manager: hash-checking mode only where the file can take it (every line hashed, no editable
 * line); the project itself when pyproject/setup.py describes one (with the extra that brings pytest); pytest when
 * nothing declares it. Each unlocked install is said in the notes, so the plan tells the user.
 */
function pipInstall(det: Detection): { run: string; notes: string[] } {
  const facts = det.ci.python;
  const lines: string[] = [];
  const notes: string[] = [];
  const req = facts ? pickRequirements(facts.requirements) : null;
  let projectInstalled = false;
  if (req) {
    if (req.hashed && !req.editable) lines.push(`python -m pip install --require-hashes -r ${req.file}`);
    else {
      lines.push(`python -m pip install -r ${req.file}`);
      notes.push(`${req.file} ${req.editable ? 'has editable (-e) lines' : 'has no hashes'}, which pip's --require-hashes refuses, so CI installs it unlocked`);
    }
    projectInstalled = req.editable;
  }
  if (facts?.installable && !projectInstalled) {
    const extra = facts.testExtra ? `[${facts.testExtra}]` : '';
    lines.push(`python -m pip install --editable ".${extra}"`);
  }
  const testsRun = det.python?.testCommand !== null;
  const pytestComes = Boolean(facts?.testExtra) || req?.pytest === true;
  if (testsRun && !pytestComes) {
    lines.push('python -m pip install pytest');
    notes.push(facts?.testGroup ? `pytest comes from the dependency group "${facts.testGroup}", which this pip cannot install; CI installs pytest itself` : 'nothing declares pytest, so CI installs it itself');
  }
  if (lines.length === 0) lines.push('echo "Nothing to install: no requirements file and no installable project."');
  return { run: lines.join('\n'), notes };
}

function pythonToolchain(det: Detection, pins: Pins): Toolchain | null {
  const py = det.python;
  if (!py) return null;
  const prefix = PY_RUN[py.manager] ?? '';
  const pip = py.manager === 'pip' ? pipInstall(det) : null;
  const install: Step = pip
    ? { name: 'Install the project and its test dependencies', run: pip.run }
    : { name: 'Install dependencies (locked)', run: PY_LOCKED_INSTALL[py.manager]! };
  const checks: Step[] = [
    // Byte-compiling every module catches syntax errors without installing a linter we would have to pin.
    { name: 'Lint (compile all modules)', run: "python -m compileall -q -x '(^|/)(\\.venv|venv|node_modules)/' ." },
  ];
  const notes = pip?.notes ?? [];
  // pytest exits 5 when it collects nothing: run it only where detect saw tests.
  if (py.testCommand !== null) checks.push({ name: 'Test', run: `${prefix}python -m pytest` });
  else notes.push('no tests found, so no test step');
  return {
    id: 'python',
    setup: [{ name: 'Set up Python', uses: pins.ref('actions/setup-python'), with: { 'python-version': '3.12' } }],
    install: [install],
    checks,
    notes,
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
    notes: [],
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
    notes: [],
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
