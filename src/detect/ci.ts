import type { RepoFiles } from './files.js';
import type { CiFacts, PythonCiFacts, RequirementFile } from './types.js';

/**
 * What generated CI needs to know to run on the project as it is: which installs can be locked, what a container
 * would run, which toolchain the module asks for, and which of our jobs the project already runs itself.
 */
export async function detectCiFacts(files: RepoFiles): Promise<CiFacts> {
  const [python, go, existing, nodeEntry] = await Promise.all([
    pythonFacts(files),
    goFacts(files),
    existingWorkflows(files),
    nodeEntryPoint(files),
  ]);
  return { python, go, existing, nodeEntry };
}

/** pip's hash-checking mode needs `--hash=` on every requirement and refuses editable (`-e`) lines. */
function readRequirements(file: string, text: string): RequirementFile {
  // Continuation lines carry the hashes of the requirement above them: join them first.
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
  const editable = logical.some((l) => /^(-e|--editable)(\s|=)/.test(l));
  const requirements = logical.filter((l) => !l.startsWith('-'));
  const hashed = requirements.length > 0 && requirements.every((l) => /--hash[=\s]/.test(l));
  return {
    file,
    hashed,
    editable,
    pytest: requirements.some((l) => /^pytest([^\w-]|$)/i.test(l)),
    includes: logical
      .filter((l) => /^(-r|--requirement)(\s|=)/.test(l))
      .map((l) => l.replace(/^(-r|--requirement)[\s=]+/, '')),
  };
}

/** Top-level tables of a TOML file, as name → raw body. Enough for the few keys we read; not a TOML parser. */
function tomlTables(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name = '';
  let body: string[] = [];
  const flush = () => out.set(name, (out.get(name) ?? '') + body.join('\n'));
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[([^[\]]+)\]\s*(#.*)?$/.exec(line);
    if (m) {
      flush();
      name = m[1]!.trim();
      body = [];
    } else body.push(line);
  }
  flush();
  return out;
}

/** Keys of a table whose array value mentions a package (e.g. the extra that installs pytest). */
function keysMentioning(body: string | undefined, pkg: RegExp): string[] {
  if (!body) return [];
  const out: string[] = [];
  for (const m of body.matchAll(/^\s*"?([A-Za-z0-9_.-]+)"?\s*=\s*\[([\s\S]*?)\]/gm))
    if (pkg.test(m[2]!)) out.push(m[1]!);
  return out;
}

function firstKey(body: string | undefined): string | null {
  return body ? (/^\s*"?([A-Za-z0-9_.-]+)"?\s*=/m.exec(body)?.[1] ?? null) : null;
}

async function pythonFacts(files: RepoFiles): Promise<PythonCiFacts | null> {
  const reqNames = files.files.filter((f) => /^requirements[\w.-]*\.txt$/.test(f));
  const pyproject = await files.read('pyproject.toml');
  if (reqNames.length === 0 && pyproject === null && !files.has('setup.py') && !files.has('setup.cfg')) return null;
  const requirements: RequirementFile[] = [];
  for (const f of reqNames) {
    const text = await files.read(f);
    if (text !== null) requirements.push(readRequirements(f, text));
  }
  const tables = tomlTables(pyproject ?? '');
  const pytest = /["']pytest\b/;
  const testExtra = keysMentioning(tables.get('project.optional-dependencies'), pytest)[0] ?? null;
  const testGroup = keysMentioning(tables.get('dependency-groups'), pytest)[0] ?? null;
  const installable =
    tables.has('project') || tables.has('build-system') || files.has('setup.py') || files.has('setup.cfg');
  return {
    requirements,
    installable,
    testExtra,
    testGroup,
    declaresPytest:
      Boolean(testExtra || testGroup) ||
      requirements.some((r) => r.pytest) ||
      /^\s*pytest\s*=/m.test(tables.get('tool.poetry.group.dev.dependencies') ?? ''),
    script: firstKey(tables.get('project.scripts')) ?? firstKey(tables.get('tool.poetry.scripts')),
  };
}

/** `go 1.22` / `go 1.25.0` and `toolchain go1.25.3` from the root (or shallowest) go.mod. */
async function goFacts(files: RepoFiles): Promise<CiFacts['go']> {
  const mods = files.byName(/^go\.mod$/).sort((a, b) => a.split('/').length - b.split('/').length);
  const mod = mods[0];
  if (!mod) return null;
  const text = (await files.read(mod)) ?? '';
  const dir = mod.includes('/') ? mod.slice(0, mod.lastIndexOf('/')) : '.';
  const version = /^go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(text)?.[1] ?? null;
  const toolchain = /^toolchain\s+go(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(text)?.[1] ?? null;
  return { dir, version, toolchain, main: await goMain(files, dir) };
}

/** The module's main package: its root when a root .go file says `package main`, else the first cmd/<name>. */
async function goMain(files: RepoFiles, dir: string): Promise<string | null> {
  const prefix = dir === '.' ? '' : `${dir}/`;
  const isMain = async (f: string) => /^package\s+main\b/m.test((await files.read(f)) ?? '');
  const inDir = (d: string) =>
    files.files.filter((f) => f.startsWith(d) && /^[^/]+\.go$/.test(f.slice(d.length)) && !f.endsWith('_test.go'));
  for (const f of inDir(prefix)) if (await isMain(f)) return '.';
  const cmds = [
    ...new Set(
      files.files
        .filter((f) => f.startsWith(`${prefix}cmd/`))
        .map((f) => f.slice(prefix.length).split('/').slice(0, 2).join('/')),
    ),
  ].sort();
  for (const c of cmds) for (const f of inDir(`${prefix}${c}/`)) if (await isMain(f)) return `./${c}`;
  return null;
}

/** The user's own workflows (ours carry a header and are left out) that already run CodeQL, Scorecard or dependency review. */
async function existingWorkflows(files: RepoFiles): Promise<CiFacts['existing']> {
  const out: CiFacts['existing'] = { codeql: [], scorecard: [], dependencyReview: [] };
  for (const f of files.matching(/^\.github\/workflows\/[^/]+\.ya?ml$/)) {
    if (/\/secure-repo-[a-z]+\.yml$/.test(f)) continue;
    const text = (await files.read(f)) ?? '';
    const uses = (re: RegExp) => text.split('\n').some((l) => /^\s*(-\s+)?uses:/.test(l) && re.test(l));
    if (uses(/github\/codeql-action\/(init|analyze)@/)) out.codeql.push(f);
    if (uses(/ossf\/scorecard-action@/)) out.scorecard.push(f);
    if (uses(/actions\/dependency-review-action@/)) out.dependencyReview.push(f);
  }
  return out;
}

/** What `node` runs in a container: the file in `node X` of the start script, else package.json's main, when it exists. */
async function nodeEntryPoint(files: RepoFiles): Promise<string | null> {
  const pkg = await files.readJson<{ main?: string; scripts?: Record<string, string> }>('package.json');
  if (!pkg) return null;
  const fromStart = /^node\s+(?:--[\w-]+(?:=\S+)?\s+)*([^\s;&|-][^\s;&|]*)/.exec(pkg.scripts?.start ?? '')?.[1];
  for (const candidate of [fromStart, pkg.main]) {
    if (!candidate) continue;
    const rel = candidate.replace(/^\.\//, '');
    for (const f of [rel, `${rel}.js`, `${rel}/index.js`]) if (files.has(f)) return f;
  }
  return null;
}
