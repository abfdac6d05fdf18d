import type { NapiConfig, SgNode, SgRoot } from '@ast-grep/napi';
import { CliError } from '../../core/errors.js';
import { fingerprintOf } from '../fingerprint.js';
import { lineAllows, previousLineAllows } from '../filters/inline-allow.js';
import type { Finding } from '../types.js';
import {
  isAvailable,
  isDynamic,
  languagesForRule,
  loadNapi,
  registerLanguages,
  type SastLanguage,
} from './languages.js';
import { isPrecompiled, ruleAdmits, type SastRule } from './rules.js';
import { stepOf, TaintContext } from './taint.js';
import { wordTester } from './words.js';

type Napi = typeof import('@ast-grep/napi');

export interface CompiledRule {
  rule: SastRule;
  config: NapiConfig;
}

/** Rules grouped by parser, ready to run. Build one per process with `compileRules` and reuse it for every file. */
export interface RuleSet {
  napi: Napi;
  byLanguage: Map<SastLanguage, CompiledRule[]>;
}

export function compileRules(rules: SastRule[]): RuleSet {
  const napi = loadNapi();
  // The extra parsers load only when a rule needs one: rules for JavaScript and TypeScript alone never load them.
  if (rules.some((r) => languagesForRule(r.language)?.some(isDynamic))) registerLanguages();
  const byLanguage = new Map<SastLanguage, CompiledRule[]>();
  for (const rule of rules) {
    const config: NapiConfig = { rule: rule.rule };
    if (rule.constraints) config.constraints = rule.constraints;
    if (rule.utils) config.utils = rule.utils;
    for (const lang of languagesForRule(rule.language) ?? []) {
      if (!isAvailable(lang)) continue;
      if (!isPrecompiled(rule)) checkCompiles(napi, lang, rule, config);
      let list = byLanguage.get(lang);
      if (!list) byLanguage.set(lang, (list = []));
      list.push({ rule, config });
    }
  }
  return { napi, byLanguage };
}

/** ast-grep compiles a rule when it first runs; try it on an empty file so a bad rule names its file up front. */
function checkCompiles(napi: Napi, lang: SastLanguage, rule: SastRule, config: NapiConfig): void {
  try {
    napi.parse(lang, '').root().findAll(config);
  } catch (err) {
    throw new CliError(
      `${rule.source}: SAST rule "${rule.id}" does not compile for ${lang}: ${(err as Error).message}.`,
      "Fix the rule; the format is ast-grep's rule YAML (see schema/sast-rule.schema.json).",
    );
  }
}

/** Files above this size, or whose lines are this long on average, are generated/minified: not worth parsing. */
const MAX_SAST_BYTES = 1024 * 1024;
const MINIFIED_AVG_LINE = 300;

export function looksGenerated(text: string): boolean {
  if (text.length > MAX_SAST_BYTES) return true;
  if (text.length < 4096) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.length / lines > MINIFIED_AVG_LINE;
}

export interface ScanInput {
  path: string;
  text: string;
  language: SastLanguage;
  commit: string | null;
  addedLines?: Set<number>;
  /** Fragment line → file line (see Fragment.lineMap); undefined when the text is the whole file. */
  lineMap?: number[];
  /** The text is a template's inline script (see inline-scripts.ts): rules scoped to those run, and only there. */
  inlineScript?: boolean;
  /** What a batch screening (screen.ts) already knows of this text. */
  screened?: Screened;
}

export interface Screened {
  /** The rules `candidatesFor` gives this text, so they are not looked for twice. */
  candidates: readonly CompiledRule[];
  /**
   * Rules found matching nothing in the file. When set, the screening stands in for the per-file combined call: an
   * empty set means something matched, so every candidate runs.
   */
  ruledOut?: ReadonlySet<string>;
}

/**
 * The rules of a language whose precheck words (and required words) occur in the text; rules scoped to templates'
 * inline scripts only for such a script.
 */
export function candidatesFor(
  set: RuleSet,
  text: string,
  language: SastLanguage,
  inlineScript = false,
): CompiledRule[] {
  // Many rules share their words (`req.`, `request.`): each is looked for once in a file.
  const has = wordTester(text);
  return (set.byLanguage.get(language) ?? []).filter(
    (c) => (c.rule.metadata?.scope !== 'template-script' || inlineScript) && ruleAdmits(c.rule, has),
  );
}

