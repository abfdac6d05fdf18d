import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rule } from '@ast-grep/napi';
import { SEVERITIES, type Severity } from '../../config/types.js';
import { CliError } from '../../core/errors.js';
import { nodeCrypto } from '../../core/crypto.js';
import { languagesForRule, RULE_LANGUAGES } from './languages.js';
import type { TaintSpec } from './taint.js';
import { necessaryWords } from './words.js';

/**
 * A SAST rule as written in `rules/sast/<language>/<id>.yml`: ast-grep's rule form (id, language, message, note,
 * rule, constraints, utils) with our severity scale and metadata (cwe, owasp, precheck, tests).
 */
export interface SastRule {
  id: string;
  language: string;
  severity: Severity;
  message: string;
  /** How to fix it; becomes the finding's remediation. */
  note: string;
  cwe?: string;
  owasp?: string;
  /**
   * Plain substrings; the rule runs on a file only when its text contains one of them. Skips most rules on most
   * files without parsing, which is what keeps the commit hook fast.
   */
  precheck?: string[];
  rule: Rule;
  constraints?: Record<string, Rule>;
  utils?: Record<string, Rule>;
  tests?: { valid?: string[]; invalid?: string[] };
  /** Derived from the rule when it is read (see words.ts): a file must contain one of them to hold a match. */
  words?: string[];
  /** ast-grep's free-form rule metadata; ours: `taint` (see TaintSpec), `lands` (where a finding is reported). */
  metadata?: RuleMetadata;
  /** Where the rule was read from (for error messages and the rule list). */
  source: string;
}

export interface RuleMetadata {
  /** Report only matches whose value flows from a source (see taint.ts). */
  taint?: TaintSpec;
  /** Where the finding lands, in words (the sink call, the assignment, the template line). */
  lands?: string;
  /**
   * A regex: report one finding per line of the match that it matches (template files, whose text nodes span
   * many lines), instead of one at the match's start.
   */
  pinpoint?: string;
  /**
   * Plain substrings like `precheck`, and-ed with it: the file must also contain one of these (a taint rule's
   * sources: no request data in the file, no finding possible), so the rule is skipped without parsing.
   */
  requires?: string[];
  /** Rule ids this one refines: their findings on a line this rule reports are dropped. */
  supersedes?: string[];
  /**
   * `template-script`: a JavaScript rule that runs only on the inline scripts of templates, whose template tags are
   * replaced by markers (see inline-scripts.ts); a superseded rule's findings inside those scripts are dropped.
   */
  scope?: 'template-script';
  [key: string]: unknown;
}

/** Folder of the bundled rules: `rules/sast` at the package root (same depth from src/ and dist/). */
/**
 * Whether a file whose text answers `has` can hold a match of the rule without parsing it: one of its precheck
 * words, one of its required words (a taint rule's sources) and one of its derived words (its sinks) occur.
 */
export function ruleAdmits(rule: RuleWords, has: (word: string) => boolean): boolean {
  return (
    (!rule.precheck || rule.precheck.some(has)) &&
    (!rule.metadata?.requires || rule.metadata.requires.some(has)) &&
    (!rule.words || rule.words.some(has))
  );
}

export function bundledRulesDir(): string {
  return fileURLToPath(new URL('../../../rules/sast/', import.meta.url));
}

const UTILS_FILE = '_utils.yml';
/** The rules precompiled to JSON (see `buildRuleBundle`); used when its hash matches the YAML sources. */
export const BUNDLE_FILE = 'rules.json';
/** What decides whether a rule may match a file without parsing it, for every rule: small, read on every commit. */
export const WORDS_FILE = 'words.json';

/** The part of a rule that `ruleAdmits` reads. */
export type RuleWords = Pick<SastRule, 'id' | 'language' | 'precheck' | 'words'> & {
  metadata?: Pick<RuleMetadata, 'requires'>;
};
const cache = new Map<string, Promise<SastRule[]>>();
/** Rules read from a fresh bundle: they compiled when the bundle was built, so need no check at load time. */
const precompiled = new WeakSet<SastRule>();

export function isPrecompiled(rule: SastRule): boolean {
  return precompiled.has(rule);
}

/**
 * Loads every rule under `dir` (once per process and folder), sorted by id. Malformed rule files are exit-2 errors.
 * Fast path: `rules.json`, when its recorded hash equals the hash of the YAML files (reading and hashing them costs
 * a few ms; parsing them with the YAML library costs ~150 ms, too much for a commit hook). Stale or missing: YAML.
 * The bundle leaves out each rule's own examples (`tests`): `withTests` reads them from the YAML.
 */
