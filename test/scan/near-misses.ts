/**
 * One hand-written near miss per built-in rule: the rule's own shape with exactly one thing wrong (a body one group
 * short, a character outside the alphabet, the wrong prefix, a name that is not the provider's, a failed checksum
 * or structure). Built from fixed pieces so the lengths are visible: A16 is 16 alphanumerics, H16 16 hex digits.
 * test/scan/near-misses.test.ts checks that none is reported as its rule.
 */
const A16 = 'k3Xq9Lm2Vb7Tz4Wp';
const H16 = 'f3a9c27e1b5d84e6';
const L16 = 'qmzkvtrwpxbnhgjd';
const U16 = 'QXZMNBLKPTRWHGJD';
const a = (n: number) => A16.repeat(Math.ceil(n / 16)).slice(0, n);
const h = (n: number) => H16.repeat(Math.ceil(n / 16)).slice(0, n);
const l = (n: number) => L16.repeat(Math.ceil(n / 16)).slice(0, n);
const u = (n: number) => U16.repeat(Math.ceil(n / 16)).slice(0, n);
const b64 = (s: string) => Buffer.from(s).toString('base64');

export const NEAR_MISSES: Record<string, string> = {
  // cloud
  'aws-access-key-id': `AKIA${u(15)}`, // 15 after the prefix, not 16
  'aws-secret-access-key': `aws_secret_access_key = "${a(39)}"`, // 39 characters, not 40
  'aws-session-token': `aws_session_token = "${a(100)}"`, // shorter than any session token (120+)
  'aws-mws-key': `amzn.mws.${h(8)}-${h(4)}-${h(4)}-${h(4)}-${h(11)}`, // last group 11 hex
  'gcp-api-key': `AIza${a(34)}`, // 34, not 35
  'gcp-oauth-client-secret': `GOCSPX-${a(27)}`,
  'google-oauth-access-token': `ya29.${a(50)}`, // shorter than 60
  'gcp-service-account-key': `"private_key_id": "${h(39)}"`,
  'firebase-cloud-messaging-key': `AAAA${a(7)}:APA91b${a(100)}`, // body too short
  'azure-storage-connection-string': `DefaultEndpointsProtocol=https;AccountName=acmestore;AccountKey=${a(40)}`, // key too short
  'azure-cosmosdb-connection-string': `AccountEndpoint=https://acme-db.documents.azure.com:443/;AccountKey=${a(40)}`,
  'azure-service-bus-connection-string': `Endpoint=sb://acme-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey`,
  'azure-sas-token': `sv=2022-11-02&ss=b&srt=co&sp=r&sig=${a(20)}`, // signature far too short
  'azure-ad-client-secret': `${a(3)}8Q-${a(34)}`, // `Q-`, not `Q~`
  'alibaba-access-key-id': `LTAI${a(19)}`,
  'alibaba-access-key-secret': `aliyun_access_key_secret = "${a(29)}"`,
  'digitalocean-pat': `dop_v1_${h(63)}`,
  'digitalocean-oauth-token': `doo_v1_${h(63)}`,
  'digitalocean-refresh-token': `dor_v1_${h(63)}`,
  'heroku-api-key-v2': `HRKU-AA${a(57)}`,
  'heroku-api-key': `HEROKU_API_KEY=${h(8)}-${h(4)}-${h(4)}-${h(4)}-${h(11)}`,
  'cloudflare-origin-ca-key': `v1.0-${h(24)}-${h(145)}`,
  'cloudflare-api-token': `CLOUDFLARE_API_TOKEN=${a(39)}`,
  'flyio-token': `fo1_${a(42)}`,
  'flyio-macaroon-token': `FlyV1 fm2_${a(80)}`, // body shorter than any macaroon (100+)
  'clickhouse-cloud-api-secret': `4b1d${a(37)}`, // 37 after the prefix, not 38
  'aws-bedrock-api-key': `ABSKQmVkcm9ja0FQSUtleS${a(60)}`, // body far too short
  'aws-bedrock-api-key-short-lived': `bedrock-api-key-${b64('bedrock.amazonaws.com')}`, // the fixed prefix alone, no signed request
  'supabase-service-key': `sbp_${h(39)}`,
  'pulumi-access-token': `pul-${h(39)}`,
  'terraform-cloud-token': `${a(14)}.atlasv2.${a(67)}`, // atlasv2, not atlasv1
  'linode-token': `LINODE_TOKEN=${h(63)}`,
  'vercel-token': `VERCEL_TOKEN=${a(23)}`,
  'netlify-token': `NETLIFY_AUTH_TOKEN=${a(30)}`,
  'openshift-token': `sha256~${a(42)}`,
  'tailscale-key': `tskey-auth-${a(10)}-${a(20)}`, // second part too short
  // code hosts
  'github-pat': `ghp_${a(32)}`,
  'github-oauth-token': `gho_${a(32)}`,
  'github-user-to-server-token': `ghu_${a(32)}`,
  'github-server-to-server-token': `ghs_${a(32)}`,
  'github-refresh-token': `ghr_${a(32)}`,
  'github-fine-grained-pat': `github_pat_${a(22)}_${a(50)}`,
  'gitlab-pat': `glpat-${a(16)}`,
  'gitlab-pipeline-trigger-token': `glptt-${h(39)}`,
  'gitlab-runner-registration-token': `GR1348941${a(16)}`,
  'gitlab-runner-auth-token': `glrt-${a(16)}`,
  'gitlab-deploy-token': `gldt-${a(16)}`,
  'gitlab-feed-token': `glft-${a(16)}`,
  'gitlab-oauth-app-secret': `gloas-${h(63)}`,
  'gitlab-scim-token': `glsoat-${a(16)}`,
  'gitlab-ci-build-token': `glcbt-${a(16)}`,
  'gitlab-incoming-mail-token': `glimt-${l(24)}`,
  'gitlab-agent-token': `glagent-${a(49)}`,
  'gitlab-feature-flags-token': `glffct-${a(16)}`,
  'bitbucket-app-password': `ATBB${a(31)}`,
  'atlassian-api-token': `ATATT3${a(150)}`,
  'atlassian-api-token-legacy': `JIRA_API_TOKEN=${a(23)}`, // 23 characters, not 24
  'sourcegraph-access-token': `sgp_${h(16)}_${h(39)}`,
  'sourcegraph-token-legacy': `SOURCEGRAPH_TOKEN=${h(16)}g${h(23)}`, // a `g` is not hex
  'sonarqube-token': `squ_${h(39)}`,
  'circleci-pat': `CCIPAT_${a(22)}_${h(39)}`,
  'buildkite-token': `bkua_${h(39)}`,
  'harness-token': `pat.${a(22)}.${h(23)}.${a(20)}`,
  'octopus-deploy-api-key': `API-${u(20)}`,
  'postman-api-key': `PMAK-${h(24)}-${h(33)}`,
  'linear-api-key': `lin_api_${a(39)}`,
  'linear-oauth-token': `lin_oauth_${h(63)}`,
  'databricks-token': `dapi${h(31)}`,
  'figma-pat': `figd_${a(39)}`,
  'notion-integration-token': `ntn_${h(10)}${a(35)}`, // 10 digits where 11 are needed
  'airtable-pat': `pat${a(14)}.${h(63)}`,
  'contentful-pat': `CFPAT-${a(42)}`,
  'readme-api-key': `rdme_${l(69)}`,
  'prefect-api-key': `pnu_${a(35)}`,
  'planetscale-token': `pscale_tkn_${a(42)}`,
  'clickup-api-token': `pk_1234567_${u(31)}`,
  'typeform-token': `tfp_${a(58)}`,
  'deno-deploy-token': `ddp_${a(35)}`,
  'render-api-key': `rnd_${a(31)}`,
  // registries
  'npm-access-token': `npm_${a(32)}`,
  'npmrc-auth-token': `_authToken=\${NPM_TOKEN}`, // a reference, not a token
  'pypi-upload-token': `pypi-AgEIcHlwaS5vcmc${a(50)}`,
  'rubygems-api-key': `rubygems_${h(47)}`,
  'nuget-api-key': `oy2${l(42)}`,
  'docker-config-auth': `"auth": "${b64('no-colon-here-k3Xq9Lm2')}"`, // does not decode to user:password
  'dockerhub-pat': `dckr_pat_${a(26)}`,
  'crates-io-token': `cio${a(31)}`,
  'artifactory-api-key': `AKCp${a(68)}`,
  'artifactory-reference-token': `cmVmdGtuOjAxOj${a(49)}`,
  'clojars-token': `CLOJARS_${l(59)}`,
  // payments
  'stripe-secret-key': `sk_live_${a(20)}`,
  'stripe-restricted-key': `rk_live_${a(20)}`,
  'stripe-test-secret-key': `pk_test_${a(24)}`, // publishable, not secret
  'stripe-webhook-secret': `whsec_${a(28)}`,
  'square-access-token': `sq0atp-${a(20)}`,
  'square-oauth-secret': `sq0csp-${a(42)}`,
  'braintree-access-token': `access_token$staging$${l(16)}$${h(32)}`,
  'shopify-access-token': `shpat_${h(31)}`,
  'shopify-custom-app-token': `shpca_${h(31)}`,
  'shopify-private-app-password': `shppa_${h(31)}`,
  'shopify-shared-secret': `shpss_${h(31)}`,
  'plaid-access-token': `access-staging-${h(8)}-${h(4)}-${h(4)}-${h(4)}-${h(12)}`,
  'flutterwave-secret-key': `FLWSECK-${h(32)}`, // without the -X suffix
  'shippo-api-token': `shippo_live_${h(39)}`,
  'easypost-api-key': `EZAK${h(53)}`,
  'duffel-api-token': `duffel_live_${a(42)}`,
  'coinbase-access-token': `cbpat_${a(39)}`,
  // messaging
  'slack-bot-token': `xoxb-1234567890-1234567890-${a(20)}`,
  'slack-user-token': `xoxp-1234567890-1234567890-1234567890-${h(31)}`,
  'slack-app-token': `xapp-1-${u(10)}-1234567890-${h(63)}`,
  'slack-config-token': `xoxe.xoxp-1-${a(150)}`,
  'slack-refresh-token': `xoxe-1-${a(130)}`,
  'slack-legacy-token': `xoxs-1234567-${a(20)}`, // 7 digits, not 10+
  'slack-legacy-bot-token': `xoxb-1234567-${a(24)}`, // 7 digits, not 8+
  'slack-legacy-numeric-token': `xoxs-123456789012-123456789-${h(10)}`, // two numeric ids, not three
  'slack-webhook-url': `https://hooks.slack.com/services/T${u(8)}/B${u(8)}/${a(10)}`,
  'discord-webhook-url': `https://discord.com/api/webhooks/123456789012345678/${a(20)}`,
  'discord-bot-token': `M${a(23)}.${a(5)}.${a(27)}`, // middle part 5, not 6
  'telegram-bot-token': `123456789:AB${a(33)}`, // AB, not AA
  'twilio-api-key': `SK${h(31)}`,
  'twilio-auth-token': `TWILIO_AUTH_TOKEN=${h(31)}`,
  'sendgrid-api-key': `SG.${a(22)}.${a(40)}`,
  'mailgun-api-key': `key-${h(31)}`,
  'mailgun-signing-key': `MAILGUN_SIGNING_KEY=${h(31)}`,
  'mailchimp-api-key': `${h(32)}-eu12`, // datacentre us only
  'brevo-api-key': `xkeysib-${h(63)}-${a(16)}`,
  'mailersend-api-token': `mlsn.${h(63)}`,
  'resend-api-key': `re_${a(8)}_${a(20)}`,
  'microsoft-teams-webhook': `https://acme.webhook.office.com/webhookb2/${h(8)}-${h(4)}`,
  'twitter-bearer-token': `AAAAAAAAAAAAAAAAAAAAA${a(40)}`,
  'facebook-access-token': `EAAB${a(60)}`,
  // ai
  'openai-api-key': `sk-proj-${a(40)}`, // no T3BlbkFJ marker
  'anthropic-api-key': `sk-ant-api03-${a(90)}AA`,
  'huggingface-token': `hf_${l(30)}`,
  'huggingface-org-token': `api_org_${l(30)}`,
  'groq-api-key': `gsk_${a(48)}`,
  'replicate-api-token': `r8_${a(33)}`,
  'perplexity-api-key': `pplx-${a(44)}`,
  'xai-api-key': `xai-${a(70)}`,
  'openrouter-api-key': `sk-or-v1-${h(60)}`,
  'langsmith-api-key': `lsv2_pt_${h(32)}_${h(9)}`,
  'pinecone-api-key': `pcsk_${a(5)}_${a(40)}`,
  'cohere-api-key': `COHERE_API_KEY=${a(30)}`,
  'mistral-api-key': `MISTRAL_API_KEY=${a(28)}`,
  // observability
  'datadog-api-key': `DD_API_KEY=${h(31)}`,
  'datadog-app-key': `DD_APP_KEY=${h(39)}`,
  'newrelic-user-api-key': `NRAK-${u(26)}`,
  'newrelic-license-key': `${h(35)}NRAL`,
  'newrelic-insights-key': `NRII-${a(28)}`,
  'newrelic-browser-key': `NRJS-${h(18)}`,
  'grafana-cloud-token': `glc_${a(20)}`,
  'grafana-service-account-token': `glsa_${a(32)}_${h(7)}`,
  'grafana-api-key': `eyJrIjoi${a(40)}`,
  'sentry-user-token': `sntryu_${h(63)}`,
  'sentry-org-token': `sntrys_eyJpYXQiO${a(40)}_${a(43)}`,
  'sentry-auth-token': `SENTRY_AUTH_TOKEN=${h(63)}`,
  'dynatrace-api-token': `dt0c01.${u(24)}.${u(60)}`,
  'honeycomb-api-key': `HONEYCOMB_API_KEY=${a(20)}`,
  'pagerduty-api-key': `PAGERDUTY_API_KEY=${a(18)}`,
  // secrets managers
  'vault-service-token': `hvs.${a(80)}`,
  'vault-batch-token': `hvb.${a(120)}`,
  'vault-recovery-token': `hvr.${a(80)}`,
  'vault-legacy-token': `VAULT_TOKEN=s.${a(23)}`,
  'doppler-token': `dp.pt.${a(39)}`,
  'onepassword-service-account-token': `ops_eyJ${a(200)}`,
  'infisical-token': `st.${h(8)}-${h(4)}.${h(32)}.${h(31)}`,
  'age-secret-key': `AGE-SECRET-KEY-1${'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'.repeat(2).slice(0, 57)}`,
  // saas
  'mapbox-secret-token': `pk.eyJ1Ijoi${a(60)}.${a(22)}`, // pk. is Mapbox's public token
  'okta-api-token': `OKTA_API_TOKEN=00${a(20)}`,
  'dropbox-short-lived-token': `sl.${a(100)}`,
  'asana-pat': `ASANA_TOKEN=1/${'1234567890123456'}:${h(20)}`,
  'snyk-token': `SNYK_TOKEN=${h(8)}-${h(4)}-${h(4)}-${h(4)}-${h(11)}`,
  'algolia-admin-key': `ALGOLIA_ADMIN_KEY=${h(31)}`,
  'launchdarkly-key': `LAUNCHDARKLY_SDK_KEY=sdk-${h(8)}-${h(4)}`,
  'codecov-token': `CODECOV_TOKEN=${h(8)}-${h(4)}-${h(4)}-${h(4)}-${h(11)}`,
  'circleci-token-legacy': `CIRCLE_TOKEN=${h(39)}`,
  'azure-devops-pat': `AZURE_DEVOPS_PAT=${l(40)}`,
  'adafruit-io-key': `aio_${a(27)}`,
  'frameio-token': `fio-u-${a(50)}`,
  'ngrok-authtoken': `NGROK_AUTHTOKEN=${a(20)}`,
  // keys: a body of "..." as in documentation
  'private-key-rsa': '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----',
  'private-key-ec': '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI...\n-----END EC PRIVATE KEY-----',
  'private-key-dsa': '-----BEGIN DSA PRIVATE KEY-----\nMIIBuwIBAAKBgQ...\n-----END DSA PRIVATE KEY-----',
  'private-key-openssh':
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE...\n-----END OPENSSH PRIVATE KEY-----',
  'private-key-pkcs8': '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\n-----END PRIVATE KEY-----',
  'private-key-encrypted':
    '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0w...\n-----END ENCRYPTED PRIVATE KEY-----',
  'private-key-pgp': '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF...\n-----END PGP PRIVATE KEY BLOCK-----',
  'putty-private-key': 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\n...\nPrivate-MAC: ...',
  jwt: `${b64('{"alg":"none","typ":"JWT"}').replace(/=+$/, '')}.${b64('{"sub":"svc","exp":1900000000}').replace(/=+$/, '')}.${a(20)}`,
  // infrastructure
  'ceph-key': `key = AQ${a(35)}g==`, // the cephx layout does not check (type, length 16)
  'kubeconfig-client-key': `client-key-data: ${b64(`-----BEGIN CERTIFICATE-----\n${a(64)}\n-----END CERTIFICATE-----\n`)}`,
  'kubeconfig-token': `jobs:\n  publish:\n    with:\n      token: ${a(32)}`, // not in a kubeconfig
  'azure-storage-account-key': `azurestorageaccountkey: ${a(60)}==`,
  'kubernetes-secret-value': `kind: ConfigMap\ndata:\n  password: ${b64(`pw-${a(12)}`)}`, // a ConfigMap is not a Secret
  // frameworks
  'laravel-app-key': `APP_KEY=base64:${a(30)}`, // 30 characters, not 44
  'wordpress-salt': "define( 'AUTH_KEY',         'put your unique phrase here' );",
  'filezilla-password': `<Pass encoding="base64">${b64('abc')}</Pass>`, // too short to be a password
  'rails-master-key': h(31), // 31 hex, not 32 (read at the rule's own path, config/master.key)
  // tools
  'curl-basic-auth': 'curl -u "$DEPLOY_USER:$DEPLOY_PASSWORD" https://registry.acme-corp.io/v2/', // variables, not a password
  'curl-auth-header': 'curl -H "Authorization: Bearer $TOKEN" https://api.acme-corp.io/v1/items',
  'netrc-password': `machine api.acme-corp.io login deploy passwd ${a(16)}`, // `passwd` is not a .netrc token
  'pgpass-password': `db.acme-corp.internal:orders:app:${a(16)}`, // four fields, no port: not a .pgpass line
  'onepassword-secret-key': `A3-${u(6)}-${u(6)}-${u(5)}-${u(5)}-${u(4)}`, // last group 4, not 5
  'canarytoken-auth': `https://canarytokens.org/manage?token=${l(25)}`, // no auth value
  // urls
  'database-url-credentials': 'postgres://app:${DB_PASSWORD}@db.internal:5432/app',
  'url-credentials': 'https://deploy:hunter2pass@docs.example.com/upload',
  'connection-string-password': 'Server=sql.internal;Database=app;User Id=app;Password=$(SQL_PASSWORD);',
  // generic
  'http-bearer-token': 'Authorization: Bearer {{ access_token }}',
  'generic-secret': `const apiKey = config.${l(12)}Key;`,
  'encoded-key-bytes': `const aesKey = "${b64(a(31))}";`, // 31 bytes of text: not a key size, and printable
};
