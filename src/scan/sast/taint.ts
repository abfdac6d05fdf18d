import type { NapiConfig, Rule, SgNode } from '@ast-grep/napi';
import type { FlowStep } from '../types.js';
import type { SastLanguage } from './languages.js';

/**
 * Intra-procedural taint: does the value at a sink come from a source, through assignments, destructuring and
 * string building within the function? Sources and sanitizers are ast-grep utility rules (data, per language
 * folder); what counts as a definition, a scope and a variable is grammar knowledge and lives here.
 */
export interface TaintSpec {
  /** The metavariable (without `$`) holding the value that must not be tainted; absent: the whole match. */
  sink?: string;
  /** Utility rule names: a value matching one of these is tainted. */
  sources: string[];
  /** Utility rule names: a value matching one of these is clean, whatever it contains. */
  sanitizers?: string[];
  /** Utility rule names: the value at the sink, or one it was assigned from, must match one (e.g. HTML being built). */
  through?: string[];
}

interface Grammar {
  /** Node kinds that name a variable where it is used. */
  variable: string[];
  /** Function-like nodes: a variable is looked up in its own function first, then outwards. */
  scopes: string[];
  /** Definition nodes and the fields holding the target and the value. */
  defs: { kind: string; target: string; value: string; /** keeps earlier values (`+=`) */ adds?: boolean }[];
  /** Parameter list kinds: a parameter is a definition whose value is the parameter itself (for source rules on route handlers). */
  params?: string[];
  /** Child kinds never worth following (callee names, keys, types). */
  skip?: string[];
  /** Fields never worth following, by parent kind: `obj.name` names no variable `name`. */
  skipFields?: Record<string, string[]>;
}

const JS: Grammar = {
  variable: ['identifier', 'shorthand_property_identifier'],
  scopes: [
    'function_declaration',
    'function_expression',
    'arrow_function',
    'method_definition',
    'generator_function_declaration',
    'generator_function',
  ],
  defs: [
    { kind: 'variable_declarator', target: 'name', value: 'value' },
    { kind: 'assignment_expression', target: 'left', value: 'right' },
    { kind: 'augmented_assignment_expression', target: 'left', value: 'right', adds: true },
    { kind: 'for_in_statement', target: 'left', value: 'right' },
  ],
  params: ['formal_parameters'],
  skip: ['property_identifier', 'type_annotation', 'comment', 'regex'],
};

const GRAMMARS: Partial<Record<SastLanguage, Grammar>> = {
  JavaScript: JS,
  TypeScript: JS,
  Tsx: JS,
  python: {
    variable: ['identifier'],
    scopes: ['function_definition', 'lambda'],
    defs: [
      { kind: 'assignment', target: 'left', value: 'right' },
      { kind: 'augmented_assignment', target: 'left', value: 'right', adds: true },
      { kind: 'for_statement', target: 'left', value: 'right' },
      { kind: 'named_expression', target: 'name', value: 'value' },
    ],
    params: ['parameters'],
    skip: ['type', 'comment'],
    skipFields: { attribute: ['attribute'], keyword_argument: ['name'] },
  },
  go: {
    variable: ['identifier'],
    scopes: ['function_declaration', 'method_declaration', 'func_literal'],
    defs: [
      { kind: 'short_var_declaration', target: 'left', value: 'right' },
      { kind: 'assignment_statement', target: 'left', value: 'right' },
      { kind: 'var_spec', target: 'name', value: 'value' },
      { kind: 'const_spec', target: 'name', value: 'value' },
      { kind: 'range_clause', target: 'left', value: 'right' },
    ],
    params: ['parameter_list'],
    skip: ['field_identifier', 'type_identifier', 'qualified_type', 'pointer_type', 'package_identifier', 'comment'],
  },
  java: {
    variable: ['identifier'],
    scopes: ['method_declaration', 'constructor_declaration', 'lambda_expression'],
    defs: [
      { kind: 'variable_declarator', target: 'name', value: 'value' },
      { kind: 'assignment_expression', target: 'left', value: 'right' },
    ],
    params: ['formal_parameters'],
    skip: ['type_identifier', 'generic_type', 'line_comment', 'block_comment', 'modifiers'],
    skipFields: { method_invocation: ['name'], field_access: ['field'] },
  },
  ruby: {
    variable: ['identifier'],
    scopes: ['method', 'singleton_method', 'block', 'do_block', 'lambda'],
    defs: [
      { kind: 'assignment', target: 'left', value: 'right' },
      { kind: 'operator_assignment', target: 'left', value: 'right', adds: true },
    ],
    skip: ['comment', 'constant'],
    skipFields: { call: ['method'] },
  },
  php: {
    variable: ['variable_name'],
    scopes: [
      'function_definition',
      'method_declaration',
      'anonymous_function',
      'anonymous_function_creation_expression',
      'arrow_function',
    ],
    defs: [
      { kind: 'assignment_expression', target: 'left', value: 'right' },
      { kind: 'augmented_assignment_expression', target: 'left', value: 'right', adds: true },
    ],
    params: ['formal_parameters'],
    skip: ['comment', 'name'],
  },
};

