import { createRng } from '../random.js';
import { customRule, examplesLater, type SecretRule, seedOf } from '../rule.js';
import { shannonEntropy } from '../entropy.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SALT = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*()-_[]{}<>~+=,.;:/?|';

/** Laravel's APP_KEY (`base64:` and 32 random bytes) signs sessions and encrypts cookies. */
const laravel = customRule({
  id: 'laravel-app-key',
  description: 'Laravel application key (APP_KEY)',
  severity: 'high',
  tier: 'specific',
  regex: /(?<![A-Za-z0-9_])APP_KEY[ \t]{0,4}=[ \t]{0,4}["']?(base64:[A-Za-z0-9+/]{42,46}={0,2})(?![A-Za-z0-9+/=])/g,
  keywords: ['app_key'],
  entropy: 4,
  examples: { positive: [], negative: [] },
  sample: (rng) => `APP_KEY=base64:${Buffer.from(rng.chars(B64, 32)).toString('base64')}`,
  rotate: 'Run `php artisan key:generate` and redeploy (existing sessions and encrypted values become unreadable).',
});
examplesLater(laravel, () => {
  const r = createRng(seedOf(laravel.id));
  laravel.examples.positive = [laravel.sample(r)];
  laravel.examples.negative = ['APP_KEY=', 'APP_KEY=base64:${LARAVEL_KEY}', 'APP_KEY=SomeRandomString'];
});

/** WordPress's eight keys and salts in wp-config.php; the shipped template says `put your unique phrase here`. */
const wordpress = customRule({
  id: 'wordpress-salt',
  description: 'WordPress authentication key or salt (wp-config.php)',
  severity: 'high',
  tier: 'specific',
  regex: /define\([ \t]{0,4}['"](?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(?:KEY|SALT)['"][ \t]{0,4},[ \t]{0,16}'([^'\r\n]{32,128})'[ \t]{0,4}\)/g,
  keywords: ['_key', '_salt'],
  // Random salts are full of `<`, `{`, `$(` and `%`, which the shared placeholder check reads as templates.
  ownPlaceholderCheck: true,
  validate: (secret) => !/unique phrase/i.test(secret) && shannonEntropy(secret) >= 4.5,
  examples: { positive: [], negative: [] },
  sample: (rng) => `define('AUTH_KEY',         '${rng.chars(SALT.replace("'", ''), 64)}');`,
  rotate: 'Generate new keys and salts (https://api.wordpress.org/secret-key/1.1/salt/): every session is logged out.',
});
examplesLater(wordpress, () => {
  const r = createRng(seedOf(wordpress.id));
  wordpress.examples.positive = [wordpress.sample(r)];
  wordpress.examples.negative = ["define( 'AUTH_KEY',         'put your unique phrase here' );"];
});

/** FileZilla stores site passwords base64-encoded (`<Pass encoding="base64">`), which hides nothing. */
const filezilla = customRule({
  id: 'filezilla-password',
  description: 'FileZilla saved site password',
  severity: 'high',
  tier: 'specific',
  regex: /<Pass encoding="base64">([A-Za-z0-9+/]{8,512}={0,2})<\/Pass>/g,
  keywords: ['<pass encoding'],
  validate: (secret) => {
    const decoded = Buffer.from(secret, 'base64').toString('utf8').trim();
    return decoded.length >= 6 && !/\ufffd/.test(decoded);
  },
  examples: { positive: [], negative: [] },
  sample: (rng) => `<Pass encoding="base64">${Buffer.from(rng.chars(B64, 20)).toString('base64')}</Pass>`,
  rotate: 'Change the password on the server, then remove the site from FileZilla\'s exported configuration.',
});
examplesLater(filezilla, () => {
  const r = createRng(seedOf(filezilla.id));
  filezilla.examples.positive = [filezilla.sample(r)];
  filezilla.examples.negative = ['<Pass encoding="base64" />', `<Pass encoding="base64">${Buffer.from('abc').toString('base64')}</Pass>`];
});

/**
 * Rails keeps the key that decrypts config/credentials.yml.enc in config/master.key (or, per environment, in
 * config/credentials/<env>.key): the whole file is 32 hex characters. The file name says what it is, so the rule
 * runs on those files alone, where a bare hex line is nothing else.
 */
const railsMasterKey = customRule({
  id: 'rails-master-key',
  description: 'Rails master key (config/master.key)',
  severity: 'critical',
  tier: 'specific',
  regex: /^[ \t]{0,4}([a-f0-9]{32})[ \t]{0,4}\r?$/gm,
  keywords: [],
  entropy: 3,
  skipPaths: /^(?!(?:.*\/)?(?:master\.key|credentials\/[A-Za-z0-9_-]{1,40}\.key)$)/,
  examples: { positive: [], negative: [] },
  sample: (rng) => rng.chars('0123456789abcdef', 32),
  samplePath: 'config/master.key',
  rotate:
    'Run `bin/rails credentials:edit` with a new key (re-encrypt credentials.yml.enc), rotate every secret the old key could decrypt, and keep master.key out of git.',
});
examplesLater(railsMasterKey, () => {
  const r = createRng(seedOf(railsMasterKey.id));
  railsMasterKey.examples.positive = [railsMasterKey.sample(r)];
  railsMasterKey.examples.negative = ['RAILS_MASTER_KEY', '0123456789abcdef'];
});

/** Framework and application configuration secrets with a fixed place: Laravel, WordPress, FileZilla, Rails. */
export const frameworkRules: SecretRule[] = [laravel, wordpress, filezilla, railsMasterKey];
