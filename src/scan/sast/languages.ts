import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Which parser reads which file. JavaScript, TypeScript and Tsx are built into @ast-grep/napi; the others come from
 * @ast-grep/lang-* packages that ship prebuilt parsers (no install script needed) and are registered on first use.
 */
export type SastLanguage = 'JavaScript' | 'TypeScript' | 'Tsx' | 'Html' | 'python' | 'go' | 'java' | 'ruby' | 'php';

const BY_EXTENSION: Record<string, SastLanguage> = {
  '.js': 'JavaScript',
  '.mjs': 'JavaScript',
  '.cjs': 'JavaScript',
  '.jsx': 'JavaScript',
  '.ts': 'TypeScript',
  '.mts': 'TypeScript',
  '.cts': 'TypeScript',
  '.tsx': 'Tsx',
  '.py': 'python',
  '.go': 'go',
  '.java': 'java',
  '.rb': 'ruby',
  '.php': 'php',
  // Server-side templates: parsed as HTML, whose text nodes keep the template tags the rules look for.
  '.ejs': 'Html',
  '.html': 'Html',
  '.htm': 'Html',
  '.jinja': 'Html',
  '.jinja2': 'Html',
  '.j2': 'Html',
  '.njk': 'Html',
  '.hbs': 'Html',
  '.handlebars': 'Html',
  '.mustache': 'Html',
  '.tmpl': 'Html',
  '.gohtml': 'Html',
  '.erb': 'Html',
};

/**
 * Rule files name one language (ast-grep's spelling, any case); a JavaScript rule also runs on TypeScript and TSX,
 * whose grammars extend it, so one rule covers every flavour of the code. A Tsx (JSX) rule also runs on .js/.jsx,
 * since the JavaScript grammar includes JSX.
 */
const FAMILY: Record<string, SastLanguage[]> = {
  javascript: ['JavaScript', 'TypeScript', 'Tsx'],
  typescript: ['TypeScript', 'Tsx'],
  tsx: ['Tsx', 'JavaScript'],
  python: ['python'],
  go: ['go'],
  java: ['java'],
  ruby: ['ruby'],
  php: ['php'],
  html: ['Html'],
};

export const RULE_LANGUAGES = Object.keys(FAMILY);

export function languagesForRule(language: string): SastLanguage[] | undefined {
  return FAMILY[language.toLowerCase()];
}

/** The parser for a path, by extension; generated or declaration files are not worth parsing. */
export function languageForPath(file: string): SastLanguage | undefined {
  const base = path.posix.basename(file);
  if (base.endsWith('.min.js') || base.endsWith('.d.ts') || base.endsWith('.d.mts') || base.endsWith('.d.cts'))
    return undefined;
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return BY_EXTENSION[base.slice(dot).toLowerCase()];
}

type Napi = typeof import('@ast-grep/napi');
let napi: Napi | undefined;

/**
 * ast-grep's Node binding, through require: it is a CommonJS package, and an ESM import of one first runs Node's
 * export scanner over its loader, which costs 5-10 ms on every commit that runs SAST.
 */
export function loadNapi(): Napi {
  return (napi ??= createRequire(import.meta.url)('@ast-grep/napi') as Napi);
}

const DYNAMIC: SastLanguage[] = ['python', 'go', 'java', 'ruby', 'php'];

/** True for the languages whose parser is registered from an @ast-grep/lang-* package (not built into napi). */
export function isDynamic(lang: SastLanguage): boolean {
  return DYNAMIC.includes(lang);
}

interface LangPackage {
  libraryPath: string;
  extensions: string[];
  languageSymbol?: string;
  expandoChar?: string;
}

const registered = new Set<SastLanguage>(['JavaScript', 'TypeScript', 'Tsx', 'Html']);
const failed = new Set<SastLanguage>();
let registeredAll = false;

/**
 * Registers the extra parsers once per process (about 5 ms for all five). A parser that fails to load (an
 * unsupported platform) leaves its language out; `unavailableLanguages()` names it so callers can say what was skipped.
 */
export function registerLanguages(): void {
  if (registeredAll) return;
  registeredAll = true;
  const { registerDynamicLanguage } = loadNapi();
  const require = createRequire(import.meta.url);
  const langs: Record<string, LangPackage> = {};
  for (const lang of DYNAMIC) {
    try {
      const pkg = require(`@ast-grep/lang-${lang}`) as LangPackage;
      // Reading libraryPath resolves the prebuild now, so a missing one fails here and not mid-scan.
      langs[lang] = {
        libraryPath: pkg.libraryPath,
        extensions: pkg.extensions,
        ...(pkg.languageSymbol ? { languageSymbol: pkg.languageSymbol } : {}),
        ...(pkg.expandoChar ? { expandoChar: pkg.expandoChar } : {}),
      };
    } catch {
      failed.add(lang);
    }
  }
  if (Object.keys(langs).length > 0) registerDynamicLanguage(langs);
  for (const l of Object.keys(langs)) registered.add(l as SastLanguage);
}

export function isAvailable(lang: SastLanguage): boolean {
  return registered.has(lang);
}

export function unavailableLanguages(): SastLanguage[] {
  return [...failed];
}
