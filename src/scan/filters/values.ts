import type { AllowedValue } from '../../config/types.js';
import { sha256Hex } from '../fingerprint.js';
import type { Finding } from '../types.js';

/**
 * `scan.allowValues`: a value (or `sha256:<hex>` of it, so the config need not hold the secret), optionally for
 * one rule, optionally until an expiry date. Expired entries stop applying.
 */
export function valueAllowFilter(entries: AllowedValue[], now = new Date()): (f: Finding) => boolean {
  const live = entries.filter((e) => !e.expires || new Date(e.expires) >= now);
  if (live.length === 0) return () => false;
  return (f) => {
    if (f.match === undefined) return false;
    let hash: string | undefined;
    return live.some((e) => {
      if (e.rule && e.rule !== f.rule) return false;
      if (e.value.startsWith('sha256:')) {
        hash ??= sha256Hex(f.match!);
        return e.value.slice(7).toLowerCase() === hash;
      }
      return e.value === f.match;
    });
  };
}
