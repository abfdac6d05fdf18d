/**
 * `scan.allowPaths` globs (picomatch, matched against root-relative POSIX paths). picomatch is loaded only when
 * the config lists globs, so a hook in a repository without them never pays for it.
 */
export async function pathAllowFilter(globs: string[]): Promise<(path: string) => boolean> {
  if (globs.length === 0) return () => false;
  const { default: picomatch } = await import('picomatch');
  const isMatch = picomatch(globs, { dot: true });
  return (p) => isMatch(p);
}
