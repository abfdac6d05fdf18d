// @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }`, which Node 20 refuses when
// the package is loaded natively (vitest does not transform node_modules). This load hook supplies the attribute.
export async function load(url, context, nextLoad) {
  if (url.endsWith('.json') && context.importAttributes?.type !== 'json') {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return nextLoad(url, context);
}
