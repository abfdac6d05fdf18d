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

/** `scan.allowPaths` globs that match none of the given paths (candidates for removal). */
export async function unusedPathGlobs(globs: string[], paths: string[]): Promise<string[]> {
  if (globs.length === 0) return [];
  const { default: picomatch } = await import('picomatch');
  return globs.filter((g) => {
    const isMatch = picomatch(g, { dot: true });
    return !paths.some((p) => isMatch(p));
  });
}
