import { describe, expect, it } from 'vitest';
import { anchorFor, eachAnchoredMatch } from '../../src/scan/secrets/anchor.js';
import { createRng } from '../../src/scan/secrets/random.js';
import { BUILTIN_RULES } from '../../src/scan/secrets/rules/index.js';

/** Every match of the global regex, as [index, text, groups...]. */
function plainMatches(re: RegExp, text: string): string[][] {
  const out: string[][] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push([String(m.index), ...m.map((g) => g ?? '')]);
  }
  return out;
}

function anchoredMatches(re: RegExp, text: string): string[][] {
  const a = anchorFor(re);
  if (!a) throw new Error(`no anchor for ${re.source}`);
  const out: string[][] = [];
  eachAnchoredMatch(a, text, (m) => out.push([String(m.index), ...m.map((g) => g ?? '')]));
  return out;
}

describe('literal anchors', () => {
  it('finds the literal and the bounds of its distance from the match start', () => {
    const a = anchorFor(new RegExp('(?<![A-Za-z0-9_])([a-f0-9]{32}\\-us[0-9]{1,2})(?![0-9_])', 'g')); // as the rule writes it
    expect(a && [a.literal, a.min, a.max]).toEqual(['-us', 32, 32]);
    const u = anchorFor(/(?<![a-z])(?:https?|s?ftp|git\+https?):\/\/[^\s:@]{1,64}:([^\s@]{4,128})@/gi);
    expect(u && [u.literal, u.min, u.max]).toEqual(['://', 3, 9]);
    expect(anchorFor(/(?<![A-Za-z0-9_])(ghp_[A-Za-z0-9]{36})/g)?.literal).toBe('ghp_');
  });

  it('gives up where the regex cannot be anchored safely', () => {
    expect(anchorFor(/(secret|token)[ \t]{0,4}=([^\s]{10,200})/gi)).toBeNull(); // alternation first, letters, /i
    expect(anchorFor(/ab|cd/g)).toBeNull(); // top-level alternation
    expect(anchorFor(/[a-z]+xyz/g)).toBeNull(); // unbounded distance
    expect(anchorFor(/(a)\1bc/g)).toBeNull(); // back-reference
    expect(anchorFor(/abc/gu)).toBeNull(); // unicode syntax is not parsed
    expect(anchorFor(/ab?/g)).toBeNull(); // `b` is optional: no 2-character literal
  });

  it('matches exactly what the global regex matches, on every anchored rule and adversarial text', () => {
    const rng = createRng(7);
    let anchored = 0;
    let compared = 0;
    for (const rule of BUILTIN_RULES) {
      const a = anchorFor(rule.regex);
      if (!a) continue;
      anchored++;
      const samples = [rule.sample(rng), rule.sample(rng), ...rule.examples.positive, ...rule.examples.negative];
      const joined = samples.join('\n');
      const texts = [
        joined,
        // back to back, glued to word characters, literals repeated and overlapping, windows next to each other
        samples.join(''),
        `x${samples.join('x')}x`,
        `${a.literal.repeat(5)}${joined}${a.literal}${a.literal}`,
        samples.map((s) => `${s}${s}`).join(' '),
        `${'a'.repeat(a.max + 3)}${a.literal}${samples[0]}`,
        ...samples,
        // decoded-only rules read one `key: value` entry of a Kubernetes Secret
        ...(rule.decodedOnly ? ['ceph.client.admin: QVFCc2VjcmV0dmFsdWU='] : []),
      ];
      let plain = 0;
      for (const t of texts) {
        expect(anchoredMatches(rule.regex, t), `${rule.id} on ${JSON.stringify(t.slice(0, 80))}`).toEqual(
          plainMatches(rule.regex, t),
        );
        plain += plainMatches(rule.regex, t).length;
        compared++;
      }
      // The samples are real positives: matches must be there, or the comparison proves little.
      expect(plain, rule.id).toBeGreaterThan(0);
    }
    expect(anchored).toBeGreaterThanOrEqual(100);
    expect(compared).toBeGreaterThan(anchored * 8);
  });

  it('handles overlapping windows of a range anchor', () => {
    const re = /(?:ab|abcd)XY[0-9]{2}/g;
    const a = anchorFor(re);
    expect(a && [a.literal, a.min, a.max]).toEqual(['XY', 2, 4]);
    for (const t of ['abXY12abcdXY34', 'abcdXYXY12', 'XYabXY1abXY99', 'ababcdXY00XY11abXY22'])
      expect(anchoredMatches(re, t), t).toEqual(plainMatches(re, t));
    // a literal that overlaps itself: the match starts at its second occurrence
    expect(anchoredMatches(/aa[0-9]/g, 'xaaa1 aaaa2')).toEqual([
      ['2', 'aa1'],
      ['8', 'aa2'],
    ]);
  });
});
