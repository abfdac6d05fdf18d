import { createRng, type Rng } from '../random.js';
import { customRule, examplesLater, type SecretRule, seedOf } from '../rule.js';

const PW = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!_-';

/** Passwords that are obviously not real: the scheme's own defaults and doc fillers. */
const TRIVIAL = /^(?:pass(?:word)?|passwd|pwd|secret|root|admin|user|username|test|guest|postgres|mysql|redis|changeme|example|foo|bar|demo)$/i;

/** Hosts reserved for documentation (RFC 2606, RFC 6761): a URL to them is an example, never a live login. */
const EXAMPLE_HOST = /@(?:[A-Za-z0-9-]+\.)*(?:example\.(?:com|org|net)|[A-Za-z0-9-]+\.(?:example|test|invalid))(?![A-Za-z0-9.-])/i;

function notTrivialPassword(secret: string, match?: RegExpExecArray): boolean {
  // `pass%20pass`, `pass%23pass`: a test of URL encoding made of the filler word itself.
  const words = safeDecode(secret).split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.length > 0 && words.every((w) => TRIVIAL.test(w))) return false;
  return !(match && EXAMPLE_HOST.test(match[0]));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function urlSample(schemes: string[], hosts: string[]) {
  return (rng: Rng): string => {
    const scheme = rng.pick(schemes);
    const user = rng.pick(['app', 'svc_user', 'deploy', 'admin', 'reporting']);
    const pass = rng.chars(PW, rng.int(14, 28));
    return `${scheme}://${user}:${pass}@${rng.pick(hosts)}`;
  };
}

const DB_SCHEMES = ['postgres', 'postgresql', 'mysql', 'mariadb', 'mongodb', 'mongodb+srv', 'redis', 'rediss', 'amqp', 'amqps', 'mssql', 'sqlserver', 'cockroachdb', 'clickhouse', 'neo4j', 'couchbase'];

const dbSample = urlSample(
  ['postgres', 'postgresql', 'mysql', 'mongodb+srv', 'redis', 'amqps'],
  ['db.internal.acme-corp.io:5432/app', 'cluster0.ab12c.mongodb.net/prod', '10.0.3.12:6379/0', 'mq.prod.local:5671/vhost'],
);

const database = customRule({
  id: 'database-url-credentials',
  description: 'Database or message-broker URL with an embedded password',
  severity: 'critical',
  // A provider token used as the password (a git remote with ghs_…) is reported as that token, once.
  tier: 'contextual',
  regex: new RegExp(
    `(?<![A-Za-z0-9+])(?:${DB_SCHEMES.map((s) => s.replace('+', '\\+')).join('|')})://[^\\s:/@"'\`<>]{1,64}:([^\\s/@"'\`<>]{4,128})@[A-Za-z0-9._-]{1,253}`,
    'gi',
  ),
  keywords: DB_SCHEMES.map((s) => `${s}://`),
  validate: notTrivialPassword,
  examples: { positive: [], negative: ['postgres://postgres:postgres@localhost:5432/app', 'DATABASE_URL=postgres://user:${DB_PASSWORD}@db:5432/app'] },
  sample: dbSample,
  rotate: 'Change the database user\'s password, then load the URL from the environment or a secrets manager.',
});
examplesLater(database, () => {
  database.examples.positive = [dbSample(createRng(seedOf(database.id)))];
});

const webSample = urlSample(['https', 'http', 'ftp', 'sftp', 'smtp', 'smtps', 'ldap', 'ldaps'], ['git.acme-corp.io/team/repo.git', 'mail.acme-corp.io:587', 'ldap.corp.local:636', 'files.acme-corp.io/upload']);

const web = customRule({
  id: 'url-credentials',
  description: 'URL with an embedded password (HTTP, FTP, SMTP, LDAP)',
  severity: 'high',
  // A provider token used as the password (a git remote with ghs_…) is reported as that token, once.
  tier: 'contextual',
  regex: /(?<![A-Za-z0-9+])(?:https?|s?ftp|smtps?|ldaps?|ssh|git\+https?):\/\/[^\s:/@"'`<>]{1,64}:([^\s/@"'`<>]{4,128})@[A-Za-z0-9._-]{1,253}/gi,
  keywords: ['http://', 'https://', 'ftp://', 'sftp://', 'smtp://', 'smtps://', 'ldap://', 'ldaps://', 'ssh://'],
  validate: notTrivialPassword,
  examples: {
    positive: [],
    negative: [
      'https://user:password@example.com/',
      'https://github.com/org/repo@v1.2.3',
      // Real lines from mature libraries: a doc comment about example.com, a test of percent-encoded passwords.
      ' *    // http://tobi:hello@example.com',
      "url = 'http://user:pass%20pass@complex.url.com/path?query=yes'",
      'f"http://{ENCODED_USER}:{ENCODED_PASSWORD}@request.com/url.html#test",',
    ],
  },
  sample: webSample,
});
examplesLater(web, () => {
  web.examples.positive = [webSample(createRng(seedOf(web.id)))];
});

const connSample = (rng: Rng): string =>
  `Server=tcp:${rng.pick(['sql-prod', 'reporting', 'crm'])}.database.windows.net,1433;Database=app;User Id=${rng.pick(['app', 'svc'])};Password=${rng.chars(PW, rng.int(14, 24))};Encrypt=true;`;

const connectionString = customRule({
  id: 'connection-string-password',
  description: 'Password in an ADO.NET / JDBC / ODBC connection string',
  severity: 'critical',
  tier: 'specific',
  regex: /(?:Server|Data Source|Host|jdbc:[a-z]{2,12}:)[^;\n"'`]{1,200};[^\n"'`]{0,300}?(?:Password|Pwd)=([^;\s"'`]{4,128})/gi,
  keywords: ['password=', 'pwd='],
  validate: notTrivialPassword,
  examples: { positive: [], negative: ['Server=localhost;Database=app;User Id=sa;Password=${SQL_PASSWORD};'] },
  sample: connSample,
});
examplesLater(connectionString, () => {
  connectionString.examples.positive = [connSample(createRng(seedOf(connectionString.id)))];
});

/** Credentials embedded in URLs and connection strings. */
export const urlRules: SecretRule[] = [database, web, connectionString];