export function loadRules(dir: string = bundledRulesDir(), { withTests = false } = {}): Promise<SastRule[]> {
  const key = `${withTests ? 'tests:' : ''}${dir}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = readRules(dir, withTests);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

interface RuleSource {
  /** Path relative to the rules folder, POSIX. */
  rel: string;
  text: string;
}

interface RuleBundle {
  version: 1;
  hash: string;
  rules: SastRule[];
}

/** Synchronous on purpose: some fifty small files read in a row are several times faster this way at start-up. */
function readSources(dir: string): RuleSource[] {
  let langDirs: string[];
  try {
    langDirs = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch (err) {
    throw new CliError(
      `cannot read the SAST rules in ${dir}: ${(err as Error).message}.`,
      'Reinstall create-secure-repo.',
    );
  }
  const sources: RuleSource[] = [];
  for (const langDir of langDirs.sort()) {
    const names = readdirSync(path.join(dir, langDir))
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
    for (const name of names) {
      sources.push({ rel: `${langDir}/${name}`, text: readFileSync(path.join(dir, langDir, name), 'utf8') });
    }
  }
  return sources;
}

function hashSources(sources: RuleSource[]): string {
  const h = nodeCrypto().createHash('sha256');
  for (const s of sources) h.update(s.rel).update('\0').update(s.text).update('\0');
  return h.digest('hex');
}

/**
 * An installed package never changes its rules, so its bundle is used as it is; a source checkout (it has `src/`)
 * checks that the bundle matches the YAML, which costs reading and hashing every rule file.
 */
function bundleTrusted(dir: string): boolean {
  return dir === bundledRulesDir() && !existsSync(path.join(dir, '..', '..', 'src'));
}

const hashes = new Map<string, string>();
function currentHash(dir: string): string {
  let hash = hashes.get(dir);
  if (hash === undefined) hashes.set(dir, (hash = hashSources(readSources(dir))));
  return hash;
}

/**
 * Each rule's words (see ruleAdmits), from the small words file when it is current: enough to tell whether a
 * change can hold a SAST finding at all, without reading the rules themselves. Undefined when the file is stale.
 */
export function loadRuleWords(dir: string = bundledRulesDir()): RuleWords[] | undefined {
  const file = path.join(dir, WORDS_FILE);
  if (!existsSync(file)) return undefined;
  const index = JSON.parse(readFileSync(file, 'utf8')) as { version: number; hash: string; rules: RuleWords[] };
  if (index.version !== 1 || (!bundleTrusted(dir) && index.hash !== currentHash(dir))) return undefined;
  return index.rules;
}

/** The words file for a bundle built by `buildRuleBundle`. */
export function buildRuleWords(bundleText: string): string {
  const bundle = JSON.parse(bundleText) as RuleBundle;
  const rules: RuleWords[] = bundle.rules.map((r) => ({
    id: r.id,
    language: r.language,
    ...(r.precheck ? { precheck: r.precheck } : {}),
    ...(r.metadata?.requires ? { metadata: { requires: r.metadata.requires } } : {}),
    ...(r.words ? { words: r.words } : {}),
  }));
  return `${JSON.stringify({ version: 1, hash: bundle.hash, rules })}\n`;
}

async function readRules(dir: string, withTests: boolean): Promise<SastRule[]> {
  const bundleFile = path.join(dir, BUNDLE_FILE);
  const bundleText = !withTests && existsSync(bundleFile) ? readFileSync(bundleFile, 'utf8') : null;
  if (bundleText !== null) {
    const bundle = JSON.parse(bundleText) as RuleBundle;
    if (bundle.version === 1 && (bundleTrusted(dir) || bundle.hash === currentHash(dir))) {
      return bundle.rules.map((r) => {
        const rule = { ...r, source: path.join(dir, r.source) };
        precompiled.add(rule);
        return rule;
      });
    }
  }
  return (await parseSources(readSources(dir), dir)).map((r) => ({ ...r, source: path.join(dir, r.source) }));
}

/** Parses the YAML rule files; `source` in the result is relative to the rules folder. */
async function parseSources(sources: RuleSource[], dir: string): Promise<SastRule[]> {
  const { parse } = await import('yaml');
  const shared = new Map<string, Record<string, Rule>>();
  for (const s of sources) {
    if (path.posix.basename(s.rel) !== UTILS_FILE) continue;
    const doc = parseYaml(parse, s.text, path.join(dir, s.rel)) as { utils?: Record<string, Rule> } | null;
    shared.set(path.posix.dirname(s.rel), doc?.utils ?? {});
  }
  const rules: SastRule[] = [];
  for (const s of sources) {
    if (path.posix.basename(s.rel) === UTILS_FILE) continue;
    const file = path.join(dir, s.rel);
    const rule = checkRule(parseYaml(parse, s.text, file), file);
    // Utility rules shared by the folder (ast-grep's global utils), merged in; ast-grep compiles a rule's utils on
    // every match call, so keep only the ones the rule actually references.
    const utils = usedUtils(rule, { ...shared.get(path.posix.dirname(s.rel)), ...rule.utils });
    delete rule.utils;
    if (Object.keys(utils).length > 0) rule.utils = utils;
    const taint = rule.metadata?.taint;
    for (const name of [...(taint?.sources ?? []), ...(taint?.sanitizers ?? []), ...(taint?.through ?? [])]) {
      if (!utils[name])
        throw new CliError(
          `${file}: metadata.taint names "${name}", which is no utility rule of this folder or the rule.`,
          "Define it under utils: in the rule or the folder's _utils.yml.",
        );
    }
    const words = necessaryWords(rule.rule, utils);
    rules.push({ ...rule, ...(words ? { words } : {}), source: s.rel });
  }
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id))
      throw new CliError(`duplicate SAST rule id "${r.id}" (${r.source}).`, 'Give every rule a unique id.');
    seen.add(r.id);
  }
  return rules.sort((a, b) => a.id.localeCompare(b.id));
}

/** Names referenced with `matches:` from the rule and its constraints, followed through the utils themselves. */
function usedUtils(rule: SastRule, available: Record<string, Rule>): Record<string, Rule> {
  const used: Record<string, Rule> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'matches' && typeof v === 'string' && available[v] && !used[v]) {
        used[v] = available[v];
        visit(available[v]);
      } else visit(v);
    }
  };
  visit(rule.rule);
  visit(rule.constraints);
  // Taint sources and sanitizers are utility rules too, named in the metadata.
  const taint = rule.metadata?.taint;
  for (const name of [...(taint?.sources ?? []), ...(taint?.sanitizers ?? []), ...(taint?.through ?? [])])
    visit({ matches: name });
  return used;
}

/**
 * The JSON bundle for `dir` (written to rules/sast/rules.json by scripts/build-sast-rules.mjs). Parses from YAML
 * every time, never from an existing bundle.
 */
export async function buildRuleBundle(dir: string = bundledRulesDir()): Promise<string> {
  const sources = readSources(dir);
  // Without the rules' own examples, and compact: the hook reads and parses this file on every commit with SAST.
  const rules = (await parseSources(sources, dir)).map(({ tests: _tests, ...rule }) => rule);
  const bundle: RuleBundle = { version: 1, hash: hashSources(sources), rules };
  return `${JSON.stringify(bundle)}\n`;
}

function parseYaml(parse: (src: string) => unknown, text: string, file: string): unknown {
  try {
    return parse(text);
  } catch (err) {
    throw new CliError(`${file}: malformed rule YAML: ${(err as Error).message.split('\n')[0]}.`, 'Fix the rule file.');
  }
}

/** The checks that matter at run time; the full shape is in schema/sast-rule.schema.json (enforced by the tests). */
function checkRule(raw: unknown, file: string): SastRule {
  const bad = (what: string): never => {
    throw new CliError(`${file}: invalid SAST rule: ${what}.`, 'See schema/sast-rule.schema.json for the rule format.');
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return bad('not a mapping');
  const r = raw as Record<string, unknown>;
  for (const key of ['id', 'language', 'severity', 'message', 'note'] as const) {
    if (typeof r[key] !== 'string' || r[key].length === 0) bad(`"${key}" must be a non-empty string`);
  }
  if (!SEVERITIES.includes(r.severity as Severity)) bad(`severity must be one of ${SEVERITIES.join(', ')}`);
  if (!languagesForRule(r.language as string)) bad(`language must be one of ${RULE_LANGUAGES.join(', ')}`);
  if (!r.rule || typeof r.rule !== 'object') bad('"rule" must be a mapping');
  if (r.precheck !== undefined && !(Array.isArray(r.precheck) && r.precheck.every((k) => typeof k === 'string' && k))) {
    bad('"precheck" must be a list of non-empty strings');
  }
  const tests = r.tests as Record<string, unknown> | undefined;
  for (const key of ['valid', 'invalid']) {
    const list = tests?.[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((t) => typeof t === 'string'))) {
      bad(`tests.${key} must be a list of code strings (quote snippets that contain ": ")`);
    }
  }
  const meta = r.metadata as Record<string, unknown> | undefined;
  if (meta !== undefined && (typeof meta !== 'object' || meta === null || Array.isArray(meta)))
    bad('"metadata" must be a mapping');
  const taint = meta?.taint as Record<string, unknown> | undefined;
  if (taint !== undefined) {
    const names = (v: unknown): boolean =>
      Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x);
    if (!names(taint.sources)) bad('metadata.taint.sources must be a non-empty list of utility rule names');
    if (taint.sanitizers !== undefined && !names(taint.sanitizers))
      bad('metadata.taint.sanitizers must be a list of utility rule names');
    if (taint.through !== undefined && !names(taint.through))
      bad('metadata.taint.through must be a list of utility rule names');
    if (taint.sink !== undefined && (typeof taint.sink !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(taint.sink))) {
      bad('metadata.taint.sink must be a metavariable name such as ARG (no $)');
    }
  }
  const base = path.basename(file).replace(/\.ya?ml$/, '');
  if (base !== r.id) bad(`the file name must be the rule id ("${String(r.id)}.yml")`);
  return { ...(r as unknown as Omit<SastRule, 'source'>), source: file };
}
