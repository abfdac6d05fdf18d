import path from 'node:path';

/**
 * Inline `<script>` blocks of server-side templates and HTML pages, turned into JavaScript the JS rules can parse.
 *
 * Template tags inside a script (`<%= x %>`, `{{ x }}`, `{% if %}`) are not JavaScript. Each is replaced by text of
 * the same length, so every line and column of the script stays where it is in the template file:
 * - an output tag becomes an identifier, a marker `_$` + a letter for how the engine encodes the value + `_`s:
 *   `r` raw (EJS `<%-`, `{{{ }}}`, `|safe`), `h` HTML-escaped (`<%= %>`, `{{ }}`), `j` escaped for a JavaScript
 *   string (Django `|escapejs`, Rails `j()`), `s` safe anywhere in a script (JSON for a script: Jinja2 `|tojson`,
 *   serialize-javascript; numbers; Go's html/template, which escapes by context);
 * - a statement or comment tag becomes a block comment of the same length (line breaks kept).
 * The `tpl-script-interpolation` rule reads the markers; the other JavaScript rules see an identifier, a value
 * computed at run time, which is what a template value is.
 */

type TagEncoding = 'raw' | 'html' | 'js-string' | 'safe';

const MARK: Record<TagEncoding, string> = { raw: 'r', html: 'h', 'js-string': 'j', safe: 's' };

export interface InlineScript {
  /** Offset in the file of the script's first character, and of its `</script` (or the end of the file). */
  start: number;
  end: number;
  /** 0-based line and column (UTF-16 units, as ast-grep counts them) of `start`. */
  line: number;
  column: number;
  /** 0-based line and column of `end`. */
  endLine: number;
  endColumn: number;
  /** The script with its template tags replaced (same length as the file's text from start to end). */
  code: string;
}

/** Which template tags a file can hold, by extension; `.html` pages may be rendered by any engine. */
type Dialect = 'ejs' | 'erb' | 'curly' | 'go' | 'any';

const DIALECT: Record<string, Dialect> = {
  '.ejs': 'ejs',
  '.erb': 'erb',
  '.hbs': 'curly',
  '.handlebars': 'curly',
  '.mustache': 'curly',
  '.jinja': 'curly',
  '.jinja2': 'curly',
  '.j2': 'curly',
  '.njk': 'curly',
  '.tmpl': 'go',
  '.gohtml': 'go',
};

/**
 * A Go template: `{{ .Field }}`, `{{ $v }}`, `{{ range . }}`, `{{ template "x" }}`, `{{ end }}`. Go's html/template
 * escapes each value for the context it lands in (JavaScript and JS strings included), so no value there is flagged.
 */
