/**
 * CRC32 checksums carried by GitHub (ghp_/gho_/ghu_/ghs_/ghr_) and npm (npm_) tokens: the last six characters are
 * the base62 CRC32 of the 30 random characters between the prefix and the checksum. A token that fails this check
 * was not issued by the provider (typo, test fixture, look-alike), so it is not reported as a live credential.
 */
let table: Uint32Array | undefined;

/** Built on the first token checked, not when the rules load (every commit loads them; few hold a token). */
function crcTable(): Uint32Array {
  if (table) return table;
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return (table = t);
}

export function crc32(text: string): number {
  const t = crcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = t[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(value: number, width: number): string {
  let out = '';
  let v = value;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** True when `token` (prefix_ + 30 random + 6 checksum characters) carries a valid CRC32. */
export function validBase62Crc(token: string): boolean {
  const underscore = token.indexOf('_');
  const body = token.slice(underscore + 1);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/** Appends the checksum to 30 random characters: how the providers mint tokens (used for samples). */
export function withBase62Crc(random30: string): string {
  return random30 + base62(crc32(random30), 6);
}
