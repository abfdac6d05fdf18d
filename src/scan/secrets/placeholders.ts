/**
 * Values that look like credentials but are not: placeholders, template references, documented example keys,
 * redacted values. Applied to every rule's matched secret; each pattern is one people actually write in docs,
 * samples and config templates.
 */
const PLACEHOLDER_PATTERNS: RegExp[] = [
  /x{4,}/i, // xxxx, XXXXXXXX
  /\*{3,}/, // ****
  /\.{3}|…/, // ellipsis
  /\$\{|\$\(|\{\{|\}\}|%\(|%[sd]\b|#\{/, // ${VAR}, $(cmd), {{ secrets.X }}, %(name)s, #{ruby}
  /<[^>\s]{0,40}>?$|^[^<\s]{0,40}>/, // <TOKEN>, <your-key>
  /^\$[A-Za-z_]/, // $VAR
  // Templating and format placeholders: {password} (f-string, str.format, {0}), <%= erb %>, {% jinja %},
  // @VAR@ (autoconf, CMake), %VAR% (Windows), __VAR__ (token replacement), @Model.Secret (Razor).
  /\{[A-Za-z0-9_][\w.-]{0,40}\}/,
  /<%|%>|\{%|%\}/,
  /^@[A-Za-z_][\w.]{0,60}@?$/,
  /^%[A-Za-z_]\w{0,60}%$/,
  /^__[A-Za-z0-9_]{1,60}__$/,
  /your[_-]?(?:api[_-]?)?(?:key|token|secret|password|pass|own)|_here\b|-here\b|\bhere$/i,
  /changeme|change[_-]me|placeholder|example|sample|dummy|redacted|replace[_-]?me|insert[_-]|fill[_-]?in|todo|fixme|notreal|not[_-]a[_-]real|fake[_-]?(?:key|token|secret)|test[_-]?(?:key|token|secret)[_-]?\d*$/i,
  /(.)\1{7,}/, // eight or more of the same character
  /abcdefgh|bcdefghi|12345678|23456789|qwertyui|asdfghjk/i, // keyboard and counting runs
  /^(?:secret|password|passwd|token|apikey|api_key|none|null|undefined|true|false|string|default|empty)$/i,
];

/** AWS's documented example keys and similar published samples: never live, often in docs and tests. */
const DOCUMENTED_EXAMPLES = new Set<string>([
  ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join(''),
  ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCY', 'EXAMPLEKEY'].join('/'),
  // The OAuth RFCs' example values (RFC 5849 §1.2, RFC 6749 §4-5), quoted by every OAuth library's docs and tests.
  'ad180jjd733klru7',
  '0685bd9184jfhq22',
  'nnch734d00sl2jdk',
  'kd94hf93k423kf44',
  'pfkkdhi9sl3r4s00',
  '2YotnFZFEjr1zCsicMWpAA',
  'tGzv3JOkF0XG5Qx2TlKWIA',
  'SplxlOBeZQQYbYS6WxSbIA',
  '8xLOxBtZp8',
  'mF_9.B5f-4.1JqM',
]);

export function isPlaceholder(value: string): boolean {
  if (DOCUMENTED_EXAMPLES.has(value)) return true;
  for (const re of PLACEHOLDER_PATTERNS) if (re.test(value)) return true;
  return false;
}
