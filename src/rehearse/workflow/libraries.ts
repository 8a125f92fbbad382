import * as nodeModule from 'module';

/** The module `@actions/expressions`, GitHub's own expression language. */
export type ExpressionsModule = typeof import('@actions/expressions', { with: { 'resolution-mode': 'import' } });
/** The module `@actions/workflow-parser`, GitHub's own workflow parser. */
export type WorkflowParserModule = typeof import('@actions/workflow-parser', { with: { 'resolution-mode': 'import' } });

/** GitHub's workflow parser and expression language, loaded once. */
export interface ActionsLibraries {
  readonly expressions: ExpressionsModule;
  readonly parser: WorkflowParserModule;
}

let loaded: Promise<ActionsLibraries> | undefined;

/**
 * A module loader hook that imports the workflow parser's JSON schema as JSON: the parser imports it
 * without the `with { type: 'json' }` attribute Node requires (it is built for bundlers).
 */
const JSON_SCHEMA_HOOK = `export async function load(url, context, next) {
  if (url.endsWith('.json') && url.includes('/@actions/workflow-parser/')) {
    return next(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return next(url, context);
}`;

/**
 * Loads `@actions/expressions` and `@actions/workflow-parser`, which ship ECMAScript modules only
 * (hence an import(), not a require()), once.
 */
export function actionsLibraries(): Promise<ActionsLibraries> {
  loaded ??= (async () => {
    try {
      nodeModule.register(`data:text/javascript,${encodeURIComponent(JSON_SCHEMA_HOOK)}`);
    } catch {
      // No hooks where another loader runs the modules (Node before 20.6, a test runner's sandbox):
      // the import below then says whether that loader reads the schema.
    }
    return { expressions: await import('@actions/expressions'), parser: await import('@actions/workflow-parser') };
  })();
  return loaded;
}
