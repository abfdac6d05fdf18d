import type { SgRoot } from '@ast-grep/napi';
import { compileRules, scanText, type RuleSet } from './engine.js';
import { scanTemplate } from './inline-scan.js';
import { languagesForRule, type SastLanguage } from './languages.js';
import type { SastRule } from './rules.js';

/** ast-grep's verify model: a valid snippet that matches is noisy, an invalid one that does not is missing. */
export interface CaseResult {
  rule: string;
  language: SastLanguage;
  snippet: string;
  outcome: 'ok' | 'noisy' | 'missing' | 'unparsable';
}

/**
 * Runs each rule's own `tests` through the real engine (prechecks included) in every language the rule covers.
 * A snippet that the grammar cannot parse cleanly (JSX under the plain TypeScript parser) is reported as
 * `unparsable` for that language instead of being counted either way.
 */
export function verifyRules(rules: SastRule[]): CaseResult[] {
  const results: CaseResult[] = [];
  for (const rule of rules) {
    const set = compileRules([rule]);
    // a rule scoped to templates' inline scripts is tried on template snippets
    const languages = rule.metadata?.scope === 'template-script' ? ['Html' as const] : languagesForRule(rule.language);
    for (const language of languages ?? []) {
      if (language !== 'Html' && !set.byLanguage.has(language)) continue;
      for (const [expectMatch, snippets] of [
        [false, rule.tests?.valid ?? []],
        [true, rule.tests?.invalid ?? []],
      ] as const) {
        for (const snippet of snippets) {
          results.push({ rule: rule.id, language, snippet, outcome: classify(set, language, snippet, expectMatch) });
        }
      }
    }
  }
  return results;
}

function classify(set: RuleSet, language: SastLanguage, snippet: string, expectMatch: boolean): CaseResult['outcome'] {
  // Templates are HTML with foreign tags in it (EJS, Jinja): their "syntax errors" are the point.
  if (language !== 'Html' && hasSyntaxError(set.napi.parse(language, snippet))) return 'unparsable';
  const input = { path: 'snippet.html', text: snippet, language, commit: null };
  const found = (language === 'Html' ? scanTemplate(set, input) : scanText(set, input)).length > 0;
  if (found === expectMatch) return 'ok';
  return expectMatch ? 'missing' : 'noisy';
}

function hasSyntaxError(root: SgRoot): boolean {
  return root.root().find({ rule: { kind: 'ERROR' } }) !== null;
}
