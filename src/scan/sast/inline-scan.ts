import { fingerprintOf } from '../fingerprint.js';
import { lineAllows, previousLineAllows } from '../filters/inline-allow.js';
import type { Finding } from '../types.js';
import { scanText, type RuleSet, type ScanInput } from './engine.js';
import { inlineScripts, parseableText, type InlineScript } from './inline-scripts.js';

/**
 * A template or HTML file: the HTML rules on the whole file, then the JavaScript rules (and the rules scoped to
 * template scripts) on each inline script, reported at the script's own lines and columns in the file.
 */
export function scanTemplate(set: RuleSet, input: ScanInput): Finding[] {
  const { lineMap, addedLines, screened, ...rest } = input;
  // Everything is placed in the fragment's own lines (where the scripts are found), then mapped to file lines.
  const local: ScanInput = lineMap || !addedLines ? rest : { ...rest, addedLines };
  // (a batch screening of the file is about its HTML rules: it says nothing about its scripts)
  let findings = set.byLanguage.has('Html')
    ? scanText(set, { ...local, language: 'Html', ...(screened ? { screened } : {}) })
    : [];
  const scripts = set.byLanguage.has('JavaScript') ? inlineScripts(input.path, input.text) : [];
  if (scripts.length > 0) {
    const lines = input.text.split(/\r?\n/);
    const fromScripts = scripts
      .flatMap((s) => scanText(set, { ...local, language: 'JavaScript', text: parseableText(s), inlineScript: true }))
      .filter((f) => !allowedOnTemplateLine(f, lines))
      .map((f) => withTemplateText(f, lines));
    // Template output inside a script is judged by the script rule, which knows the JavaScript context there.
    const superseded = new Set(
      (set.byLanguage.get('JavaScript') ?? [])
        .filter((c) => c.rule.metadata?.scope === 'template-script')
        .flatMap((c) => c.rule.metadata?.supersedes ?? []),
    );
    findings = findings.filter((f) => !(superseded.has(f.rule) && scripts.some((s) => inside(s, f))));
    findings = [...findings, ...fromScripts].sort(
      (a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule),
    );
  }
  if (!lineMap) return findings;
  const fileLine = (l: number): number => lineMap[l - 1] ?? l;
  const mapped = findings.map((f) => ({
    ...f,
    line: fileLine(f.line),
    ...(f.endLine !== undefined ? { endLine: fileLine(f.endLine) } : {}),
    ...(f.flow ? { flow: f.flow.map((s) => ({ ...s, line: fileLine(s.line), endLine: fileLine(s.endLine) })) } : {}),
  }));
  return addedLines ? mapped.filter((f) => addedLines.has(f.line)) : mapped;
}

/** An inline allow marker the masking blanked out (`<%# secure-repo:allow %>`), or one after `</script>`. */
function allowedOnTemplateLine(f: Finding, lines: string[]): boolean {
  return lineAllows(lines[f.line - 1] ?? '') || (f.line > 1 && previousLineAllows(lines[f.line - 2] ?? ''));
}

/** The finding shows the template's text (not the placeholders), and its fingerprint hashes that text. */
function withTemplateText(f: Finding, lines: string[]): Finding {
  const lineText = lines[f.line - 1] ?? '';
  const last = f.endLine ?? f.line;
  const span =
    last === f.line
      ? lineText.slice(f.column - 1, (f.endColumn ?? lineText.length + 1) - 1)
      : [
          lineText.slice(f.column - 1),
          ...lines.slice(f.line, last - 1),
          (lines[last - 1] ?? '').slice(0, (f.endColumn ?? 1) - 1),
        ].join('\n');
  const match = span.trim() === '' ? lineText.trim() : span;
  return {
    ...f,
    lineText,
    match,
    fingerprint: fingerprintOf(f.rule, f.file, match.replace(/\s+/g, ' ').trim()),
  };
}

function inside(s: InlineScript, f: Finding): boolean {
  const line = f.line - 1;
  const col = f.column - 1;
  const afterStart = line > s.line || (line === s.line && col >= s.column);
  const beforeEnd = line < s.endLine || (line === s.endLine && col < s.endColumn);
  return afterStart && beforeEnd;
}
