/**
 * Small repositories whose generated CI jobs can really run here (npm registry and Debian packages only), each with
 * a trait seen in real projects: express (no lockfile, package-lock=false), requests (editable requirements),
 * a pyproject-only library, a Go service, infrastructure code with no application language.
 */
export type Sample = 'node-locked' | 'node-no-lockfile' | 'python-pyproject' | 'python-editable-requirements' | 'go-service' | 'infra';

const json = (o: object) => JSON.stringify(o, null, 2) + '\n';

export const SAMPLES: Record<Sample, Record<string, string>> = {
  'node-locked': {
    'package.json': json({
      name: 'shop',
      version: '1.0.0',
      private: true,
      scripts: { start: 'node src/index.js', lint: 'node --check src/index.js', test: 'node --test' },
    }),
    'src/index.js': "const http = require('node:http');\nmodule.exports = http.createServer((req, res) => res.end('ok'));\n",
    'test/index.test.js': "const test = require('node:test');\nconst assert = require('node:assert');\ntest('exports a server', () => assert.ok(require('../src/index.js')));\n",
  },
  'node-no-lockfile': {
    '.npmrc': 'package-lock=false\nignore-scripts=true\n',
    'package.json': json({ name: 'framework', version: '5.0.0', main: 'index.js', scripts: { lint: 'node --check index.js', test: 'node --test' } }),
    'index.js': 'module.exports = function app() { return 42; };\n',
    'test/app.test.js': "const test = require('node:test');\nconst assert = require('node:assert');\ntest('app', () => assert.strictEqual(require('..')(), 42));\n",
  },
  'python-pyproject': {
    'pyproject.toml':
      '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "ledger"\nversion = "0.1.0"\n\n[project.optional-dependencies]\ntest = ["pytest"]\n\n[project.scripts]\nledger = "ledger.cli:main"\n',
    'src/ledger/__init__.py': '',
    'src/ledger/cli.py': 'def main():\n    print("ok")\n',
    'tests/test_cli.py': 'from ledger.cli import main\n\n\ndef test_main(capsys):\n    main()\n    assert capsys.readouterr().out == "ok\\n"\n',
  },
  'python-editable-requirements': {
    'pyproject.toml': '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "httpkit"\nversion = "2.0.0"\n',
    'requirements-dev.txt': '-e .\npytest>=2.8.0\n',
    'src/httpkit/__init__.py': 'def get(url):\n    return url\n',
    'tests/test_get.py': 'import httpkit\n\n\ndef test_get():\n    assert httpkit.get("x") == "x"\n',
  },
  'go-service': {
    'go.mod': 'module example.com/edge\n\ngo 1.19\n',
    'main.go':
      'package main\n\nimport (\n\t"log"\n\t"net/http"\n)\n\nfunc handler(w http.ResponseWriter, r *http.Request) {\n\t_, _ = w.Write([]byte("ok"))\n}\n\nfunc main() {\n\thttp.HandleFunc("/", handler)\n\tlog.Fatal(http.ListenAndServe(":8080", nil))\n}\n',
    'main_test.go':
      'package main\n\nimport (\n\t"net/http/httptest"\n\t"testing"\n)\n\nfunc TestHandler(t *testing.T) {\n\trec := httptest.NewRecorder()\n\thandler(rec, httptest.NewRequest("GET", "/", nil))\n\tif rec.Body.String() != "ok" {\n\t\tt.Fatal(rec.Body.String())\n\t}\n}\n',
  },
  infra: {
    'infra/main.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n',
    'k8s/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: edge\nspec:\n  ports:\n    - port: 80\n',
  },
};
