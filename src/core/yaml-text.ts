import { isMap, isSeq, parseDocument, type Document } from 'yaml';

/**
 * Edits to the user's YAML are made as text: the yaml Document API finds where, and the text is spliced there, so
 * every comment, quote, blank line and flow list of theirs stays byte for byte. What we add sits between two
 * marker comments, so uninstall removes exactly that block.
 */
const BEGIN = '# >>> secure-repo (added by create-secure-repo; `secure-repo uninstall` removes this block)';
const END = '# <<< secure-repo';

export function parseStrict(text: string, what: string): Document.Parsed {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${what} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new Error(`${what} is not a mapping`);
  return doc;
}

/** Leading whitespace of the line that holds `offset`. */
function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** The file's own line ending: a block added to a CRLF file is CRLF too. */
function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function block(indent: string, lines: string[], eol = '\n'): string {
  return [BEGIN, ...lines, END].map((l) => `${indent}${l}`).join(eol) + eol;
}

/** Appends a marked block at the end of the file. */
export function appendAtEnd(text: string, lines: string[]): string {
  const eol = eolOf(text);
  const sep = text === '' || text.endsWith('\n') ? '' : eol;
  return `${text}${sep}${block('', lines, eol)}`;
}

/**
 * Inserts a marked block after the last entry of a block collection (a sequence or a mapping), indented like its
 * entries. Returns null when the node is not a non-empty block collection (flow `[]`/`{}`, a scalar).
 */
export function appendToCollection(text: string, node: unknown, lines: string[]): string | null {
  if (!(isSeq(node) || isMap(node)) || node.flow || node.items.length === 0 || !node.range) return null;
  const indent = indentAt(text, node.range[0]);
  let at = node.range[1];
  let prefix = '';
  const eol = eolOf(text);
  if (at > 0 && text[at - 1] !== '\n') {
    const nl = text.indexOf('\n', at);
    if (nl === -1) {
      at = text.length;
      prefix = eol;
    } else at = nl + 1;
  }
  return text.slice(0, at) + prefix + block(indent, lines, eol) + text.slice(at);
}

/** Inside a marked block: a line of the user's that the block replaced, put back by removeMarkedBlocks. */
const ORIGINAL = '# secure-repo replaced: ';

/** Replaces the whole line holding `offset` with a marked block that remembers the line. */
export function replaceLine(text: string, offset: number, lines: string[]): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const end = nl === -1 ? text.length : nl + 1;
  const original = text.slice(start, nl === -1 ? text.length : nl).replace(/\r$/, '');
  return text.slice(0, start) + block('', [`${ORIGINAL}${original}`, ...lines], eolOf(text)) + text.slice(end);
}

/** Removes every marked block (marker lines included), restoring any line a block replaced. */
export function removeMarkedBlocks(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    const t = line.trim();
    if (!inside && t === BEGIN) inside = true;
    else if (inside && t === END) inside = false;
    else if (inside && line.startsWith(ORIGINAL)) out.push(line.slice(ORIGINAL.length));
    else if (!inside) out.push(line);
  }
  return out.join('\n');
}
