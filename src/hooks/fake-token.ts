import { randomInt } from 'node:crypto';
import { base62, BASE62, crc32 } from '../scan/secrets/checksum.js';
import { isPlaceholder } from '../scan/secrets/placeholders.js';

/**
 * A format-valid GitHub token (random part + CRC32 checksum) that was never issued: what the self-test stages to
 * prove the hook blocks. Built at run time so no literal token exists in this package.
 */
export function fakeGitHubToken(): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < 30; i++) body += BASE62[randomInt(62)];
    const token = ['gh', 'p_'].join('') + body + base62(crc32(body), 6);
    if (!isPlaceholder(token.slice(4))) return token;
  }
}
