import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { runScan } from '../../src/scan/run.js';
import { createRng } from '../../src/scan/secrets/random.js';
import { gitIn, isolateGit, newRepo, write } from './support/repo.js';

beforeAll(async () => {
  await isolateGit();
});

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function key(label: string, seed: number, lines = 12): string {
  const rng = createRng(seed);
  const body = Array.from({ length: lines }, () => rng.chars(B64, 64));
  return [`-----BEGIN ${label}-----`, ...body, `${rng.chars(B64, 20)}==`, `-----END ${label}-----`].join('\n');
}

function putty(seed: number): string {
  const rng = createRng(seed);
  return [
    'PuTTY-User-Key-File-3: ssh-ed25519',
    'Encryption: none',
    'Comment: test@ci',
    'Public-Lines: 2',
    rng.chars(B64, 64),
    rng.chars(B64, 20),
    'Private-Lines: 1',
    rng.chars(B64, 44),
    `Private-MAC: ${rng.chars('0123456789abcdef', 64)}`,
  ].join('\n');
}

async function history(files: [string, string][][]) {
  const repo = await newRepo();
  const commits: string[] = [];
  for (const [i, changes] of files.entries()) {
    for (const [p, text] of changes) await write(repo, p, `${text}\n`);
    gitIn(repo, 'add', '-A');
    gitIn(repo, 'commit', '-q', '-m', `c${i}`);
    commits.push(gitIn(repo, 'rev-parse', 'HEAD'));
  }
  const r = await runScan({
    root: repo,
    cwd: repo,
    source: 'history',
    secrets: true,
    sast: false,
    config: defaultConfig(),
  });
  const ordered = r.findings.map((f) => `${commits.indexOf(f.commit!)}:${f.file}:${f.line}:${f.rule}`);
  return { commits, ordered, found: [...ordered].sort() };
}

describe('private keys rewritten in place (BEGIN/END lines unchanged)', () => {
  it('a regenerated PEM key body is reported at the commit that rewrote it, on its BEGIN line', async () => {
    const { found } = await history([
      [['certs/server.key', `# test key\n${key('RSA PRIVATE KEY', 1)}`]],
      [['certs/server.key', `# test key\n${key('RSA PRIVATE KEY', 2)}`]],
    ]);
    expect(found).toEqual(['0:certs/server.key:2:private-key-rsa', '1:certs/server.key:2:private-key-rsa']);
  });

  it('an OpenSSH key and a PuTTY key rewritten in place are reported too', async () => {
    const { found } = await history([
      [
        ['id_ed25519', key('OPENSSH PRIVATE KEY', 3, 6)],
        ['deploy.ppk', putty(4)],
      ],
      [
        ['id_ed25519', key('OPENSSH PRIVATE KEY', 5, 6)],
        ['deploy.ppk', putty(6)],
      ],
    ]);
    expect(found).toEqual([
      '0:deploy.ppk:1:putty-private-key',
      '0:id_ed25519:1:private-key-openssh',
      '1:deploy.ppk:1:putty-private-key',
      '1:id_ed25519:1:private-key-openssh',
    ]);
  });

  it('are reported after the commits, oldest first, each commit in the order git lists its files', async () => {
    // (git reads the history newest first; the scan puts findings back in this order)
    const { ordered } = await history([
      [
        ['a.key', key('RSA PRIVATE KEY', 11)],
        ['b.key', key('RSA PRIVATE KEY', 12)],
      ],
      [
        ['a.key', key('RSA PRIVATE KEY', 13)],
        ['b.key', key('RSA PRIVATE KEY', 14)],
      ],
      [['c.key', key('RSA PRIVATE KEY', 15)]],
    ]);
    expect(ordered).toEqual([
      '0:a.key:1:private-key-rsa',
      '0:b.key:1:private-key-rsa',
      '2:c.key:1:private-key-rsa',
      '1:a.key:1:private-key-rsa',
      '1:b.key:1:private-key-rsa',
    ]);
  });

  it('an edit elsewhere in a file with an unchanged key blames nothing on that commit', async () => {
    const pem = key('EC PRIVATE KEY', 7);
    const { found } = await history([
      [['bundle.pem', `${pem}\nnote: first`]],
      [['bundle.pem', `${pem}\nnote: ${createRng(8).chars(B64, 60)}`]],
    ]);
    expect(found).toEqual(['0:bundle.pem:1:private-key-ec']);
  });
});
