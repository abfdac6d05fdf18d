/** Realistic small repositories of the kinds init must recognise. Each is a map of path → content. */
export type RepoKind = 'node-app' | 'node-monorepo' | 'python' | 'go-infra' | 'java' | 'empty';

const pkg = (o: object) => JSON.stringify(o, null, 2) + '\n';

export const KINDS: Record<RepoKind, Record<string, string>> = {
  'node-app': {
    'package.json': pkg({
      name: 'shop-api',
      version: '1.0.0',
      scripts: { start: 'node src/index.js', test: 'node --test', lint: 'eslint .' },
      dependencies: { express: '^4.19.0' },
      devDependencies: { eslint: '^9.0.0' },
    }),
    'package-lock.json': pkg({ name: 'shop-api', lockfileVersion: 3, packages: {} }),
    'src/index.js':
      "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 8080);\n",
    'test/index.test.js': "const test = require('node:test');\ntest('ok', () => {});\n",
    '.gitignore': 'node_modules/\n',
    Dockerfile: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "src/index.js"]\n',
  },
  'node-monorepo': {
    'package.json': pkg({
      name: 'acme',
      private: true,
      workspaces: ['packages/*', 'apps/*'],
      scripts: { test: 'pnpm -r test' },
      packageManager: 'pnpm@9.1.0',
    }),
    'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - 'apps/*'\n",
    'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    'packages/ui/package.json': pkg({ name: '@acme/ui', version: '0.1.0', devDependencies: { typescript: '^5.4.0' } }),
    'packages/ui/src/index.ts': 'export const button = (label: string) => `<button>${label}</button>`;\n',
    'apps/web/package.json': pkg({ name: '@acme/web', version: '0.1.0', dependencies: { '@acme/ui': 'workspace:*' } }),
    'apps/web/src/main.ts': "import { button } from '@acme/ui';\nconsole.log(button('hi'));\n",
    'tsconfig.json': pkg({ compilerOptions: { strict: true } }),
    'turbo.json': pkg({ pipeline: {} }),
  },
  python: {
    'pyproject.toml':
      '[tool.poetry]\nname = "ledger"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3.0"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    'poetry.lock': '# poetry lock\n',
    'ledger/__init__.py': '',
    'ledger/app.py': 'from flask import Flask\napp = Flask(__name__)\n\n@app.get("/")\ndef index():\n    return "ok"\n',
    'tests/test_app.py': 'def test_ok():\n    assert True\n',
    '.pre-commit-config.yaml':
      '# existing hooks, keep my comments\nrepos:\n  - repo: https://github.com/psf/black\n    rev: 24.4.2\n    hooks:\n      - id: black # formatter\n',
  },
  'go-infra': {
    'go.mod': 'module github.com/acme/edge\n\ngo 1.22\n',
    'go.sum': '',
    'main.go': 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n',
    Dockerfile:
      'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /edge\nFROM gcr.io/distroless/static\nCOPY --from=build /edge /edge\nENTRYPOINT ["/edge"]\n',
    'infra/main.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n',
    'infra/variables.tf': 'variable "region" { default = "eu-west-1" }\n',
    'charts/edge/Chart.yaml': 'apiVersion: v2\nname: edge\nversion: 0.1.0\n',
    'charts/edge/values.yaml': 'image:\n  repository: ghcr.io/acme/edge\n',
    'charts/edge/templates/deployment.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
    'k8s/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: edge\nspec:\n  ports:\n    - port: 80\n',
  },
  java: {
    'pom.xml':
      '<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>billing</artifactId><version>1.0</version></project>\n',
    mvnw: '#!/bin/sh\necho maven wrapper\n',
    'src/main/java/com/acme/Billing.java':
      'package com.acme;\n\npublic class Billing {\n  public static void main(String[] args) {}\n}\n',
    'src/test/java/com/acme/BillingTest.java': 'package com.acme;\nclass BillingTest {}\n',
  },
  empty: {},
};
