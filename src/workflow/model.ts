import { Grants } from './permissions';
import { ActionPin } from './pins';

/**
 * A plain description of a GitHub Actions workflow, close to the wire format but with action
 * pins as objects, so that each renderer decides how to write them (with a `# vX.Y.Z` comment in
 * our own file, as a bare SHA inside projen's release workflow).
 */

/** A permission level. */
export type PermissionLevel = 'read' | 'write';

/** A step: exactly one of `uses` or `run`. */
export interface WorkflowStep {
  readonly name: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: ActionPin;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly run?: string;
  readonly shell?: string;
  readonly continueOnError?: boolean;
}

/** A job output read from a step output. */
export interface StepOutputRef {
  readonly stepId: string;
  readonly outputName: string;
}

/** A job. Permission keys use the wire names (`security-events`); each grant carries its reason. */
export interface WorkflowJob {
  readonly name: string;
  readonly needs?: readonly string[];
  readonly if?: string;
  /** The `runs-on` labels. */
  readonly runsOn: readonly string[];
  readonly permissions: Grants;
  readonly timeoutMinutes?: number;
  /** Matrix values: a list, or an expression that yields one (`${{ fromJSON(...) }}`). */
  readonly strategy?: { readonly failFast: boolean; readonly matrix: Readonly<Record<string, readonly string[] | string>> };
  readonly outputs?: Readonly<Record<string, StepOutputRef>>;
  readonly steps: readonly WorkflowStep[];
}

/** A whole standalone workflow. */
export interface Workflow {
  readonly name: string;
  readonly on: Readonly<Record<string, unknown>>;
  readonly concurrency: { readonly group: string; readonly cancelInProgress: boolean };
  readonly permissions?: Readonly<Record<string, string>>;
  readonly jobs: Readonly<Record<string, WorkflowJob>>;
}
