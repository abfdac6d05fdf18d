import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { candidatesFor, combineRules, type CompiledRule, type RuleSet, type Screened } from './engine.js';
import type { SastLanguage } from './languages.js';

export interface ScreenInput {
  text: string;
  language: SastLanguage;
  /** A file on disk whose content is exactly `text`: read from there instead of a temporary copy. */
  disk?: string;
}

/** The extension each parser's temporary copy gets (ast-grep is told the language; the name is for people). */
const EXTENSION: Record<SastLanguage, string> = {
  JavaScript: '.js',
  TypeScript: '.ts',
  Tsx: '.tsx',
  Html: '.html',
  python: '.py',
  go: '.go',
  java: '.java',
  ruby: '.rb',
  php: '.php',
};

const NOTHING = new Set<string>();

/**
 * Each file's candidate rules, and which of them match nothing, for many files at once. ast-grep's Node binding compiles a rule (every
 * regex and pattern) on each match call, and on ordinary code the compilation costs more than the matching;
 * `findInFiles` compiles once for all the files it is given. Files whose words admit the same rules (handlers of
 * one web app, modules of one library) are screened together with those rules as one combined call: most files in
 * a commit match none of them, and the per-file pass then runs only the rules that could not be combined. Files
 * are grouped by their exact set of rules so that no file is matched against rules its own words exclude.
 *
 * Returns, per input, its candidates and the rule ids ruled out: all the combined ones when nothing matched, none
 * when something did, and no answer where screening would cost as much as it saves (a file alone in its group).
 */
export async function screenFiles(set: RuleSet, inputs: readonly ScreenInput[]): Promise<Screened[]> {
  const out: Screened[] = [];
  const groups = new Map<string, { language: SastLanguage; rules: CompiledRule[]; files: number[] }>();
  inputs.forEach((input, i) => {
    const rules = candidatesFor(set, input.text, input.language);
    out.push({ candidates: rules });
    if (rules.length === 0) return;
    const key = `${input.language}:${rules.map((c) => c.rule.id).join(',')}`;
    const group = groups.get(key);
    if (group) group.files.push(i);
    else groups.set(key, { language: input.language, rules, files: [i] });
  });
  let tmp: string | undefined;
  try {
    for (const { language, rules, files } of groups.values()) {
      if (files.length < 2) continue;
      const combined = combineRules(rules);
      if (!combined) continue;
      const byFile = new Map<string, number>();
      for (const i of files) {
        const input = inputs[i]!;
        let file = input.disk;
        if (!file) {
          tmp ??= mkdtempSync(path.join(os.tmpdir(), 'secure-repo-sast-'));
          file = path.join(tmp, `${i}${EXTENSION[language]}`);
          writeFileSync(file, input.text);
        }
        byFile.set(file, i);
      }
      const hit = new Set<number>();
      await set.napi.findInFiles(language, { paths: [...byFile.keys()], matcher: combined.config }, (err, nodes) => {
        const i = !err && nodes.length > 0 ? byFile.get(nodes[0]!.getRoot().filename()) : undefined;
        if (i !== undefined) hit.add(i);
      });
      // Results come through the event loop; let any still queued arrive before reading them.
      await new Promise((resolve) => setImmediate(resolve));
      for (const i of files) out[i]!.ruledOut = hit.has(i) ? NOTHING : combined.ids;
    }
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}
