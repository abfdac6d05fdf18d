/**
 * Literal anchors: most token rules read `(?<![A-Za-z0-9_])(ghp_[A-Za-z0-9]{36})`. V8 cannot skip ahead on such a
 * regex (the look-behind comes first), so it tries every position of the text. When every match must contain a
 * literal (`ghp_`) a bounded distance from its start, the literal's occurrences (found by indexOf, which is fast)
 * say where matches can start, and a sticky copy of the regex is tried only there. The matches are exactly the
 * global regex's: every start it could match at is tried, in order.
 */
export interface Anchor {
  literal: string;
  /** How far after a match's start the literal can begin. */
  min: number;
  max: number;
  /** The rule's regex, sticky. */
  sticky: RegExp;
}

interface Width {
  min: number;
  max: number;
}

/** A parsed piece of a sequence: a plain literal character or anything else with its width bounds. */
type Item = { lit: string } | Width;

class Unsupported extends Error {}

/**
 * Parses just enough of a regex source (no `u`/`v` flag) to find, in its top-level sequence, literal runs at a
 * bounded offset from the match start. Anything it does not know makes it give up: no anchor, the plain regex runs.
 */
class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  atEnd(): boolean {
    return this.i === this.src.length;
  }

  /** Alternatives separated by `|` up to a `)` or the end. */
  alternatives(): Item[][] {
    const alts: Item[][] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Item[] {
    const items: Item[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      const q = this.quantifier();
      if (q === null) {
        if (Array.isArray(atom)) items.push(...atom);
        else items.push(atom);
      } else {
        const w = Array.isArray(atom) ? seqWidth(atom) : 'lit' in atom ? { min: 1, max: 1 } : atom;
        items.push({ min: w.min * q.min, max: w.max === 0 ? 0 : w.max * q.max });
      }
    }
    return items;
  }

  /** One atom: a literal, a class, an escape, or a group (its items when it is a plain sequence). */
  private atom(): Item | Item[] {
    const s = this.src;
    const c = s[this.i]!;
    if (c === '(') {
      this.i++;
      let zeroWidth = false;
      if (s.startsWith('?:', this.i)) this.i += 2;
      else if (s.startsWith('?=', this.i) || s.startsWith('?!', this.i)) {
        this.i += 2;
        zeroWidth = true;
      } else if (s.startsWith('?<=', this.i) || s.startsWith('?<!', this.i)) {
        this.i += 3;
        zeroWidth = true;
      } else if (s.startsWith('?<', this.i)) {
        const end = s.indexOf('>', this.i);
        if (end === -1) throw new Unsupported();
        this.i = end + 1;
      } else if (s[this.i] === '?') throw new Unsupported();
      const alts = this.alternatives();
      if (s[this.i] !== ')') throw new Unsupported();
      this.i++;
      if (zeroWidth) return { min: 0, max: 0 };
      return alts.length === 1 ? alts[0]! : altWidth(alts);
    }
    if (c === '[') {
      this.i++;
      if (s[this.i] === '^') this.i++;
      if (s[this.i] === ']') this.i++; // a leading `]` is literal
      while (this.i < s.length && s[this.i] !== ']') this.i += s[this.i] === '\\' ? 2 : 1;
      if (this.i >= s.length) throw new Unsupported();
      this.i++;
      return { min: 1, max: 1 };
    }
    if (c === '\\') {
      const e = s[this.i + 1];
      this.i += 2;
      if (e === undefined) throw new Unsupported();
      if ('dDwWsS'.includes(e)) return { min: 1, max: 1 };
      if (e === 'b' || e === 'B') return { min: 0, max: 0 };
      if (e === 'n') return { lit: '\n' };
      if (e === 'r') return { lit: '\r' };
      if (e === 't') return { lit: '\t' };
      // Escaped punctuation is itself; letters and digits (back-references, \x, \u, \c, \k...) are not handled.
      if (/[A-Za-z0-9]/.test(e)) throw new Unsupported();
      return { lit: e };
    }
    this.i++;
    if (c === '.') return { min: 1, max: 1 };
    if (c === '^' || c === '$') return { min: 0, max: 0 };
    if ('*+?{}]'.includes(c)) throw new Unsupported();
    return { lit: c };
  }

  private quantifier(): Width | null {
    const s = this.src;
    const c = s[this.i];
    let q: Width;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) throw new Unsupported();
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
      this.i += m[0].length - 1;
    } else return null;
    this.i++;
    if (s[this.i] === '?') this.i++; // lazy: same bounds
    return q;
  }
}

function seqWidth(items: Item[]): Width {
  let min = 0;
  let max = 0;
  for (const it of items) {
    if ('lit' in it) {
      min++;
      max++;
    } else {
      min += it.min;
      max += it.max;
    }
  }
  return { min, max };
}

function altWidth(alts: Item[][]): Width {
  const ws = alts.map(seqWidth);
  return { min: Math.min(...ws.map((w) => w.min)), max: Math.max(...ws.map((w) => w.max)) };
}

/** The anchor for a rule's regex, or null when it has none worth using (then the regex runs as it is). */
export function anchorFor(regex: RegExp): Anchor | null {
  if (/[uvy]/.test(regex.flags)) return null;
  const caseless = regex.flags.includes('i');
  let items: Item[][];
  try {
    const p = new Parser(regex.source);
    items = p.alternatives();
    if (items.length !== 1 || !p.atEnd()) return null;
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
  let best: { literal: string; min: number; max: number } | null = null;
  let min = 0;
  let max = 0;
  const seq = items[0]!;
  for (let k = 0; k < seq.length && max !== Infinity;) {
    const it = seq[k]!;
    if (!('lit' in it)) {
      min += it.min;
      max += it.max;
      k++;
      continue;
    }
    let run = '';
    const at = { min, max };
    while (k < seq.length && 'lit' in seq[k]!) run += (seq[k++] as { lit: string }).lit;
    min += run.length;
    max += run.length;
    // Case-insensitive regexes can anchor only on literals that have no case (`://`).
    if (caseless && /[A-Za-z\u0080-\uffff]/.test(run)) continue;
    if (run.length < 2) continue;
    if (!best || run.length > best.literal.length) best = { literal: run, ...at };
  }
  if (!best) return null;
  return { ...best, sticky: new RegExp(regex.source, regex.flags.replace('g', '') + 'y') };
}

/**
 * Calls `onMatch` for every match of the anchored regex in `text`, in order, exactly as repeated `exec` with the
 * global regex would find them.
 */
export function eachAnchoredMatch(a: Anchor, text: string, onMatch: (m: RegExpExecArray) => void): void {
  const re = a.sticky;
  let pos = 0; // no match may start before the end of the previous one
  let tried = 0; // starts below this were tried already (windows of nearby literals overlap)
  let occ = text.indexOf(a.literal, a.min);
  while (occ !== -1) {
    const from = Math.max(pos, tried, occ - a.max);
    const to = occ - a.min;
    let next = -1;
    for (let s = from; s <= to; s++) {
      re.lastIndex = s;
      const m = re.exec(text);
      if (m !== null) {
        onMatch(m);
        next = s + m[0].length;
        break;
      }
    }
    if (next !== -1) {
      pos = next;
      tried = next;
      occ = text.indexOf(a.literal, pos + a.min);
    } else {
      tried = Math.max(tried, to + 1);
      occ = text.indexOf(a.literal, occ + 1);
    }
  }
}
