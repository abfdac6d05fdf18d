import type {
  CollaboratorRecord,
  DeployKeyRecord,
  EnvironmentRecordLite,
  HookRecord,
  InvitationRecord,
  RunnerRecord,
  SecretRecord,
} from './access.js';
import { emptyBaseline, type Baseline } from './baseline.js';
import type { ImageUse } from './images/inventory.js';
import { imageName, parseImage } from './images/reference.js';
import type { Reader, ReadResult } from './read.js';

/**
 * The baseline as things stand: what a maintainer reviews in a pull request and then accepts. Lists the token
 * cannot read keep their previous value (and are named in `skipped`); the allow-list, deadlines and dispatchers
 * are the maintainer's and are kept.
 */
export async function snapshotBaseline(
  reader: Reader | null,
  workflows: string[],
  images: ImageUse[],
  prev: Baseline | null,
): Promise<{ baseline: Baseline; skipped: string[] }> {
  const b: Baseline = prev ? structuredClone(prev) : emptyBaseline();
  const skipped: string[] = [];
  b.workflows = [...workflows].sort();
  b.images ??= {
    allow: [
      ...new Set(
        images
          .map((i) => parseImage(i.image))
          .filter((r): r is NonNullable<typeof r> => r !== null)
          .map((r) => imageName(r)),
      ),
    ].sort(),
    requireDigest: false,
  };
  if (!reader) return { baseline: b, skipped: ['every GitHub list (no token or no repository)'] };
  const take = async <T>(what: string, r: Promise<ReadResult<T>>, apply: (v: T) => void) => {
    const got = await r;
    if (got.ok) apply(got.value);
    else skipped.push(`${what} (${got.needs ? `needs ${got.needs}` : got.reason})`);
  };
  await take(
    'deploy keys',
    reader.list<DeployKeyRecord>('GET /repos/{owner}/{repo}/keys', {}, 'Administration: read'),
    (v) => (b.deployKeys = v.map((k) => ({ id: k.id, title: k.title, readOnly: k.read_only }))),
  );
  await take(
    'webhooks',
    reader.list<HookRecord>('GET /repos/{owner}/{repo}/hooks', {}, 'Webhooks: read'),
    (v) => (b.webhooks = v.map((h) => ({ id: h.id, host: hostOf(h.config.url) }))),
  );
  await take(
    'collaborators',
    reader.list<CollaboratorRecord>(
      'GET /repos/{owner}/{repo}/collaborators',
      { affiliation: 'all' },
      'Metadata: read',
    ),
    (v) =>
      (b.collaborators = v
        .map((c) => ({ login: c.login, role: c.role_name }))
        .sort((x, y) => x.login.localeCompare(y.login))),
  );
  await take(
    'invitations',
    reader.list<InvitationRecord>('GET /repos/{owner}/{repo}/invitations', {}, 'Administration: read'),
    (v) => (b.invitations = v.map((i) => i.invitee?.login ?? `invitation ${i.id}`).sort()),
  );
  await take(
    'runners',
    reader.list<RunnerRecord>('GET /repos/{owner}/{repo}/actions/runners', {}, 'Administration: read', 'runners'),
    (v) => (b.runners = v.map((r) => r.name).sort()),
  );
  await take(
    'environments',
    reader.list<EnvironmentRecordLite>('GET /repos/{owner}/{repo}/environments', {}, 'Actions: read', 'environments'),
    (v) => (b.environments = v.map((e) => e.name).sort()),
  );
  await take(
    'secrets',
    reader.list<SecretRecord>('GET /repos/{owner}/{repo}/actions/secrets', {}, 'Secrets: read', 'secrets'),
    (v) => (b.secrets = v.map((s) => s.name).sort()),
  );
  return { baseline: b, skipped };
}

function hostOf(url: string | undefined): string {
  try {
    return url ? new URL(url).hostname.toLowerCase() : '';
  } catch {
    return '';
  }
}
