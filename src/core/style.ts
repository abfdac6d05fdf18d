/** Colours follow NO_COLOR / FORCE_COLOR, else whether the stream is a TTY. */
export function colorEnabled(stream: { isTTY?: boolean } = process.stderr): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return Boolean(stream.isTTY);
}

type Paint = (s: string) => string;
const code =
  (open: number, close: number): Paint =>
  (s) =>
    `\u001b[${open}m${s}\u001b[${close}m`;
const id: Paint = (s) => s;

export function palette(enabled: boolean) {
  return {
    bold: enabled ? code(1, 22) : id,
    dim: enabled ? code(2, 22) : id,
    red: enabled ? code(31, 39) : id,
    green: enabled ? code(32, 39) : id,
    yellow: enabled ? code(33, 39) : id,
    cyan: enabled ? code(36, 39) : id,
  };
}
export type Palette = ReturnType<typeof palette>;
