import type { Config } from '../../config/types.js';
import type { Detector, Fragment } from '../types.js';
import { compileRules, looksGenerated, scanText } from './engine.js';
import { isAvailable, languageForPath } from './languages.js';
import { loadRules, type SastRule } from './rules.js';

export { loadRules, bundledRulesDir, type SastRule } from './rules.js';
export { unavailableLanguages, languageForPath } from './languages.js';

/** Rule ids to drop: exact ids, or a prefix ending in `*` (`py-*`). Both `scan.disableRules` and `scan.sast.disableRules` apply. */
function enabledRules(rules: SastRule[], disabled: string[]): SastRule[] {
  const exact = new Set(disabled.filter((d) => !d.endsWith('*')));
  const prefixes = disabled.filter((d) => d.endsWith('*')).map((d) => d.slice(0, -1));
  return rules.filter((r) => !exact.has(r.id) && !prefixes.some((p) => r.id.startsWith(p)));
}

/**
 * SAST detector: bundled ast-grep rules (rules/sast/<language>/*.yml) run on JavaScript/TypeScript, Python, Go,
 * Java, Ruby and PHP. Rules are read once per process and compiled once per detector; each file is parsed once
 * for all the rules of its language whose precheck it passes (none: not parsed at all).
 */
export async function createSastDetector(config: Config): Promise<Detector> {
  const sast = config.scan.sast;
  if (!sast.enabled) return { kind: 'sast', wants: () => false, detect: () => [] };
  const rules = enabledRules(await loadRules(), [...config.scan.disableRules, ...sast.disableRules]);
  const set = await compileRules(rules);
  const wants = (file: string): boolean => {
    const lang = languageForPath(file);
    return lang !== undefined && isAvailable(lang) && set.byLanguage.has(lang);
  };
  return {
    kind: 'sast',
    wants,
    detect(fragment: Fragment) {
      const language = languageForPath(fragment.path);
      if (!language || !set.byLanguage.has(language) || looksGenerated(fragment.text)) return [];
      return scanText(set, {
        path: fragment.path,
        text: fragment.text,
        language,
        commit: fragment.commit,
        ...(fragment.addedLines ? { addedLines: fragment.addedLines } : {}),
        ...(fragment.lineMap ? { lineMap: fragment.lineMap } : {}),
      });
    },
  };
}