interface Def {
  start: number;
  value: SgNode;
  adds: boolean;
  /** The statement list the definition sits in: a use inside it always sees this definition (or a later one). */
  block: SgNode | null;
  scope: number | null;
}

/** A definition as first collected: the assignment node (or `param`, the parameter itself is the site). */
interface PendingDef {
  value: SgNode;
  adds: boolean;
  node: SgNode | 'param';
}

const MAX_DEPTH = 12;

/** Per-file taint state, built lazily on the first sink that needs it and shared by every rule on the file. */
export class TaintContext {
  private readonly grammar: Grammar;
  private pending: Map<string, PendingDef[]> | undefined;
  private defs: Map<string, Def[]> | undefined;
  private readonly marks = new Map<string, Set<string>>();

  constructor(
    private readonly root: SgNode,
    language: SastLanguage,
  ) {
    // Templates (HTML) have no variables: a taint rule there sees only its sources.
    this.grammar = GRAMMARS[language] ?? { variable: [], scopes: [], defs: [] };
  }

  /** The taint path into the sink of `match`, source first; null when the sink's value is clean. */
  flowInto(match: SgNode, spec: TaintSpec, utils: Record<string, unknown>): SgNode[] | null {
    const target = spec.sink ? match.getMatch(spec.sink) : match;
    if (!target) return null;
    const sources = spec.sources.map((s) => this.marked(s, utils));
    const sanitizers = (spec.sanitizers ?? []).map((s) => this.marked(s, utils));
    const path = this.trace(target, sources, sanitizers, 0, new Set());
    if (!path) return null;
    if (spec.through) {
      const via = spec.through.map((s) => this.marked(s, utils));
      if (![target, ...path].some((n) => via.some((v) => v.has(key(n))))) return null;
    }
    return [...path, match];
  }

  /**
   * Start-end keys of every node in the file that the named utility rule matches: one pass per utility per file,
   * shared by all rules (a utility name means the same thing to every rule of a language folder).
   */
  private marked(util: string, utils: Record<string, unknown>): Set<string> {
    let set = this.marks.get(util);
    if (!set) {
      // Only the utilities this one needs: ast-grep compiles every utility (and its regexes) on each call.
      const config: NapiConfig = { rule: { matches: util }, utils: closure(util, utils) as Record<string, Rule> };
      set = new Set(this.root.findAll(config).map(key));
      this.marks.set(util, set);
    }
    return set;
  }

  private trace(
    node: SgNode,
    sources: Set<string>[],
    sanitizers: Set<string>[],
    depth: number,
    seen: Set<number>,
  ): SgNode[] | null {
    if (depth > MAX_DEPTH) return null;
    const k = key(node);
    if (sanitizers.some((s) => s.has(k))) return null;
    if (sources.some((s) => s.has(k))) return [node];
    const kind = node.kind() as string;
    if (this.grammar.variable.includes(kind)) {
      for (const def of this.reaching(node)) {
        if (seen.has(def.start)) continue;
        seen.add(def.start);
        const path = this.trace(def.value, sources, sanitizers, depth + 1, seen);
        if (path) return path[path.length - 1] === def.value ? path : [...path, def.value];
      }
      return null;
    }
    const skipped = this.grammar.skipFields?.[kind]
      ?.map((f) => node.field(f))
      .filter((n) => n !== null)
      .map(key);
    for (const child of node.children()) {
      if (!child.isNamed() || this.grammar.skip?.includes(child.kind() as string)) continue;
      if (skipped?.includes(key(child))) continue;
      const path = this.trace(child, sources, sanitizers, depth + 1, seen);
      if (path) return path;
    }
    return null;
  }

  /** Definitions of the variable that can reach this use: the latest one that always runs before it, and any later conditional ones. */
  private reaching(use: SgNode): Def[] {
    const all = this.defsOf(nameOf(use));
    if (!all) return [];
    const at = use.range().start.index;
    // Own function first; a variable not defined there comes from an enclosing one (closures, module constants),
    // never from a sibling function.
    const chain = this.scopeChain(use);
    let candidates: Def[] = [];
    for (const scope of chain) {
      candidates = all.filter((d) => d.scope === scope && (d.start < at || scope === null));
      if (candidates.length > 0) break;
    }
    const out: Def[] = [];
    for (let i = candidates.length - 1; i >= 0; i--) {
      const d = candidates[i]!;
      out.push(d);
      if (!d.adds && d.block && within(use, d.block)) break;
    }
    return out;
  }

  private scopeChain(node: SgNode): (number | null)[] {
    const chain: (number | null)[] = [];
    for (const a of node.ancestors())
      if (this.grammar.scopes.includes(a.kind() as string)) chain.push(a.range().start.index);
    chain.push(null);
    return chain;
  }

  private scopeOf(node: SgNode): number | null {
    for (const a of node.ancestors())
      if (this.grammar.scopes.includes(a.kind() as string)) return a.range().start.index;
    return null;
  }

