/**
 * Owners named in a CODEOWNERS file. GitHub accepts `@user`, `@org/team` or an email address as an owner
 * (docs.github.com, "About code owners"); `@org` alone names no one, so a line owned only by it has no owner.
 */
export interface CodeownersOwners {
  /** Every owner token, in order of appearance, without duplicates. */
  owners: string[];
  /** Owners GitHub cannot use here: the organization itself (`@acme` in a repository of the organization acme). */
  invalid: string[];
}

/** Reads the owner tokens of each rule line (`pattern owner owner ... # comment`). */
export function codeownersOwners(text: string, repoOwner: string, ownerIsOrg: boolean): CodeownersOwners {
  const owners: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    for (const token of line.split(/\s+/).slice(1)) if (!owners.includes(token)) owners.push(token);
  }
  const invalid = ownerIsOrg ? owners.filter((o) => o.toLowerCase() === `@${repoOwner.toLowerCase()}`) : [];
  return { owners, invalid };
}
