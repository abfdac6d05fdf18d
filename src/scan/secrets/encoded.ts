/**
 * Kubernetes Secret manifests keep values base64-encoded under `data:`, so a token there never shows its own
 * shape. This finds those values so the rules can run on what they decode to.
 */
export interface EncodedValue {
  /** Offsets of the base64 text in the scanned text. */
  start: number;
  end: number;
  /** The data key (`GITHUB_TOKEN`), so rules that need the name in front of a value still see it. */
  key: string;
  decoded: string;
}

const SECRET_KIND = /^[ \t]*kind:[ \t]*["']?Secret["']?[ \t]*\r?$/m;
const DATA_KEY = /^(data|stringData):[ \t]*$/;
// stringData values are plain text; a block scalar (`|`, `>`) is left to the rules that read the text itself.
const PLAIN_ENTRY = /^(["']?)([A-Za-z0-9._-]{1,253})\1:[ \t]+(["']?)([^\s"'#|>][^\r\n]{0,4095}?)\3[ \t]*(?:[ \t]#.*)?$/;
// A trailing comment is allowed (`key: QVFC…==  # the output of ceph auth get-key`).
const ENTRY = /^(["']?)([A-Za-z0-9._-]{1,253})\1:[ \t]+["']?([A-Za-z0-9+/]{8,65536}={0,2})["']?[ \t]*(?:#.*)?$/;
const PRINTABLE = /^[\t\n\r\x20-\x7e\u00a0-\uffef]*$/;

const JSON_SECRET_KIND = /"kind"\s{0,8}:\s{0,8}"Secret"/;
const JSON_DATA = /"data"\s{0,8}:\s{0,8}\{([^{}]{0,1048576})\}/g;
const JSON_ENTRY = /"([A-Za-z0-9._-]{1,253})"\s{0,8}:\s{0,8}"([A-Za-z0-9+/]{8,65536}={0,2})"/g;

/** The decoded value, or null when it is not text (binary data, not base64 at all). */
function decode(value: string): string | null {
  if (value.length % 4 === 1) return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.includes('\ufffd') || !PRINTABLE.test(decoded) ? null : decoded;
}

export function k8sSecretDataValues(text: string): EncodedValue[] {
  // Both manifest forms say `kind` and `Secret` in so many letters: most texts fail these before any regex runs.
  if (!text.includes('Secret') || !text.includes('kind')) return [];
  if (JSON_SECRET_KIND.test(text)) return jsonDataValues(text);
  if (!SECRET_KIND.test(text)) return [];
  const out: EncodedValue[] = [];
  let dataIndent = -1;
  let plain = false;
  let offset = 0;
  for (const raw of text.split('\n')) {
    const lineStart = offset;
    offset += raw.length + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const indent = line.length - content.length;
    if (dataIndent >= 0 && indent > dataIndent && plain) {
      const m = PLAIN_ENTRY.exec(content);
      if (!m) continue;
      const value = m[4]!;
      const start = lineStart + indent + content.indexOf(value, m[2]!.length);
      out.push({ start, end: start + value.length, key: m[2]!, decoded: value });
      // A base64 value under stringData (a key stored encoded once more) is also read decoded.
      const inner = /^[A-Za-z0-9+/]{8,}={0,2}$/.test(value) ? decode(value) : null;
      if (inner !== null) out.push({ start, end: start + value.length, key: m[2]!, decoded: inner });
      continue;
    }
    if (dataIndent >= 0 && indent > dataIndent) {
      const m = ENTRY.exec(content);
      if (!m) continue;
      const value = m[3]!;
      const decoded = decode(value);
      if (decoded === null) continue;
      const start = lineStart + indent + content.lastIndexOf(value);
      out.push({ start, end: start + value.length, key: m[2]!, decoded });
      continue;
    }
    const section = DATA_KEY.exec(content);
    dataIndent = section ? indent : -1;
    plain = section?.[1] === 'stringData';
  }
  return out;
}

/** `kubectl get secret -o json` output: `"data": { "KEY": "base64", … }`. */
function jsonDataValues(text: string): EncodedValue[] {
  const out: EncodedValue[] = [];
  for (const block of text.matchAll(JSON_DATA)) {
    const bodyStart = block.index + block[0].indexOf('{') + 1;
    for (const e of block[1]!.matchAll(JSON_ENTRY)) {
      const decoded = decode(e[2]!);
      if (decoded === null) continue;
      const start = bodyStart + e.index + e[0].lastIndexOf(e[2]!);
      out.push({ start, end: start + e[2]!.length, key: e[1]!, decoded });
    }
  }
  return out;
}
