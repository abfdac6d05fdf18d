import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { createSastDetector, languagesToScan } from '../../src/scan/sast/index.js';
import { inlineScripts, parseableText } from '../../src/scan/sast/inline-scripts.js';
import type { Finding } from '../../src/scan/types.js';
import { fragmentsOf } from './helpers.js';

const detector = await createSastDetector(defaultConfig());
const scan = async (path: string, text: string, extra: { addedLines?: Set<number>; lineMap?: number[] } = {}) =>
  await detector.detect({ path, text, commit: null, ...extra });
const at = (f: Finding) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.rule}`;

describe('inline scripts of templates and HTML pages', () => {
  it('finds each runnable inline script, with its position in the file', () => {
    const text = [
      '<html><head>', // 0
      '  <script src="/a.js">eval(a)</script>', // 1: src: the body never runs
      '  <script type="application/ld+json">{"a": 1}</script>', // 2
      '  <!-- <script>eval(b)</script> -->', // 3: commented out
      '  <p>é</p><script>eval(c)</script>', // 4: after a non-ASCII character
      '  <SCRIPT type="module">', // 5
      '    eval(d)', // 6
      '  </SCRIPT>', // 7
      '  <script type="text/template"><%- x %></script>', // 8
      '  <script nonce=\'<%= n %>\' type="text/javascript">eval(e)</script>', // 9: a template tag with '>' in the start tag
      '</head></html>',
    ].join('\n');
    const scripts = inlineScripts('page.ejs', text);
    const lines = text.split('\n');
    expect(scripts.map((s) => [s.line, s.column, s.endLine, s.code.trim()])).toEqual([
      [4, lines[4]!.indexOf('eval(c)'), 4, 'eval(c)'],
      [5, lines[5]!.length, 7, 'eval(d)'],
      [9, lines[9]!.indexOf('eval(e)'), 9, 'eval(e)'],
    ]);
    expect(scripts[0]!.column).toBe(18); // UTF-16 units, as ast-grep counts
    for (const s of scripts) expect(s.code).toBe(text.slice(s.start, s.end));
    // positions survive in the text handed to the parser
    const second = parseableText(scripts[1]!).split('\n');
    expect(second[6]).toBe('    eval(d)');
  });

  it('replaces template tags by same-length markers that say how the engine encodes the value', () => {
    const body = [
      "var a = '<%= x %>';",
      'var b = <%- y %>;',
      '<% if (z) { %>run();<% } %>',
      'var c = <%- serialize(s) %>;',
      "var d = '<%= j(x) %>';", // EJS: not Ruby, so no JavaScript escaping
    ].join('\n');
    const [s] = inlineScripts('v.ejs', `<script>${body}</script>`);
    expect(s!.code.length).toBe(body.length);
    expect(s!.code.split('\n')).toEqual([
      "var a = '_$h_____';",
      'var b = _$r_____;',
      '/*          */run();/*   */',
      'var c = _$s________________;',
      "var d = '_$h________';",
    ]);
    // the marker (or comment) for a tag: same length, by construction
    const v = (tag: string, mark: string) => `_$${mark}`.padEnd(tag.length, '_');
    const c = (tag: string) => `/*${' '.repeat(tag.length - 4)}*/`;
    const [j] = inlineScripts(
      'v.jinja2',
      "<script>var a = {{ x|tojson }}; var b = '{{ y|escapejs }}'; var c = {{ z|safe }}; {% if q %}{# n #}{% endif %}</script>",
    );
    expect(j!.code).toBe(
      `var a = ${v('{{ x|tojson }}', 's')}; var b = '${v('{{ y|escapejs }}', 'j')}'; var c = ${v('{{ z|safe }}', 'r')}; ` +
        `${c('{% if q %}')}${c('{# n #}')}${c('{% endif %}')}`,
    );
    // a whole script inside {% raw %}: printed as it is, its braces are a client-side template's
    const [r] = inlineScripts('v.jinja2', "{% raw %}<script>var t = '{{ name }}';</script>{% endraw %}");
    expect(r!.code).toBe("var t = '{{ name }}';");
    // Go templates escape by context: every value is safe, whatever the extension (.html here)
    const [g] = inlineScripts('r.html', '{{ define "x" }}<script>var u = {{ .User }};</script>{{ end }}');
    expect(g!.code).toBe(`var u = ${v('{{ .User }}', 's')};`);
    // a value tag over several lines keeps its line breaks; the marker goes on its first line with room for it
    const [m] = inlineScripts('v.njk', '<script>f({{\n  user.name\n}});</script>');
    expect(m!.code).toBe('f(  \n_$h________\n  );');
  });

  it('takes ids, counts, CSRF tokens and router URLs for generated values, unless they read request data', () => {
    const marks = (file: string, body: string) =>
      [...inlineScripts(file, `<script>${body}</script>`)[0]!.code.matchAll(/_\$([rhjs])/g)].map((m) => m[1]).join('');
    expect(
      marks('v.erb', 'a(<%= current_user.id %>, <%= sanitize(user_pay_path(id: 1).inspect) %>, <%= params[:id] %>)'),
    ).toBe('ssh');
    expect(
      marks(
        'v.erb',
        'a(<%= "/u/#{current_user.id}.json".inspect.html_safe %>, <%= "/u/#{params[:u]}".inspect.html_safe %>)',
      ),
    ).toBe('sr');
    // a *_path helper is a Rails idea: in an EJS file it is a variable like any other
    expect(marks('v.ejs', 'a(<%= next_path %>, <%= order._id %>, <%= req.query.id %>)')).toBe('hsh');
    expect(
      marks('v.jinja2', "a('{{ user.pk }}', '{{ csrf_token }}', '{{ request.args.id }}', '{{ items|count }}')"),
    ).toBe('sshs');
  });

  it('reports JavaScript findings at the line and column of the template file (several scripts, multi-line)', async () => {
    const text = [
      '<%# header %>', // 1
      '<h1><%= title %></h1>', // 2
      '<script>', // 3
      '  var html = location.hash.slice(1);', // 4
      '  document.getElementById("out")', // 5
      '    .innerHTML = html;', // 6
      '</script>', // 7
      '<p>between</p><script>eval(code)</script>', // 8
      '<script>', // 9
      "  var u = '<%= user %>';", // 10
      '</script>', // 11
    ].join('\n');
    const found = await scan('views/page.ejs', text);
    expect(found.map(at)).toEqual([
      '5:3-6:22 js-xss-html-sink',
      '8:23-8:33 js-eval-dynamic',
      '10:12-10:23 tpl-script-interpolation',
    ]);
    const sink = found[0]!;
    expect(sink.lineText).toBe('  document.getElementById("out")');
    // the finding shows the template's own text, never the markers
    const tpl = found[2]!;
    expect(tpl.lineText).toBe("  var u = '<%= user %>';");
    expect(tpl.match).toBe('<%= user %>');
    // the same code one line lower keeps its fingerprint (it hashes the code, not the position)
    const moved = await scan('views/page.ejs', `\n${text}`);
    expect(moved.map((f) => f.line)).toEqual([6, 9, 11]);
    expect(moved.map((f) => f.fingerprint)).toEqual(found.map((f) => f.fingerprint));
  });

  it('keeps lines and columns right in CRLF files', async () => {
    const text = '<html>\r\n<body>\r\n  <script>\r\n    var x = 1;\r\n    eval(x);\r\n  </script>\r\n</body>\r\n';
    const found = await scan('page.html', text);
    expect(found.map(at)).toEqual(['5:5-5:12 js-eval-dynamic']);
    expect(found[0]!.lineText).toBe('    eval(x);');
  });

  it('in a commit, reports only findings on added lines; history fragments map to file lines', async () => {
    const text = '<script>\neval(a);\neval(b);\n</script>\n';
    expect((await scan('p.html', text, { addedLines: new Set([3]) })).map(at)).toEqual(['3:1-3:8 js-eval-dynamic']);
    const mapped = await scan('p.html', text, { lineMap: [10, 11, 12, 13] });
    expect(mapped.map((f) => f.line)).toEqual([11, 12]);
  });

  it('judges raw output inside a script by the script rule, and outside it by the HTML rule', async () => {
    const text =
      '<div><%- bio %></div>\n<script>\n  var s = <%- serialize(state) %>;\n  var b = <%- bio %>;\n</script>\n';
    expect((await scan('v.ejs', text)).map((f) => `${f.line} ${f.rule}`)).toEqual([
      '1 tpl-unescaped-output',
      '4 tpl-script-interpolation',
    ]);
  });

  it('honours inline allow markers in template comments, which the masking blanks out', async () => {
    const text =
      '<script>\n  <%# secure-repo:allow-next-line %>\n  var u = <%= user %>;\n  var v = <%= v %>;\n</script>\n';
    expect((await scan('v.ejs', text)).map((f) => f.line)).toEqual([4]);
  });

  it('a hook (rules loaded for the staged languages only) reports what a full scan reports, on every corpus template', async () => {
    const config = defaultConfig();
    const templates = (await fragmentsOf(path.join(import.meta.dirname, 'corpus'))).filter((f) =>
      f.path.startsWith('templates/'),
    );
    expect(templates.length).toBeGreaterThanOrEqual(8);
    for (const f of templates) {
      const hook = await createSastDetector(config, await languagesToScan(config, [f]));
      const keys = async (d: typeof detector) => (d.wants(f.path) ? (await d.detect(f)).map(at) : []);
      const full = await keys(detector);
      expect(full.length, f.path).toBeGreaterThan(0);
      expect(await keys(hook), f.path).toEqual(full);
    }
    // a script whose only template value is safe still hands it to the script rule (not to the HTML rule)
    const safe = { path: 'v.ejs', text: '<script>\n  var s = <%- serialize(state) %>;\n</script>\n', commit: null };
    const hook = await createSastDetector(config, await languagesToScan(config, [safe]));
    expect(await hook.detect(safe)).toEqual([]);
  });

  it('loads the JavaScript rules for a template only when one of its scripts may match', async () => {
    const config = defaultConfig();
    const plain = { path: 'views/a.html', text: '<p>Hello</p>\n<script>console.log(1)</script>\n' };
    const risky = { path: 'views/b.html', text: '<p>Hello</p>\n<script>eval(location.hash)</script>\n' };
    const tpl = { path: 'views/c.ejs', text: '<script>var u = <%= user %>;</script>\n' };
    expect([...(await languagesToScan(config, [plain]))]).toEqual([]);
    expect([...(await languagesToScan(config, [risky]))].sort()).toEqual(['Html', 'JavaScript']);
    expect([...(await languagesToScan(config, [tpl]))].sort()).toEqual(['Html', 'JavaScript']);
    // a hook's detector for those languages reports what the full one does
    const hookDetector = await createSastDetector(config, await languagesToScan(config, [risky]));
    expect(hookDetector.wants(risky.path)).toBe(true);
    expect((await hookDetector.detect({ ...risky, commit: null })).map((f) => f.rule)).toEqual(['js-eval-injection']);
  });
});
