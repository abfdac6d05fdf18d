import type { SecretRule } from './rule.js';

/** One rule as reviewable data: what rules/secrets.json holds (code-level validation is named, not serialised). */
interface SecretRuleData {
  id: string;
  description: string;
  severity: string;
  tier: SecretRule['tier'];
  regex: string;
  flags: string;
  secretGroup: number;
  keywords: string[];
  entropy: number | null;
  validation: boolean;
  skipPaths: string | null;
  maxLineLength: number | null;
  decodedOnly: boolean;
}

/**
 * The final compiled form of every rule (after the tokenRule/assignedRule builders ran), so a review of a rule change
 * shows the regex that will actually run. rules/secrets.json is this, pretty-printed; a test keeps them equal.
 */
function secretRulesData(rules: readonly SecretRule[]): { rules: SecretRuleData[] } {
  return {
    rules: rules.map((r) => ({
      id: r.id,
      description: r.description,
      severity: r.severity,
      tier: r.tier,
      regex: r.regex.source,
      flags: r.regex.flags,
      secretGroup: r.secretGroup ?? 1,
      keywords: [...r.keywords],
      entropy: r.entropy ?? null,
      validation: r.validate !== undefined,
      skipPaths: r.skipPaths?.source ?? null,
      maxLineLength: r.maxLineLength ?? null,
      decodedOnly: r.decodedOnly === true,
    })),
  };
}

export const secretRulesJson = (rules: readonly SecretRule[]): string =>
  `${JSON.stringify(secretRulesData(rules), null, 2)}\n`;
