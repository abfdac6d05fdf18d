import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { CliError } from '../../core/errors.js';
import { atomicWrite, readTextOrNull } from '../../core/fs.js';
import { git } from '../../core/git.js';

export type SigningScope = 'global' | 'local';

export interface ConfigChange {
  key: string;
  value: string;
  current: string | null;
}

export interface SigningPlan {
  scope: SigningScope;
  email: string;
  /** Public key file used for signing. */
  publicKey: string;
  /** True when the key does not exist yet and will be generated with ssh-keygen. */
  generate: boolean;
  allowedSigners: string;
  /** Line to add to the allowed-signers file, or null when it is already there. */
  allowedSignersLine: string | null;
  changes: ConfigChange[];
}

export interface SigningRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  scope: SigningScope;
  /** A specific public (or private) key file; default: the best key in ~/.ssh, else a new one. */
  key?: string;
}

const PREFERRED = ['id_ed25519.pub', 'id_ed25519_sk.pub', 'id_ecdsa.pub', 'id_ecdsa_sk.pub', 'id_rsa.pub'];
const NEW_KEY = 'id_ed25519_signing';

function home(env: NodeJS.ProcessEnv): string {
  const h = env.HOME ?? env.USERPROFILE;
  if (!h) throw new CliError('HOME is not set, so there is no ~/.ssh to look in.', 'Set HOME, or pass --key PATH.');
  return h;
}

/** The key to sign with: the given one, else the preferred existing ~/.ssh/*.pub, else a new ed25519 key. */
async function chooseKey(env: NodeJS.ProcessEnv, given?: string): Promise<{ publicKey: string; generate: boolean }> {
  if (given) {
    const pub = given.endsWith('.pub') ? given : `${given}.pub`;
    if ((await readTextOrNull(pub)) === null)
      throw new CliError(
        `no public key at ${pub}.`,
        'Pass the path of an existing SSH key (the .pub next to it must exist).',
      );
    return { publicKey: pub, generate: false };
  }
  const ssh = path.join(home(env), '.ssh');
  const names = await fsp.readdir(ssh).catch(() => [] as string[]);
  const pubs = names.filter((n) => n.endsWith('.pub'));
  const pick = PREFERRED.find((p) => pubs.includes(p)) ?? pubs.sort()[0];
  if (pick) return { publicKey: path.join(ssh, pick), generate: false };
  return { publicKey: path.join(ssh, `${NEW_KEY}.pub`), generate: true };
}

async function getConfig(
  cwd: string,
  scope: SigningScope,
  key: string,
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  return git(['config', `--${scope}`, '--get', key], { cwd, env, allowFailure: true });
}

/** Works out every change `secure-repo signing` would make, without making any. */
export async function planSigning(req: SigningRequest): Promise<SigningPlan> {
  const version = (await git(['version'], { cwd: req.cwd, env: req.env })).match(/(\d+)\.(\d+)/);
  if (version && (Number(version[1]) < 2 || (Number(version[1]) === 2 && Number(version[2]) < 34))) {
    throw new CliError(
      `SSH commit signing needs git 2.34 or newer (this is ${version[0]}).`,
      'Upgrade git and run again.',
    );
  }
  if (
    req.scope === 'local' &&
    !(await git(['rev-parse', '--git-dir'], { cwd: req.cwd, env: req.env, allowFailure: true }))
  ) {
    throw new CliError(
      '--local needs a repository.',
      'Run it inside the repository, or drop --local to configure signing for all your repositories.',
    );
  }
  const email = await git(['config', '--get', 'user.email'], { cwd: req.cwd, env: req.env, allowFailure: true });
  if (!email)
    throw new CliError(
      'git has no user.email, which signed commits are verified against.',
      'Set it first: git config --global user.email you@example.com',
    );
  const { publicKey, generate } = await chooseKey(req.env, req.key);
  const configuredSigners = await git(['config', '--get', 'gpg.ssh.allowedSignersFile'], {
    cwd: req.cwd,
    env: req.env,
    allowFailure: true,
  });
  const allowedSigners = configuredSigners
    ? configuredSigners.replace(/^~(?=\/)/, home(req.env))
    : path.join(req.env.XDG_CONFIG_HOME ?? path.join(home(req.env), '.config'), 'git', 'allowed_signers');
  const pub = generate ? null : ((await readTextOrNull(publicKey))?.trim() ?? null);
  const keyPart = pub?.split(/\s+/).slice(0, 2).join(' ') ?? null;
  const signers = (await readTextOrNull(allowedSigners)) ?? '';
  const present = keyPart !== null && signers.split('\n').some((l) => l.startsWith(`${email} `) && l.includes(keyPart));
  const wanted: [string, string][] = [
    ['gpg.format', 'ssh'],
    ['user.signingkey', publicKey],
    ['commit.gpgsign', 'true'],
    ['tag.gpgsign', 'true'],
    ['gpg.ssh.allowedSignersFile', allowedSigners],
  ];
  const changes: ConfigChange[] = [];
  for (const [key, value] of wanted) {
    const current = await getConfig(req.cwd, req.scope, key, req.env);
    if (current !== value) changes.push({ key, value, current });
  }
  return {
    scope: req.scope,
    email,
    publicKey,
    generate,
    allowedSigners,
    allowedSignersLine: present ? null : `${email} namespaces="git" ${keyPart ?? '<the new key>'}`,
    changes,
  };
}

export function isNoop(plan: SigningPlan): boolean {
  return !plan.generate && plan.allowedSignersLine === null && plan.changes.length === 0;
}

function sshKeygen(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ssh-keygen', args, { env }, (err, _out, stderr) => {
      if (!err) return resolve();
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return reject(
          new CliError('ssh-keygen is not installed.', 'Install OpenSSH, or pass --key with an existing key.'),
        );
      reject(new CliError(`ssh-keygen failed: ${stderr.trim() || err.message}.`));
    });
  });
}

/** Applies a plan: generates the key if needed, writes the allowed-signers line, sets the git config. */
export async function applySigning(
  plan: SigningPlan,
  req: SigningRequest,
  opts: { passphrase?: string } = {},
): Promise<void> {
  let line = plan.allowedSignersLine;
  if (plan.generate) {
    const priv = plan.publicKey.replace(/\.pub$/, '');
    await fsp.mkdir(path.dirname(priv), { recursive: true, mode: 0o700 });
    await sshKeygen(['-q', '-t', 'ed25519', '-C', plan.email, '-f', priv, '-N', opts.passphrase ?? ''], req.env);
    const pub = (await fsp.readFile(plan.publicKey, 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
    line = `${plan.email} namespaces="git" ${pub}`;
  }
  if (line) {
    const current = (await readTextOrNull(plan.allowedSigners)) ?? '';
    const sep = current === '' || current.endsWith('\n') ? '' : '\n';
    await atomicWrite(plan.allowedSigners, `${current}${sep}${line}\n`);
  }
  for (const change of plan.changes) {
    await git(['config', `--${plan.scope}`, change.key, change.value], { cwd: req.cwd, env: req.env });
  }
}

/**
 * For init (when the policy requires signed commits): true when this user's commits would not be signed yet, so
 * init should offer `secure-repo signing`. Never throws: a missing email or old git also means "needs set-up".
 */
export async function signingNeeded(cwd: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const [sign, format, key] = await Promise.all(
    ['commit.gpgsign', 'gpg.format', 'user.signingkey'].map((k) =>
      git(['config', '--get', k], { cwd, env, allowFailure: true }),
    ),
  );
  return !(
    sign === 'true' &&
    key &&
    (format === 'ssh' || format === null || format === 'openpgp' || format === 'x509')
  );
}
