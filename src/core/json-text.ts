/**
 * Edits a JSON object as text: members that did not change keep their bytes (inline arrays, `{ "a": 1 }` on one
 * line, odd spacing), and what is added is spliced in so that taking it out again gives the original back. Used
 * for package.json, which users format by hand as often as npm formats it.
 */

interface Member {
  key: string;
  /** Offset of the key's opening quote. */
  start: number;
  valueStart: number;
  valueEnd: number;
}

interface ObjectSpan {
  open: number;
  close: number;
  members: Member[];
}

class Scanner {
  constructor(
    readonly text: string,
    public at = 0,
  ) {}
  ws(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }
  string(): string {
    const start = this.at;
    if (this.text[this.at] !== '"') throw new Error('expected a string');
    this.at++;
    while (this.at < this.text.length && this.text[this.at] !== '"') this.at += this.text[this.at] === '\\' ? 2 : 1;
    this.at++;
    return JSON.parse(this.text.slice(start, this.at)) as string;
  }
  value(): void {
    const c = this.text[this.at];
    if (c === '"') return void this.string();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.at++;
      this.ws();
      if (this.text[this.at] === close) return void this.at++;
      for (;;) {
        if (c === '{') {
          this.string();
          this.ws();
          this.at++; // ':'
          this.ws();
        }
        this.value();
        this.ws();
        const sep = this.text[this.at++];
        if (sep === close) return;
        if (sep !== ',') throw new Error('expected , or a closing bracket');
        this.ws();
      }
    }
    const m = /^[^\s,\]}]+/.exec(this.text.slice(this.at));
    if (!m) throw new Error('expected a value');
    this.at += m[0].length;
  }
  object(): ObjectSpan {
    const open = this.at;
    if (this.text[this.at] !== '{') throw new Error('expected an object');
    this.at++;
    const members: Member[] = [];
    this.ws();
    if (this.text[this.at] === '}') return { open, close: this.at++, members };
    for (;;) {
      const start = this.at;
      const key = this.string();
      this.ws();
      this.at++; // ':'
      this.ws();
      const valueStart = this.at;
      this.value();
      members.push({ key, start, valueStart, valueEnd: this.at });
      this.ws();
      const sep = this.text[this.at++];
      if (sep === '}') return { open, close: this.at - 1, members };
      if (sep !== ',') throw new Error('expected , or }');
      this.ws();
    }
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

interface Edit {
  from: number;
  to: number;
  text: string;
}

/**
 * The edits that turn the object at `span` from `before` into `after`. Objects that changed inside are edited
 * member by member down to `depth` levels; anything else that changed is re-serialised in place.
 */
function objectEdits(
  text: string,
  span: ObjectSpan,
  before: Record<string, Json>,
  after: Record<string, Json>,
  unit: string,
  eol: string,
  depth: number,
): Edit[] {
  const edits: Edit[] = [];
  const multiline = text.slice(span.open, span.close).includes('\n');
  const outer = lineIndent(text, span.open);
  const inner = span.members.length > 0 ? lineIndent(text, span.members[0]!.start) : outer + unit;
  const serialize = (v: Json) =>
    JSON.stringify(v, null, multiline ? unit : undefined)
      .split('\n')
      .join(`${eol}${inner}`);
  const member = (k: string) => `${JSON.stringify(k)}: ${serialize(after[k]!)}`;
  const byKey = new Map(span.members.map((m) => [m.key, m]));
  const kept = span.members.map((m) => m.key in after);

  // Removed members, a run of neighbours at a time: with the separator before them (or after, when first).
  for (let i = 0; i < span.members.length; i++) {
    if (kept[i]) continue;
    let j = i;
    while (j + 1 < span.members.length && !kept[j + 1]) j++;
    const prev = span.members[i - 1];
    const next = span.members[j + 1];
    if (prev) edits.push({ from: prev.valueEnd, to: span.members[j]!.valueEnd, text: '' });
    else if (next) edits.push({ from: span.members[i]!.start, to: next.start, text: '' });
    else edits.push({ from: span.open + 1, to: span.close, text: '' });
    i = j;
  }

  // Changed members.
  for (const m of span.members) {
    if (!(m.key in after)) continue;
    const b = before[m.key];
    const a = after[m.key]!;
    if (same(a, b)) continue;
    if (depth > 0 && isObject(a) && isObject(b) && text[m.valueStart] === '{') {
      const sub = new Scanner(text, m.valueStart).object();
      edits.push(...objectEdits(text, sub, b, a, unit, eol, depth - 1));
    } else edits.push({ from: m.valueStart, to: m.valueEnd, text: serialize(a) });
  }

  // Added members go right after the member they follow in the new order (or before the first one).
  const keys = Object.keys(after);
  const added = keys.filter((k) => !byKey.has(k));
  if (added.length === 0) return edits;
  const sep = multiline ? `,${eol}${inner}` : ', ';
  if (span.members.length === 0) {
    const body = added.map(member).join(sep);
    const wrapped =
      multiline || text.slice(span.open, span.close + 1) === '{}' ? `${eol}${inner}${body}${eol}${outer}` : ` ${body} `;
    edits.push({ from: span.open + 1, to: span.close, text: wrapped });
    return edits;
  }
  keys.forEach((k, i) => {
    if (byKey.has(k)) return;
    const prevKey = keys
      .slice(0, i)
      .reverse()
      .find((p) => byKey.has(p));
    if (prevKey)
      edits.push({ from: byKey.get(prevKey)!.valueEnd, to: byKey.get(prevKey)!.valueEnd, text: `${sep}${member(k)}` });
    else edits.push({ from: span.members[0]!.start, to: span.members[0]!.start, text: `${member(k)}${sep}` });
  });
  return edits;
}

/**
 * `after` written into `text` (whose parsed value is `before`) with the fewest bytes changed, or null when the
 * text is not a plain JSON object this can edit (the caller then re-serialises the whole file).
 */
export function spliceJson(text: string, before: unknown, after: unknown, unit: string, eol: string): string | null {
  if (!isObject(before) || !isObject(after)) return null;
  try {
    const s = new Scanner(text);
    s.ws();
    const span = s.object();
    const edits = objectEdits(text, span, before, after, unit, eol, 1);
    // Apply from the end so offsets stay valid; inserts at one offset keep their order.
    const order = edits.map((e, i) => ({ e, i })).sort((x, y) => y.e.from - x.e.from || y.i - x.i);
    let out = text;
    for (const { e } of order) out = out.slice(0, e.from) + e.text + out.slice(e.to);
    return same(JSON.parse(out), after) ? out : null;
  } catch {
    return null;
  }
}
