import { appendFileSync } from 'node:fs';
import Module, { isBuiltin, register } from 'node:module';
import vm from 'node:vm';
import { pathToFileURL } from 'node:url';

// ES modules: a resolve hook (trace-hooks.mjs) records each one.
register('./trace-hooks.mjs', import.meta.url);

// CommonJS modules loaded with require (ast-grep's binding is one) never reach that hook: record them here, in the
// same form (file URLs, node: for built-ins).
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const file = resolve.call(this, request, ...rest);
  if (process.env.TRACE_FILE)
    appendFileSync(
      process.env.TRACE_FILE,
      `${isBuiltin(file) ? `node:${file.replace(/^node:/, '')}` : pathToFileURL(file).href}\n`,
    );
  return file;
};

// Scripts compiled through node:vm (the hook bundle, which bin/hook.cjs compiles with its code cache) are modules
// too for this record: their file name, as a file URL.
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(code, options) {
    super(code, options);
    const filename = typeof options === 'string' ? options : options?.filename;
    if (process.env.TRACE_FILE && filename) appendFileSync(process.env.TRACE_FILE, `${pathToFileURL(filename).href}\n`);
  }
};
