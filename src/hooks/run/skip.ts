/** What `SECURE_REPO_SKIP` turns off: `1`/`all` everything, else a comma list of checks. */
export type SkippableCheck = 'secrets' | 'sast' | 'tests' | 'signing' | 'checks';

export interface Skips {
  all: boolean;
  has(check: SkippableCheck): boolean;
  /** The raw value, to repeat back to the user. */
  raw: string;
}

export function parseSkip(value: string | undefined): Skips {
  const raw = (value ?? '').trim();
  const parts = new Set(
    raw
      .toLowerCase()
      .split(/[\s,]+/)
      .filter(Boolean),
  );
  const all = ['1', 'all', 'true', 'yes'].some((v) => parts.has(v));
  return { all, raw, has: (check) => all || parts.has(check) };
}
