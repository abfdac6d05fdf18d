import { sha256Hex } from '../core/crypto.js';

/**
 * rule + file + hash of the secret: stable when lines move (squash merges, edits above), different for a
 * different secret on the same line, and it never contains the secret itself.
 */
export function fingerprintOf(rule: string, file: string, secret: string): string {
  return sha256Hex(`${rule}\0${file}\0${sha256Hex(secret)}`).slice(0, 40);
}
