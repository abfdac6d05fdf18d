/**
 * Redaction for every output format: a few leading characters (enough to recognise the token kind) and a fixed
 * mask. The length of the mask does not depend on the secret, so nothing about its length leaks either.
 */
export function redact(secret: string): string {
  const firstLine = secret.split(/\r?\n|\\n/, 1)[0] ?? '';
  if (/^-----BEGIN /.test(firstLine)) return `${firstLine.trim()} ****`;
  if (secret.length <= 8) return '****';
  const visible = Math.min(8, Math.floor(secret.length / 4));
  return `${secret.slice(0, visible)}****`;
}