const GO_TEMPLATE =
  /\{\{-?\s*(?:\.[A-Za-z_]|\$[A-Za-z_]|(?:range|with|if)\s+[.$]|(?:template|define|block)\s+"|end\s*-?\}\})/;

/** Script types a browser runs as JavaScript (missing and empty included); JSON, importmaps and client templates are not. */
const JS_TYPE =
  /^(?:(?:text|application)\/(?:x-)?(?:java|ecma)script(?:1\.\d)?|module|text\/(?:babel|jsx)|javascript)?$/;

/** The inline scripts of a template or HTML file: no `src=` scripts, no non-JavaScript types, none inside comments. */
export function inlineScripts(file: string, text: string): InlineScript[] {
  if (!/<script/i.test(text)) return [];
  const ext = path.posix.extname(file).toLowerCase();
  let dialect = DIALECT[ext] ?? 'any';
  if (dialect === 'any' && GO_TEMPLATE.test(text)) dialect = 'go';
  const out: InlineScript[] = [];
  // `{% raw %}...{% endraw %}` around a script: the engine prints it as it is, its tags are the browser's
  const literal =
    dialect === 'curly' || dialect === 'any'
      ? [...text.matchAll(/\{%-?\s*(raw|verbatim)\s*-?%\}[\s\S]*?\{%-?\s*end\1\s*-?%\}/g)].map((m) => [
          m.index,
          m.index + m[0].length,
        ])
      : [];
  const position = lineCounter(text);
  const find = finder(text);
  // Comments (HTML and template) are skipped whole: a commented-out script never runs.
  const next = /<script(?=[\s>/])|<!--|<%#|\{#|\{\{!/gi;
  for (let m = next.exec(text); m; m = next.exec(text)) {
    const token = m[0].toLowerCase();
    if (token !== '<script') {
      const close = { '<!--': '-->', '<%#': '%>', '{#': '#}', '{{!': '}}' }[token]!;
      const end = find(close, m.index + token.length);
      // an unclosed `{#` is text, not a comment
      if (end !== -1) next.lastIndex = end + close.length;
      continue;
    }
    const gt = startTagEnd(text, m.index + token.length);
    if (gt === -1) break;
    const attrs = text.slice(m.index + token.length, gt);
    const closeTag = /<\/script/gi;
    closeTag.lastIndex = gt + 1;
    const end = closeTag.exec(text)?.index ?? text.length;
    next.lastIndex = end;
    if (!runsAsJavaScript(attrs)) continue;
    const start = gt + 1;
    const body = text.slice(start, end);
    if (body.trim() === '') continue;
    const from = position(start);
    const to = position(end);
    const printed = literal.some(([a, b]) => a! <= start && end <= b!);
    const code = printed ? body : maskTags(body, dialect);
    out.push({ start, end, ...from, endLine: to.line, endColumn: to.column, code });
  }
  return out;
}

/** Whether the script holds a template value (whose encoding the script rule judges, even a safe one). */
export function holdsTemplateValue(script: InlineScript): boolean {
  return script.code.includes('_$');
}

/** The text ast-grep parses for a script: blank lines and spaces before it, so positions are the file's own. */
export function parseableText(script: InlineScript): string {
  return '\n'.repeat(script.line) + ' '.repeat(script.column) + script.code;
}

function runsAsJavaScript(attrs: string): boolean {
  const plain = attrs.replace(/<%[\s\S]*?%>|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, (t) => ' '.repeat(t.length));
  if (/(?:^|\s)src\s*=/i.test(plain)) return false;
  const type = /(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(plain);
  if (!type) return true;
  // a type the template writes (`type="<%= kind %>"`) cannot be known
  if (attrs.slice(type.index, type.index + type[0].length) !== type[0]) return false;
  const value = (type[1] ?? type[2] ?? type[3] ?? '').split(';')[0]!.trim().toLowerCase();
  return JS_TYPE.test(value);
}

/** The `>` that ends a start tag, past quoted attribute values and template tags (`nonce="<%= nonce %>"`). */
function startTagEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '>') return i;
    if (c === '"' || c === "'") {
      const q = text.indexOf(c, i + 1);
      if (q === -1) return -1;
      i = q;
    } else if (c === '<' && text[i + 1] === '%') {
      const q = text.indexOf('%>', i + 2);
      if (q === -1) return -1;
      i = q + 1;
    } else if (c === '{' && (text[i + 1] === '{' || text[i + 1] === '%')) {
      const q = text.indexOf(text[i + 1] === '{' ? '}}' : '%}', i + 2);
      if (q === -1) return -1;
      i = q + 1;
    }
  }
  return -1;
}

/** Offset → 0-based line and column; offsets must be asked in increasing order (one pass over the text). */
function lineCounter(text: string): (offset: number) => { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  let scanned = 0;
  return (offset) => {
    for (let i = text.indexOf('\n', scanned); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    scanned = Math.max(scanned, offset);
    return { line, column: offset - lineStart };
  };
}

/**
 * `text.indexOf(needle, from)` for searches made at increasing offsets, remembering the last answer per needle: a
 * closer that never comes (`{{` in plain JavaScript) is looked for once, not once per opener.
 */
function finder(text: string): (needle: string, from: number) => number {
  const memo = new Map<string, { from: number; at: number }>();
  return (needle, from) => {
    const m = memo.get(needle);
    if (m && m.from <= from && (m.at === -1 || m.at >= from)) return m.at;
    const at = text.indexOf(needle, from);
    memo.set(needle, { from, at });
    return at;
  };
}

/** Longest a `{{ }}`/`{% %}`/`{# #}` tag may be: past it, the braces are JavaScript's own (`{#private` in a class). */
const MAX_CURLY_TAG = 1000;

/** The script's text with every template tag replaced by a same-length placeholder (see the module comment). */
function maskTags(body: string, dialect: Dialect): string {
  const opener =
    dialect === 'ejs' || dialect === 'erb'
      ? /<%/g
      : dialect === 'go'
        ? /\{\{/g
        : dialect === 'curly'
          ? /\{[{%#]/g
          : /<%|\{[{%#]/g;
  let out = '';
  let done = 0;
  const find = finder(body);
  for (let m = opener.exec(body); m; m = opener.exec(body)) {
    const i = m.index;
    const tag = readTag(body, i, dialect, find);
    if (!tag) {
      opener.lastIndex = i + 2;
      continue;
    }
    out += body.slice(done, i) + placeholder(body.slice(i, tag.end), tag.encoding);
    done = tag.end;
    // `{% raw %}` / `{% verbatim %}`: what follows is printed as it is, up to the closing tag (client-side templates)
    if (tag.literalUntil) {
      const close = tag.literalUntil.exec(body.slice(done));
      if (!close) break;
      const closeStart = done + close.index;
      const closeEnd = closeStart + close[0].length;
      out += body.slice(done, closeStart) + placeholder(close[0], null);
      done = closeEnd;
    }
    opener.lastIndex = done;
  }
  return out + body.slice(done);
}

interface Tag {
  end: number;
  /** null: a statement or comment (no value written). */
  encoding: TagEncoding | null;
  literalUntil?: RegExp;
}

function readTag(
  body: string,
  i: number,
  dialect: Dialect,
  find: (needle: string, from: number) => number,
): Tag | null {
  if (body.startsWith('<%', i)) {
    if (body[i + 2] === '%') return null; // `<%%` prints a literal `<%`
    const close = find('%>', i + 2);
    if (close === -1) return null;
    const end = close + 2;
    const inner = body.slice(i + 2, close);
    const erb = dialect === 'erb';
    if (inner.startsWith('#')) return { end, encoding: null };
    if (erb && inner.startsWith('==')) return { end, encoding: rubyEncoding(inner.slice(2), 'raw') };
    if (inner.startsWith('=')) {
      const expr = inner.slice(1).replace(/[-=]$/, '');
      return { end, encoding: erb ? rubyEncoding(expr, 'html') : jsEncoding(expr, 'html') };
    }
    if (!erb && inner.startsWith('-')) {
      const expr = inner.slice(1).replace(/-$/, '');
      // `<%- include('partial') %>` inserts another template, not a value
      if (/^\s*include\b/.test(expr)) return { end, encoding: null };
      return { end, encoding: jsEncoding(expr, 'raw') };
    }
    return { end, encoding: null };
  }
  const kind = body.slice(i, i + 2);
  if (kind === '{{' && body[i + 2] === '{' && dialect !== 'go') {
    const close = find('}}}', i + 3);
    if (close === -1 || close - i > MAX_CURLY_TAG) return null;
    return { end: close + 3, encoding: 'raw' };
  }
  const closer = kind === '{{' ? '}}' : kind === '{%' ? '%}' : '#}';
  const close = find(closer, i + 2);
  if (close === -1 || close - i > MAX_CURLY_TAG) return null;
  const end = close + 2;
  const inner = body
    .slice(i + 2, close)
    .replace(/^[-~+]/, '')
    .replace(/[-~+]$/, '')
    .trim();
  if (kind === '{#') return { end, encoding: null };
  if (kind === '{%') {
    const raw = /^(raw|verbatim)\b/.exec(inner);
    if (!raw) return { end, encoding: null };
    return { end, encoding: null, literalUntil: new RegExp(`\\{%[-+]?\\s*end${raw[1]}\\s*[-+]?%\\}`) };
  }
  if (dialect === 'go') return { end, encoding: inner.startsWith('/*') ? null : 'safe' };
  // Handlebars/Mustache: comments, blocks, partials, else
  if (/^(?:[!#/^>]|else\b)/.test(inner)) return { end, encoding: null };
  if (inner.startsWith('&')) return { end, encoding: 'raw' };
  return { end, encoding: filterEncoding(inner) };
}

/**
 * Jinja2 / Django / Nunjucks / Twig filters: `tojson` (Jinja2: JSON with <, >, & and ' escaped, safe anywhere in a
 * script), `json_encode` (Twig: PHP escapes `/`), number filters; `escapejs` / `e('js')` (escaped for a JavaScript
 * string, not for code); `safe` / `raw` (no escaping at all); otherwise the engine's HTML autoescaping.
 */
function filterEncoding(expr: string): TagEncoding {
  const [value = '', ...rest] = expr.split(/(?<!\|)\|(?!\|)/);
  if (generatedValue(value, false)) return 'safe';
  const filters = rest.map((f) => f.trim());
  const names = filters.map((f) => /^[A-Za-z_]\w*/.exec(f)?.[0] ?? '');
  if (names.some((n) => /^(?:tojson|json_encode|int|float|length|count|round|abs|wordcount)$/.test(n))) return 'safe';
  if (names.includes('escapejs') || filters.some((f) => /^(?:e|escape)\s*\(\s*["']js["']/.test(f))) return 'js-string';
  if (names.includes('safe') || names.includes('raw')) return 'raw';
  return 'html';
}

/** Request data, by the names frameworks give it: a value that reads it is never taken for a generated one. */
const REQUEST_DATA = /\b(?:req|request|params|query|args|form|body|cookies|headers|GET|POST)\b/;

/**
 * Values the server generates that cannot hold a quote, a backslash, a line break or `<`: an object's id or primary
 * key and counts (numbers, or a UUID/ObjectId), the CSRF token ([A-Za-z0-9]), URLs from the router (percent-encoded:
 * Flask `url_for()`, Rails `*_path`/`*_url` helpers). Nothing that reads request data.
 */
function generatedValue(expr: string, erb: boolean): boolean {
  const e = expr.trim();
  if (REQUEST_DATA.test(e)) return false;
  if (/\.(?:_?id|pk|count|size|length)(?:\.to_s)?$/.test(e) || /^(?:csrf_token(?:\(\))?|url_for\s*\()/.test(e))
    return true;
  if (!erb) return false;
  if (/(?:^|[^@.\w])[a-z]\w*_(?:path|url)\b/.test(e)) return true;
  // a Ruby string of plain text and generated values: "/users/#{current_user.id}.json".inspect
  const literal = /^(?:raw\s*\(?\s*)?"([^"\\<]*)"(?:\.inspect)?(?:\.html_safe)?\)?$/.exec(e);
  return literal !== null && [...literal[1]!.matchAll(/#\{([^}]*)\}/g)].every((m) => generatedValue(m[1]!, true));
}

/**
 * An EJS expression: serialize-javascript, htmlescape and jsesc with isScriptContext encode for a script element;
 * numbers and booleans cannot carry code. `JSON.stringify` leaves `</script>` as it is (raw: unsafe; HTML-escaped,
 * its quotes become entities and the script breaks, but nothing runs).
 */
function jsEncoding(expr: string, encoding: 'html' | 'raw'): TagEncoding {
  const e = expr.trim();
  if (generatedValue(e, false)) return 'safe';
  if (/^(?:serialize|serializeJavascript|htmlescape|devalue|uneval)\s*\(/.test(e)) return 'safe';
  if (/^jsesc\s*\(/.test(e) && /isScriptContext\s*:\s*true/.test(e)) return 'safe';
  if (/^JSON\.stringify\s*\(/.test(e) && (encoding === 'html' || /\.replace\(\s*\/</.test(e))) return 'safe';
  if (/^(?:Number|parseInt|parseFloat|Math\.\w+)\s*\(|^-?\d+(?:\.\d+)?$|^(?:true|false)$|\.length$/.test(e))
    return 'safe';
  return encoding;
}

/** ERB: `j` / `escape_javascript` escape for a JavaScript string; `to_json` and `json_escape` give JSON Rails escapes for HTML. */
function rubyEncoding(expr: string, encoding: 'html' | 'raw'): TagEncoding {
  const e = expr.replace(/-$/, '').trim();
  if (generatedValue(e, true) || /\.to_json\b|\bjson_escape\b/.test(e)) return 'safe';
  if (/^(?:j|escape_javascript)\b/.test(e)) return 'js-string';
  if (/^raw\b|\.html_safe\b/.test(e)) return 'raw';
  return encoding;
}

/** Same length as `tag`: a marker identifier for a value, a block comment for anything else; line breaks kept. */
function placeholder(tag: string, encoding: TagEncoding | null): string {
  const blank = (t: string) => t.replace(/[^\r\n]/g, ' ');
  if (encoding === null) return tag.length >= 4 ? `/*${blank(tag.slice(2, -2))}*/` : blank(tag);
  const marker = `_$${MARK[encoding]}`;
  const fill = (n: number) => marker + '_'.repeat(Math.max(0, n - marker.length));
  if (!/[\r\n]/.test(tag)) return fill(tag.length);
  // a value tag over several lines: the marker on its first line with room for it, blanks (line breaks) elsewhere
  const parts = tag.split(/(\r?\n)/);
  const at = parts.findIndex((p, i) => i % 2 === 0 && p.length >= marker.length);
  return parts.map((p, i) => (i === at ? fill(p.length) : blank(p))).join('');
}
