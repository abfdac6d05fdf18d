/** Workflow files for the detection tests: each risky job has a benign twin that must stay quiet. */
import { CHECKOUT, HARDEN } from './fixtures.js';

const H = `      - uses: ${HARDEN}\n`;
const C = `      - uses: ${CHECKOUT}\n        with:\n          persist-credentials: false\n`;

/** Benign look-alikes: privileged trigger without the head, untrusted text through env, local inherit, self-hosted on push only. */
export const BENIGN_YML = `name: benign
on:
  pull_request_target:
permissions:
  contents: read
  pull-requests: write
jobs:
  label:
    runs-on: ubuntu-24.04
    steps:
${H}${C}      - env:
          TOKEN: \${{ secrets.NPM_TOKEN }}
          BODY: \${{ github.event.pull_request.body }}
        run: echo "$BODY" | wc -c
  reuse:
    uses: ./.github/workflows/nightly.yml
    secrets: inherit
`;

export const BENIGN_PUSH_YML = `name: deploy-box
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  deploy:
    runs-on: [self-hosted, linux]
    steps:
${H}${C}      - run: ./deploy.sh
`;

/** Every static risk, one job each. */
export const RISKY_YML = `name: risky
on:
  pull_request_target:
  issue_comment:
jobs:
  build-head:
    runs-on: ubuntu-24.04
    steps:
${H}      - uses: ${CHECKOUT}
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - run: npm ci && npm run build
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
  greet:
    runs-on: ubuntu-24.04
    permissions: {}
    steps:
${H}      - run: echo "Thanks for \${{ github.event.issue.title }}"
  tagged:
    runs-on: ubuntu-24.04
    permissions: {}
    steps:
${H}      - uses: actions/setup-node@v4
  service:
    runs-on: ubuntu-24.04
    permissions: {}
    services:
      cache:
        image: redis:7
    steps:
${H}      - run: true
  creds:
    runs-on: ubuntu-24.04
    permissions: {}
    steps:
${H}      - uses: ${CHECKOUT}
  inherit:
    uses: other-org/shared/.github/workflows/release.yml@0123456789abcdef0123456789abcdef01234567
    secrets: inherit
  box:
    runs-on: [self-hosted]
    permissions: {}
    steps:
${H}      - run: make
  bare:
    runs-on: ubuntu-24.04
    permissions: {}
    steps:
      - run: echo no hardening
`;

export const OURS_YML = (harden: boolean) => `name: secure-repo audit
on:
  schedule:
    - cron: '41 6 * * *'
  workflow_dispatch:
permissions: {}
jobs:
  posture-audit:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
${harden ? H : ''}${C}      - run: npx secure-repo audit
`;
