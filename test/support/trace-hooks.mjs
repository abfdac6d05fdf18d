// Module resolve hook for tests: records every specifier the process resolves (one per line) in $TRACE_FILE.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.TRACE_FILE) appendFileSync(process.env.TRACE_FILE, `${result.url}\n`);
  return result;
}
