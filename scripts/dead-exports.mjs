// Lists exports of src/ that nothing imports (`npm run lint` runs it): an export no other file uses is either dead
// code or should not be exported. Reads the import graph with the TypeScript parser; usages count from src/, test/,
// bench/ and scripts/. A namespace import, `export *` or a dynamic import that is not destructured counts every
// export of its module as used.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED = ['src', 'test', 'bench', 'scripts', 'bin'];
const EXT = /\.(ts|mts|js|mjs)$/;

function walk(dir) {
  let out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'fixtures') out = out.concat(walk(p));
    } else if (EXT.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = SCANNED.flatMap((d) => {
  try {
    return walk(path.join(root, d));
  } catch {
    return [];
  }
});

/** `./x.js` from a .ts file means ./x.ts (NodeNext); only our own files matter. */
function resolve(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    path.join(base, 'index.ts'),
  ];
  // Scripts and benches import the build: dist/x.js stands for src/x.ts.
  const rel = path.relative(root, base);
  if (rel.startsWith(`dist${path.sep}`)) candidates.push(path.join(root, 'src', rel.slice(5)).replace(/\.js$/, '.ts'));
  return candidates.find((c) => fileSet.has(c)) ?? null;
}
const fileSet = new Set(files);

/** file → exported names (with their line), and file → names used by others ('*' = all). */
const exported = new Map();
const used = new Map();
const use = (file, name) => {
  if (!file) return;
  if (!used.has(file)) used.set(file, new Set());
  used.get(file).add(name);
};

const TYPE_KINDS = [ts.SyntaxKind.InterfaceDeclaration, ts.SyntaxKind.TypeAliasDeclaration];

/** Identifiers that exported declarations mention, other than their own name (a type in an exported signature). */
function namesInExportedSignatures(sf) {
  const seen = new Map();
  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? (ts.getModifiers(st) ?? []) : [];
    if (!mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const own = 'name' in st && st.name && ts.isIdentifier(st.name) ? st.name.text : null;
    const visit = (n) => {
      if (ts.isTypeReferenceNode(n) && ts.isIdentifier(n.typeName) && n.typeName.text !== own)
        seen.set(n.typeName.text, true);
      if (ts.isExpressionWithTypeArguments(n) && ts.isIdentifier(n.expression)) seen.set(n.expression.text, true);
      if (ts.isBlock(n)) return; // a function's body is not its signature
      ts.forEachChild(n, visit);
    };
    visit(st);
  }
  return seen;
}

function declaredExports(sf) {
  const names = [];
  const line = (n) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? (ts.getModifiers(st) ?? []) : [];
    const isExport = mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (isExport && isDefault) names.push({ name: 'default', line: line(st) });
    else if (isExport && ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations)
        if (ts.isIdentifier(d.name)) names.push({ name: d.name.text, line: line(d) });
    } else if (isExport && 'name' in st && st.name && ts.isIdentifier(st.name)) {
      names.push({ name: st.name.text, line: line(st), type: TYPE_KINDS.includes(st.kind) });
    } else if (
      ts.isExportDeclaration(st) &&
      !st.moduleSpecifier &&
      st.exportClause &&
      ts.isNamedExports(st.exportClause)
    ) {
      for (const el of st.exportClause.elements) names.push({ name: el.name.text, line: line(el) });
    } else if (ts.isExportAssignment(st)) names.push({ name: 'default', line: line(st) });
  }
  return names;
}

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS,
  );
  if (file.startsWith(path.join(root, 'src') + path.sep)) {
    const inSignatures = namesInExportedSignatures(sf);
    exported.set(
      file,
      declaredExports(sf).filter((e) => !(e.type && inSignatures.has(e.name))),
    );
  }
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const target = resolve(file, node.moduleSpecifier.text);
      const clause = node.importClause;
      if (!clause)
        use(target, '*'); // side-effect import: nothing named
      else {
        if (clause.name) use(target, 'default');
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) use(target, '*');
        else if (nb) for (const el of nb.elements) use(target, (el.propertyName ?? el.name).text);
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const target = resolve(file, node.moduleSpecifier.text);
      if (!node.exportClause || ts.isNamespaceExport(node.exportClause)) use(target, '*');
      else for (const el of node.exportClause.elements) use(target, (el.propertyName ?? el.name).text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      const target = arg && ts.isStringLiteralLike(arg) ? resolve(file, arg.text) : null;
      if (target) {
        // `const { a, b } = await import(x)`: a and b; anything else: the whole module.
        let p = node.parent;
        while (p && (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p))) p = p.parent;
        if (p && ts.isVariableDeclaration(p) && ts.isObjectBindingPattern(p.name)) {
          for (const el of p.name.elements) {
            const key = el.propertyName ?? el.name;
            if (ts.isIdentifier(key)) use(target, key.text);
            else use(target, '*');
          }
        } else if (p && ts.isPropertyAccessExpression(p) && p.name.text !== 'then') use(target, p.name.text);
        else use(target, '*');
      }
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      // typeof import('./x.js') or import('./x.js').Name
      const target = resolve(file, node.argument.literal.text);
      if (node.qualifier && ts.isIdentifier(node.qualifier)) use(target, node.qualifier.text);
      else use(target, '*');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

const dead = [];
for (const [file, names] of exported) {
  const u = used.get(file) ?? new Set();
  if (u.has('*')) continue;
  for (const { name, line } of names) if (!u.has(name)) dead.push(`${path.relative(root, file)}:${line}  ${name}`);
}
if (dead.length) {
  console.error(
    `${dead.length} export(s) that no other file imports (remove them, or drop \`export\` if only the file uses them):`,
  );
  for (const d of dead.sort()) console.error(`  ${d}`);
  process.exitCode = 1;
} else console.log(`dead exports: none (${exported.size} modules)`);
