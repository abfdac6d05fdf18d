/** An image reference split into registry, repository, tag and digest, with Docker's defaults applied. */
export interface ImageRef {
  raw: string;
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

/** Docker's rules: a first component with a dot or colon (or `localhost`) is a registry; else docker.io (library/ for one part). */
export function parseImage(raw: string): ImageRef | null {
  const s = raw.trim().replace(/^docker:\/\//, '');
  if (!s || /\s|\$\{|\$\(|^\$/.test(s)) return null;
  const [name, digest = null] = s.split('@') as [string, string?];
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let rest = hasRegistry ? name.slice(slash + 1) : name;
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(rest)) return null;
  const repository = registry === 'docker.io' && !rest.includes('/') ? `library/${rest}` : rest;
  return { raw, registry, repository, tag, digest: digest && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : null };
}

/** `registry/repository`, the name an allow-list pattern is matched against. */
export const imageName = (r: ImageRef) => `${r.registry}/${r.repository}`;
