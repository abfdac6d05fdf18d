import type { AllowedValue } from '../../config/types.js';
import { sha256Hex } from '../../core/crypto.js';
import type { Finding } from '../types.js';

/**
 * `scan.allowValues`: a value (or `sha256:<hex>` of it, so the config need not hold the secret), optionally for
 * one rule, optionally until an expiry date. Expired entries stop applying.
 */
export function valueAllowFilter(entries: AllowedValue[], now = new Date()): (f: Finding) => boolean {
  const live = entries.filter((e) => isLive(e, now));
  if (live.length === 0) return () => false;
  return (f) => {
    if (f.match === undefined) return false;
    const hash = lazyHash(f.match);
    return live.some((e) => allows(e, f, hash));
  };
}

function isLive(e: AllowedValue, now: Date): boolean {
  return !e.expires || new Date(e.expires) >= now;
}

function lazyHash(value: string): () => string {
  let hash: string | undefined;
  return () => (hash ??= sha256Hex(value));
}

function allows(e: AllowedValue, f: Finding, hash: () => string): boolean {
  if (e.rule && e.rule !== f.rule) return false;
  if (e.value.startsWith('sha256:')) return e.value.slice(7).toLowerCase() === hash();
  return e.value === f.match;
}

/**
 * Entries that no longer do anything, for a scan that covered everything: live ones that matched none of the
 * findings (the secret is gone, so the entry only hides a future one) and expired ones. Entries are named by
 * position, rule and reason, never by value: the value may be the secret itself.
 */
export function staleAllowValues(entries: AllowedValue[], findings: Finding[], now = new Date()): string[] {
  const hashes = findings.map((f) => (f.match === undefined ? null : lazyHash(f.match)));
  const out: string[] = [];
  entries.forEach((e, i) => {
    const name = `scan.allowValues[${i}]${e.rule ? ` (rule ${e.rule})` : ''}${e.reason ? ` "${e.reason}"` : ''}`;
    if (!isLive(e, now))
      out.push(`${name} expired on ${e.expires}; it no longer hides anything, so remove it or extend it`);
    else if (!findings.some((f, k) => hashes[k] !== null && allows(e, f, hashes[k]!)))
      out.push(`${name} matches nothing in this scan; remove it if the value is gone`);
  });
  return out;
}
