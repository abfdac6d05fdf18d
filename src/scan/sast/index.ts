import type { Config } from '../../config/types.js';
import type { Detector, Fragment } from '../types.js';
import { compileRules, looksGenerated, scanText, type Screened } from './engine.js';
import { screenFiles, type ScreenInput } from './screen.js';
import { wordTester } from './words.js';
import { isAvailable, languageForPath, languagesForRule, type SastLanguage } from './languages.js';
import { loadRules, loadRuleWords, ruleAdmits, type RuleWords } from './rules.js';
import { isTestCode } from './test-code.js';

export { loadRules, bundledRulesDir, type SastRule } from './rules.js';
export { isTestCode } from './test-code.js';
export { unavailableLanguages, languageForPath } from './languages.js';

/** Rule ids to drop: exact ids, or a prefix ending in `*` (`py-*`). Both `scan.disableRules` and `scan.sast.disableRules` apply. */
function enabledRules<R extends { id: string }>(rules: R[], disabled: string[]): R[] {
  const exact = new Set(disabled.filter((d) => !d.endsWith('*')));
  const prefixes = disabled.filter((d) => d.endsWith('*')).map((d) => d.slice(0, -1));
  return rules.filter((r) => !exact.has(r.id) && !prefixes.some((p) => r.id.startsWith(p)));
}

/**
 * The languages among `files` that an enabled rule may match: one of its precheck words occurs in a file of that
 * language (a rule without a precheck always may), the same test the engine applies before parsing. Reads the
 * rules but loads no parser, so a change whose code holds none of the words never loads ast-grep at all.
 */
export async function languagesToScan(
  config: Config,
  files: readonly { path: string; text: string }[],
): Promise<Set<SastLanguage>> {
  const out = new Set<SastLanguage>();
  const sast = config.scan.sast;
  if (!sast.enabled) return out;
  if (!files.some((f) => languageForPath(f.path))) return out;
  // The small words file answers this without reading the rules (stale in a source checkout: the rules).
  const rules = enabledRules(loadRuleWords() ?? (await loadRules()), [
    ...config.scan.disableRules,
    ...sast.disableRules,
  ]);
  for (const f of files) {
    const lang = languageForPath(f.path);
    if (!lang || (out.has(lang) && (lang !== 'Html' || out.has('JavaScript'))) || looksGenerated(f.text)) continue;
    const applies = (r: RuleWords, ruleLang: SastLanguage, has: (word: string) => boolean) =>
      languagesForRule(r.language)?.includes(ruleLang) && ruleAdmits(r, has);
    const has = wordTester(f.text);
    if (rules.some((r) => applies(r, lang, has))) out.add(lang);
    // A template's inline scripts are JavaScript: their rules (and the template parser) load when one may match.
    if (lang === 'Html' && !out.has('JavaScript')) {
      // loaded for templates only: a commit without one never reads the module
      const { holdsTemplateValue, inlineScripts } = await import('./inline-scripts.js');
      const scripts = inlineScripts(f.path, f.text);
      // a template value in a script is judged by the script rule, not the HTML one, in a hook as in a full scan
      if (
        scripts.some((s) => {
          const inScript = wordTester(s.code);
          return holdsTemplateValue(s) || rules.some((r) => applies(r, 'JavaScript', inScript));
        })
      ) {
        out.add('Html');
        out.add('JavaScript');
      }
    }
  }
  return out;
}

/**
 * SAST detector: bundled ast-grep rules (rules/sast/<language>/*.yml) run on JavaScript/TypeScript, Python, Go,
 * Java, Ruby and PHP. Rules are read once per process and compiled once per detector; each file is parsed once
 * for all the rules of its language whose words it holds (none: not parsed at all), after a batch screening
 * (`prepare`) has ruled out what it could.
 */
export async function createSastDetector(config: Config, languages?: ReadonlySet<SastLanguage>): Promise<Detector> {
  const sast = config.scan.sast;
  if (!sast.enabled) return { kind: 'sast', wants: () => false, detect: () => [] };
  let rules = enabledRules(await loadRules(), [...config.scan.disableRules, ...sast.disableRules]);
  // A hook knows which languages it will scan: rules (and parsers) for the others are not compiled or loaded.
  if (languages) rules = rules.filter((r) => languagesForRule(r.language)?.some((l) => languages.has(l)));
  const set = compileRules(rules);
  const wants = (file: string): boolean => {
    const lang = languageForPath(file);
    // templates and HTML pages: the HTML rules, and the JavaScript rules on their inline scripts
    if (lang === 'Html') return set.byLanguage.has('Html') || set.byLanguage.has('JavaScript');
    return lang !== undefined && isAvailable(lang) && set.byLanguage.has(lang);
  };
  const scannable = (fragment: Fragment): SastLanguage | undefined => {
    const language = languageForPath(fragment.path);
    if (!language || !wants(fragment.path) || looksGenerated(fragment.text)) return undefined;
    if (sast.testFiles === 'skip' && isTestCode(fragment.path)) return undefined;
    return language;
  };
  // What a batch screening found, per fragment (see screen.ts).
  const screenedOf = new WeakMap<Fragment, Screened>();
  return {
    kind: 'sast',
    wants,
    async prepare(fragments) {
      const inputs: ScreenInput[] = [];
      const screened: Fragment[] = [];
      for (const f of fragments) {
        const language = scannable(f);
        if (!language) continue;
        inputs.push({ text: f.text, language, ...(f.disk ? { disk: f.disk } : {}) });
        screened.push(f);
      }
      const results = await screenFiles(set, inputs);
      results.forEach((result, i) => screenedOf.set(screened[i]!, result));
    },
    async detect(fragment: Fragment) {
      const language = scannable(fragment);
      if (!language) return [];
      const testCode = sast.testFiles !== 'normal' && isTestCode(fragment.path);
      const screened = screenedOf.get(fragment);
      // (no JavaScript rules loaded: a template's scripts cannot hold a finding, and the HTML rules suffice)
      const scripts = language === 'Html' && set.byLanguage.has('JavaScript');
      const scan = scripts ? (await import('./inline-scan.js')).scanTemplate : scanText;
      const findings = scan(set, {
        path: fragment.path,
        text: fragment.text,
        language,
        commit: fragment.commit,
        ...(fragment.addedLines ? { addedLines: fragment.addedLines } : {}),
        ...(fragment.lineMap ? { lineMap: fragment.lineMap } : {}),
        ...(screened ? { screened } : {}),
      });
      // Test code: reported so it can be seen, at low severity, and never blocking (see blocking()).
      return testCode
        ? findings.map((f) => ({ ...f, severity: f.severity === 'info' ? 'info' : 'low', testCode: true }))
        : findings;
    },
  };
}
