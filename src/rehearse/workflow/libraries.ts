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
 * Loads `@actions/expressions` and `@actions/workflow-parser`, which ship ECMAScript modules only
 * (hence an import(), not a require()).
 */
export function actionsLibraries(): Promise<ActionsLibraries> {
  loaded ??= (async () => ({ expressions: await import('@actions/expressions'), parser: await import('@actions/workflow-parser') }))();
  return loaded;
}