  /** The definitions of `name`, sorted by position; worked out in full only for the names a trace asks about. */
  private defsOf(name: string): Def[] | undefined {
    let list = this.defs?.get(name);
    if (list) return list;
    const pending = this.allDefs().get(name);
    if (!pending) return undefined;
    // Where a definition sits and which function it belongs to walk its ancestors: a native call per step, which
    // for every definition of a large file costs more than all the rules' matching. Most names are never traced.
    list = pending
      .map(({ value, adds, node }) => {
        const site = node === 'param' ? value : statementOf(node);
        return { start: site.range().start.index, value, adds, block: site.parent(), scope: this.scopeOf(site) };
      })
      .sort((a, b) => a.start - b.start);
    (this.defs ??= new Map()).set(name, list);
    return list;
  }

  private allDefs(): Map<string, PendingDef[]> {
    if (this.pending) return this.pending;
    const defs = new Map<string, PendingDef[]>();
    const add = (target: SgNode, value: SgNode, node: SgNode | 'param', adds: boolean): void => {
      for (const name of this.boundNames(target)) {
        let list = defs.get(name);
        if (!list) defs.set(name, (list = []));
        list.push({ value, adds, node });
      }
    };
    const kinds = this.grammar.defs.map((d) => d.kind);
    for (const node of this.root.findAll({ rule: { any: kinds.map((kind) => ({ kind })) } })) {
      const d = this.grammar.defs.find((g) => g.kind === (node.kind() as string))!;
      const targets = node.fieldChildren(d.target);
      const values = node.fieldChildren(d.value);
      if (targets.length === 0 || values.length === 0) continue;
      // `a, b := x, y` pairs up; `a, err := f(x)` gives every target the one value.
      const lhs =
        targets.length === 1 && isList(targets[0]!) ? targets[0]!.children().filter((c) => c.isNamed()) : targets;
      const rhs = values.length === 1 && isList(values[0]!) ? values[0]!.children().filter((c) => c.isNamed()) : values;
      // `sql += x` keeps the whole statement as the value, so a rule can see what is being appended to.
      if (d.adds) for (const t of lhs) add(t, node, node, true);
      else if (lhs.length > 1 && lhs.length === rhs.length) lhs.forEach((t, i) => add(t, rhs[i]!, node, false));
      else for (const t of lhs) add(t, rhs.length === 1 ? rhs[0]! : values[0]!, node, false);
    }
    for (const list of this.grammar.params ?? []) {
      for (const params of this.root.findAll({ rule: { kind: list } })) {
        for (const p of params.children()) if (p.isNamed()) add(p, p, 'param', false);
      }
    }
    this.pending = defs;
    return defs;
  }

  /** Variable names bound by a definition target: a name, a destructuring pattern, a typed parameter. */
  private boundNames(target: SgNode): string[] {
    const kind = target.kind() as string;
    if (this.grammar.variable.includes(kind)) return [nameOf(target)];
    if (/member|attribute|subscript|selector|index|field_access|call/.test(kind)) return [];
    const names: string[] = [];
    for (const c of target.children()) {
      if (!c.isNamed()) continue;
      // `{ a: b }` binds b, `{ a = 1 }` binds a, `q: str = ...` binds q (the first named child).
      if ((c.kind() as string) === 'pair_pattern') {
        const v = c.field('value');
        if (v) names.push(...this.boundNames(v));
      } else if (
        (c.kind() as string) === 'shorthand_property_identifier_pattern' ||
        this.grammar.variable.includes(c.kind() as string)
      ) {
        names.push(nameOf(c));
        if (/parameter|assignment_pattern/.test(kind)) break;
      } else if (!/type|default|value/.test(c.kind() as string)) names.push(...this.boundNames(c));
    }
    return names;
  }
}

/** `name` and the utilities it references with `matches:`, transitively. */
function closure(name: string, utils: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'matches' && typeof v === 'string' && utils[v] && !(v in out)) {
        out[v] = utils[v];
        visit(utils[v]);
      } else visit(v);
    }
  };
  visit({ matches: name });
  return out;
}

function key(n: SgNode): string {
  const r = n.range();
  return `${r.start.index}:${r.end.index}`;
}

function nameOf(n: SgNode): string {
  return n.text().replace(/^\$/, '');
}

function isList(n: SgNode): boolean {
  return /expression_list|pattern_list|tuple_pattern|^tuple$|left_assignment_list/.test(n.kind() as string);
}

function within(node: SgNode, block: SgNode): boolean {
  const a = node.range();
  const b = block.range();
  return a.start.index >= b.start.index && a.end.index <= b.end.index;
}

/** The statement a definition belongs to (its parent is then the block a use must sit in to always see it). */
function statementOf(node: SgNode): SgNode {
  let n = node;
  for (let p = n.parent(); p; n = p, p = p.parent()) {
    const k = p.kind() as string;
    if (/block|statement_list|program|module|source_file|body|compound_statement|class_body/.test(k)) return n;
  }
  return n;
}

export function stepOf(node: SgNode): FlowStep {
  const { start, end } = node.range();
  return {
    line: start.line + 1,
    column: start.column + 1,
    endLine: end.line + 1,
    endColumn: end.column + 1,
    text: node.text().split('\n')[0]!.slice(0, 120),
  };
}
