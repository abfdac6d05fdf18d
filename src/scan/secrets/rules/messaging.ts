import { ALNUM, B64URL, HEX, assignedRule, tokenRule, type SecretRule } from '../rule.js';

/** Messaging and email: Slack, Discord, Telegram, Twilio, SendGrid, Mailgun, Mailchimp, Teams and others. */
export const messagingRules: SecretRule[] = [
  tokenRule({
    id: 'slack-bot-token',
    description: 'Slack bot token',
    severity: 'critical',
    parts: ['xoxb-', ['0-9', 10, 13], '-', ['0-9', 10, 13], '-', [ALNUM, 24]],
    rotate: 'Slack app settings → OAuth & Permissions: revoke tokens / reinstall the app.',
  }),
  // xoxe- user tokens come from token rotation; both forms end in 32 hex (28-34 seen in the wild, with dashes).
  tokenRule({ id: 'slack-user-token', description: 'Slack user token', severity: 'critical', parts: [{ oneOf: ['xoxp-', 'xoxe-'] }, ['0-9', 10, 13], '-', ['0-9', 10, 13], '-', ['0-9', 10, 13], '-', ['a-zA-Z0-9-', 28, 34]], entropy: 3 }),
  // Bot tokens before 2016: one numeric id, then 18-26 alphanumerics.
  tokenRule({ id: 'slack-legacy-bot-token', description: 'Slack bot token (legacy form)', severity: 'critical', parts: ['xoxb-', ['0-9', 8, 14], '-', [ALNUM, 18, 26]], entropy: 3, validate: (v) => /[A-Za-z]/.test(v.slice(5)) }),
  tokenRule({ id: 'slack-app-token', description: 'Slack app-level token', severity: 'high', parts: ['xapp-1-', ['A-Z0-9', 9, 11], '-', ['0-9', 10, 13], '-', [HEX, 64]], caseInsensitive: false }),
  tokenRule({ id: 'slack-config-token', description: 'Slack configuration access token', severity: 'high', parts: ['xoxe.xox', { oneOf: ['p', 'b'] }, '-1-', [ALNUM, 160, 170]], keywords: ['xoxe.xox'] }),
  tokenRule({ id: 'slack-refresh-token', description: 'Slack token rotation refresh token', severity: 'high', parts: ['xoxe-1-', [ALNUM, 140, 150]] }),
  tokenRule({ id: 'slack-legacy-token', description: 'Slack legacy workspace token', severity: 'high', parts: [{ oneOf: ['xoxa-2-', 'xoxo-', 'xoxs-', 'xoxr-'] }, ['0-9', 10, 13], '-', [ALNUM, 20, 48]] }),
  // Older legacy forms: workspace app tokens `xoxa-2-<ids>-<hex>` and test tokens `xoxs-/xoxo-` with three numeric ids.
  tokenRule({ id: 'slack-legacy-numeric-token', description: 'Slack legacy token (numeric-id form)', severity: 'high', parts: [{ oneOf: ['xoxa-2-', 'xoxa-', 'xoxr-', 'xoxo-', 'xoxs-'] }, ['0-9', 8, 13], '-', ['0-9', 8, 13], '-', ['0-9', 8, 13], '-', ['a-fA-F0-9', 10, 64]], entropy: 2.5 }),
  tokenRule({
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook URL',
    severity: 'high',
    parts: ['https://hooks.slack.com/', { oneOf: ['services', 'workflows', 'triggers'] }, '/T', ['A-Z0-9', 8, 10], '/B', ['A-Z0-9', 8, 10], '/', [ALNUM, 24]],
    keywords: ['hooks.slack.com'],
  }),
  tokenRule({
    id: 'discord-webhook-url',
    description: 'Discord webhook URL',
    severity: 'medium',
    parts: ['https://', { oneOf: ['discord.com', 'discordapp.com', 'ptb.discord.com', 'canary.discord.com'] }, '/api/webhooks/', ['0-9', 17, 20], '/', [B64URL, 68]],
    keywords: ['/api/webhooks/'],
  }),
  tokenRule({
    id: 'discord-bot-token',
    description: 'Discord bot token',
    severity: 'high',
    // base64 of the bot's user id (17-19 digits), a timestamp, an HMAC; only in files that mention Discord.
    parts: [['MNO', 1], [B64URL, 22, 25], '.', [B64URL, 6], '.', [B64URL, 27, 38]],
    keywords: ['discord'],
    validate: (secret) => /^\d{17,20}$/.test(Buffer.from(secret.slice(0, secret.indexOf('.')), 'base64url').toString('latin1')),
    sample: (rng) => {
      const id = String(rng.int(1, 9)) + rng.chars('0123456789', rng.int(16, 18));
      const part = (n: number) => rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', n);
      return `${rng.pick(['DISCORD_TOKEN', 'discord_bot_token'])}=${Buffer.from(id).toString('base64url')}.${part(6)}.${part(rng.int(27, 38))}`;
    },
  }),
  tokenRule({
    id: 'telegram-bot-token',
    description: 'Telegram bot token',
    severity: 'high',
    parts: [['0-9', 8, 10], ':AA', [B64URL, 33]],
    keywords: [':aa'],
    lead: '\\/bot',
    rotate: 'Talk to @BotFather: /revoke the token for the bot.',
  }),
  tokenRule({ id: 'twilio-api-key', description: 'Twilio API key SID', severity: 'high', parts: ['SK', [HEX, 32]], keywords: ['sk'], entropy: 3 }),
  assignedRule({
    id: 'twilio-auth-token',
    description: 'Twilio auth token',
    severity: 'critical',
    names: 'twilio[_.-]?(?:auth[_.-]?)?(?:token|secret)',
    sampleNames: ['TWILIO_AUTH_TOKEN', 'twilio_token', 'twilioAuthToken'],
    keywords: ['twilio'],
    value: [[HEX, 32]],
    entropy: 3,
  }),
  tokenRule({
    id: 'sendgrid-api-key',
    description: 'SendGrid API key',
    severity: 'critical',
    parts: ['SG.', [B64URL, 22], '.', [B64URL, 43]],
    rotate: 'SendGrid → Settings → API Keys: delete the key and create a new one.',
  }),
  tokenRule({ id: 'mailgun-api-key', description: 'Mailgun private API key', severity: 'high', parts: ['key-', [HEX, 32]], entropy: 3 }),
  assignedRule({
    id: 'mailgun-signing-key',
    description: 'Mailgun API or webhook signing key',
    severity: 'high',
    names: 'mailgun[_.-]?(?:api[_.-]?|webhook[_.-]?|signing[_.-]?)?(?:key|secret)',
    sampleNames: ['MAILGUN_API_KEY', 'mailgun_signing_key'],
    keywords: ['mailgun'],
    value: [[HEX, 32], '-', [HEX, 8], '-', [HEX, 8]],
  }),
  tokenRule({ id: 'mailchimp-api-key', description: 'Mailchimp API key', severity: 'high', parts: [[HEX, 32], '-us', ['0-9', 1, 2]], keywords: ['-us'], entropy: 3 }),
  tokenRule({ id: 'brevo-api-key', description: 'Brevo (Sendinblue) API key', severity: 'high', parts: ['xkeysib-', [HEX, 64], '-', [ALNUM, 16]] }),
  tokenRule({ id: 'mailersend-api-token', description: 'MailerSend API token', severity: 'high', parts: ['mlsn.', [HEX, 64]] }),
  tokenRule({ id: 'resend-api-key', description: 'Resend API key', severity: 'high', parts: ['re_', [ALNUM, 8], '_', [ALNUM, 24]], entropy: 3.5 }),
  tokenRule({
    id: 'microsoft-teams-webhook',
    description: 'Microsoft Teams incoming webhook URL',
    severity: 'medium',
    parts: ['https://', ['a-z0-9-', 3, 30], '.webhook.office.com/webhookb2/', [HEX, 8], '-', [HEX, 4], '-', [HEX, 4], '-', [HEX, 4], '-', [HEX, 12], '@', [HEX, 8], '-', [HEX, 4], '-', [HEX, 4], '-', [HEX, 4], '-', [HEX, 12], '/IncomingWebhook/', [HEX, 32], '/', [HEX, 8], '-', [HEX, 4], '-', [HEX, 4], '-', [HEX, 4], '-', [HEX, 12]],
    keywords: ['webhook.office.com'],
  }),
  tokenRule({ id: 'twitter-bearer-token', description: 'X (Twitter) API bearer token', severity: 'high', parts: ['AAAAAAAAAAAAAAAAAAAAA', ['A-Za-z0-9%', 80, 120]] }),
  tokenRule({ id: 'facebook-access-token', description: 'Facebook / Meta Graph API access token', severity: 'high', parts: ['EAAB', [ALNUM, 100, 220]], entropy: 4 }),
];
