import { ALNUM, B64URL, HEX, tokenRule, type SecretRule } from '../rule.js';

const STRIPE_ROTATE = 'Stripe dashboard → Developers → API keys: roll the key (restricted keys: delete and recreate).';

/** Payments and commerce: Stripe, Square, PayPal/Braintree, Shopify, Plaid and others. Publishable keys are public. */
export const paymentRules: SecretRule[] = [
  tokenRule({
    id: 'stripe-secret-key',
    description: 'Stripe live secret key',
    severity: 'critical',
    parts: ['sk_live_', [ALNUM, 24, 99]],
    entropy: 3.5,
    rotate: STRIPE_ROTATE,
    negative: ['pk_live_' + 'Qw3rTy7uIoP1aSdF5gHjK2lZxCv9bNm4'],
  }),
  tokenRule({ id: 'stripe-restricted-key', description: 'Stripe live restricted key', severity: 'high', parts: ['rk_live_', [ALNUM, 24, 99]], entropy: 3.5, rotate: STRIPE_ROTATE }),
  tokenRule({ id: 'stripe-test-secret-key', description: 'Stripe test-mode secret key', severity: 'medium', parts: [{ oneOf: ['sk_test_', 'rk_test_'] }, [ALNUM, 24, 99]], entropy: 3.5, rotate: STRIPE_ROTATE }),
  tokenRule({ id: 'stripe-webhook-secret', description: 'Stripe webhook signing secret', severity: 'high', parts: ['whsec_', [ALNUM, 32, 64]], entropy: 3.5 }),
  tokenRule({ id: 'square-access-token', description: 'Square access token', severity: 'critical', parts: [{ oneOf: ['EAAA', 'sq0atp-'] }, [B64URL, 22, 60]], entropy: 3.5 }),
  tokenRule({ id: 'square-oauth-secret', description: 'Square OAuth application secret', severity: 'critical', parts: ['sq0csp-', [B64URL, 43]] }),
  tokenRule({
    id: 'braintree-access-token',
    description: 'PayPal Braintree access token',
    severity: 'critical',
    parts: ['access_token$', { oneOf: ['production', 'sandbox'] }, '$', ['0-9a-z', 16], '$', [HEX, 32]],
    keywords: ['access_token$'],
  }),
  tokenRule({ id: 'shopify-access-token', description: 'Shopify Admin API access token', severity: 'critical', parts: ['shpat_', ['a-fA-F0-9', 32]] }),
  tokenRule({ id: 'shopify-custom-app-token', description: 'Shopify custom app access token', severity: 'critical', parts: ['shpca_', ['a-fA-F0-9', 32]] }),
  tokenRule({ id: 'shopify-private-app-password', description: 'Shopify private app password', severity: 'critical', parts: ['shppa_', ['a-fA-F0-9', 32]] }),
  tokenRule({ id: 'shopify-shared-secret', description: 'Shopify app shared secret', severity: 'high', parts: ['shpss_', ['a-fA-F0-9', 32]] }),
  tokenRule({
    id: 'plaid-access-token',
    description: 'Plaid access token',
    severity: 'high',
    parts: ['access-', { oneOf: ['sandbox', 'development', 'production'] }, '-', [HEX, 8], '-', [HEX, 4], '-', [HEX, 4], '-', [HEX, 4], '-', [HEX, 12]],
    keywords: ['access-sandbox-', 'access-development-', 'access-production-'],
  }),
  tokenRule({ id: 'flutterwave-secret-key', description: 'Flutterwave secret key', severity: 'high', parts: [{ oneOf: ['FLWSECK-', 'FLWSECK_TEST-'] }, [HEX, 32], '-X'] }),
  tokenRule({ id: 'shippo-api-token', description: 'Shippo API token', severity: 'high', parts: [{ oneOf: ['shippo_live_', 'shippo_test_'] }, [HEX, 40]] }),
  tokenRule({ id: 'easypost-api-key', description: 'EasyPost API key', severity: 'high', parts: [{ oneOf: ['EZAK', 'EZTK'] }, [HEX, 54]] }),
  tokenRule({ id: 'duffel-api-token', description: 'Duffel API token', severity: 'high', parts: [{ oneOf: ['duffel_live_', 'duffel_test_'] }, [B64URL, 43]] }),
  tokenRule({ id: 'coinbase-access-token', description: 'Coinbase Commerce / exchange API token', severity: 'high', parts: ['cbpat_', [ALNUM, 40]] }),
];