/** Runs every applicable rule on one file: one parse, then one match pass per rule whose precheck hits. */
export function scanText(set: RuleSet, input: ScanInput): Finding[] {
  const ruledOut = input.screened?.ruledOut;
  let candidates = (
    input.screened?.candidates ?? candidatesFor(set, input.text, input.language, input.inlineScript === true)
  ).filter((c) => !ruledOut?.has(c.rule.id));
  if (candidates.length === 0) return [];
  let root: SgRoot;
  try {
    root = set.napi.parse(input.language, input.text);
  } catch {
    return [];
  }
  const top = root.root();
  if (!ruledOut) candidates = withoutUnmatched(top, candidates);
  if (candidates.length === 0) return [];
  let findings: Finding[] = [];
  let lines: string[] | undefined;
  // One taint context per file, built on the first taint rule with a sink here.
  let taint: TaintContext | undefined;
  const fileLine = (l: number): number => input.lineMap?.[l - 1] ?? l;
  for (const { rule, config } of candidates) {
    const seen = new Set<number>();
    const spec = rule.metadata?.taint;
    const pinpoint = rule.metadata?.pinpoint ? new RegExp(rule.metadata.pinpoint) : undefined;
    for (const node of top.findAll(config)) {
      const { start, end } = node.range();
      // Nested matches of the same rule (a call inside a call) report once, at the outermost.
      if (seen.has(start.index)) continue;
      seen.add(start.index);
      let flow: ReturnType<typeof stepOf>[] | undefined;
      if (spec) {
        taint ??= new TaintContext(top, input.language);
        const path = taint.flowInto(node, spec, rule.utils ?? {});
        if (!path) continue;
        // One step per line: a source and the assignment it sits in are one step to a reader.
        flow = path
          .map(stepOf)
          .filter((s, i, all) => i === all.length - 1 || s.line !== all[i + 1]!.line)
          .map((s) => ({ ...s, line: fileLine(s.line), endLine: fileLine(s.endLine) }));
      }
      lines ??= input.text.split(/\r?\n/);
      // A multi-line match (a template's text node) reports each line the pinpoint regex hits.
      const spots = pinpoint
        ? range(start.line, end.line)
            .filter((l) => pinpoint.test(lines![l] ?? ''))
            .map((l) => ({ line: l, column: (lines![l] ?? '').search(pinpoint) }))
        : [{ line: start.line, column: start.column }];
      for (const spot of spots) {
        const firstLine = fileLine(spot.line + 1);
        const lastLine = pinpoint
          ? firstLine
          : fileLine(end.column === 0 && end.line > start.line ? end.line : end.line + 1);
        if (input.addedLines && !touches(input.addedLines, firstLine, lastLine)) continue;
        const lineText = lines[spot.line] ?? '';
        // Same inline markers as the secret scanner: on the line, or allow-next-line on the line above.
        if (lineAllows(lineText) || (spot.line > 0 && previousLineAllows(lines[spot.line - 1] ?? ''))) continue;
        const snippet = pinpoint ? lineText.trim() : node.text();
        findings.push({
          kind: 'sast',
          rule: rule.id,
          severity: rule.severity,
          file: input.path,
          line: firstLine,
          column: spot.column + 1,
          endLine: pinpoint ? firstLine : fileLine(end.line + 1),
          // exclusive, as in SARIF: the column after the last character
          endColumn: pinpoint ? lineText.length + 1 : end.column + 1,
          commit: input.commit,
          message: rule.message,
          remediation: rule.note.trim(),
          fingerprint: fingerprint(rule.id, input.path, snippet),
          match: snippet,
          lineText,
          ...(rule.cwe ? { cwe: rule.cwe } : {}),
          ...(rule.owasp ? { owasp: rule.owasp } : {}),
          ...(flow && flow.length > 1 ? { flow } : {}),
        });
      }
    }
  }
  // A refining rule (request data reaches the command) replaces the general one on the same line.
  const superseded = new Set<string>();
  for (const { rule } of candidates) {
    for (const id of rule.metadata?.supersedes ?? []) {
      for (const f of findings) if (f.rule === rule.id) superseded.add(`${id}:${f.line}`);
    }
  }
  if (superseded.size > 0) findings = findings.filter((f) => !superseded.has(`${f.rule}:${f.line}`));
  return findings.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

/**
 * All the given rules that can run as one ast-grep call: alternatives under `any`, their utilities merged. Rules with
 * constraints (their metavariable names could clash) and rules whose utility names clash with another's are left
 * out: they always run on their own.
 */
export function combineRules(
  candidates: readonly CompiledRule[],
  wrap: (c: CompiledRule) => NapiConfig['rule'] = (c) => c.config.rule,
): { config: NapiConfig; ids: Set<string> } | null {
  const utils: Record<string, unknown> = {};
  const rules: NapiConfig['rule'][] = [];
  const ids = new Set<string>();
  for (const c of candidates) {
    if (c.config.constraints) continue;
    const own = c.config.utils ?? {};
    const clash = Object.entries(own).some(
      ([k, v]) => k in utils && utils[k] !== v && JSON.stringify(utils[k]) !== JSON.stringify(v),
    );
    if (clash) continue;
    Object.assign(utils, own);
    rules.push(wrap(c));
    ids.add(c.rule.id);
  }
  if (ids.size === 0) return null;
  return { config: { rule: { any: rules }, utils: utils as NapiConfig['utils'] }, ids };
}

/**
 * ast-grep compiles a rule, its utilities and their regexes on every match call, which costs more than matching
 * on ordinary code. One call with all the rules as alternatives answers "does any of them match here at all?";
 * most files in a commit have no finding, and then each rule's own call is skipped.
 */
function withoutUnmatched(top: SgNode, candidates: CompiledRule[]): CompiledRule[] {
  const combined = combineRules(candidates);
  if (!combined || combined.ids.size < 2) return candidates;
  if (top.find(combined.config) !== null) return candidates;
  return candidates.filter((c) => !combined.ids.has(c.rule.id));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function touches(added: Set<number>, first: number, last: number): boolean {
  for (let l = first; l <= last; l++) if (added.has(l)) return true;
  return false;
}

/**
 * rule + file + hash of the matched code with whitespace collapsed, so the fingerprint survives the code moving to
 * other lines or being re-indented, and changes when the code itself changes.
 */
function fingerprint(rule: string, file: string, snippet: string): string {
  return fingerprintOf(rule, file, snippet.replace(/\s+/g, ' ').trim());
}
