import type { Job, Step, WorkflowTemplate } from '@actions/workflow-parser/model/workflow-template' with { 'resolution-mode': 'import' };
import type { MappingToken, TemplateToken } from '@actions/workflow-parser/templates/tokens/index' with { 'resolution-mode': 'import' };
import { ActionsLibraries } from './libraries';

/** A workflow file that GitHub's parser rejects: one line per error, naming the file and position. */
export class WorkflowParseError extends Error {
  constructor(public readonly errors: readonly string[]) {
    super(errors.join('\n'));
    this.name = 'WorkflowParseError';
  }
}

/** A step of a parsed workflow: GitHub's model of it, and the keys that model leaves out. */
export interface ParsedStep {
  /** The step as `convertWorkflowTemplate` gives it (`if` already holds a status function). */
  readonly model: Step;
  /** The step's own mapping in the file, for `shell`, `with`, `working-directory`, `timeout-minutes`. */
  readonly raw: MappingToken;
}

/** A job of a parsed workflow: GitHub's model of it, its steps, and its own mapping in the file. */
export interface ParsedJob {
  readonly id: string;
  readonly model: Job;
  readonly steps: readonly ParsedStep[];
  /** The job's mapping in the file, for `defaults`, `timeout-minutes`, `continue-on-error`. */
  readonly raw: MappingToken;
}

/** A workflow file parsed and checked by `@actions/workflow-parser`. */
export interface ParsedWorkflow {
  readonly file: string;
  readonly template: WorkflowTemplate;
  /** The workflow-level `env`, when there is one. */
  readonly env?: TemplateToken;
  /** The workflow-level `defaults.run`, when there is one. */
  readonly defaultsRun?: TemplateToken;
  readonly jobs: readonly ParsedJob[];
}

/**
 * Parses a workflow file's text with GitHub's parser. Throws a {@link WorkflowParseError} with one
 * line per error (`file:line:column: message`); jobs that call reusable workflows are errors too,
 * as the rehearsal runs jobs with steps only.
 */
export async function parseWorkflowText(libraries: ActionsLibraries, file: string, text: string): Promise<ParsedWorkflow> {
  const p = libraries.parser;
  const result = p.parseWorkflow({ name: file, content: text }, new p.NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => {
    const at = e.range ? `${e.range.start.line}:${e.range.start.column}` : '1:1';
    return `${file}:${at}: ${e.rawMessage}`;
  });
  if (errors.length > 0 || !result.value) throw new WorkflowParseError(errors.length > 0 ? errors : [`${file}:1:1: not a workflow`]);
  const template = await p.convertWorkflowTemplate(result.context, result.value);
  const conversion = (template.errors ?? []).map((e) => `${file}: ${e.Message}`);
  if (conversion.length > 0) throw new WorkflowParseError(conversion);
  const root = result.value.assertMapping('workflow');
  const rawJobs = root.find('jobs')!.assertMapping('jobs');
  const jobs = template.jobs.map((job): ParsedJob => {
    const id = job.id.value;
    if (job.type !== 'job') throw new WorkflowParseError([`${file}:${job.id.line ?? 1}:${job.id.col ?? 1}: job ${id} calls a reusable workflow, which the rehearsal does not run`]);
    const raw = rawJobs.find(id)!.assertMapping(`job ${id}`);
    const rawSteps = [...(raw.find('steps')?.assertSequence(`job ${id} steps`) ?? [])];
    return { id, model: job, raw, steps: job.steps.map((model, i) => ({ model, raw: rawSteps[i].assertMapping(`job ${id} step ${i + 1}`) })) };
  });
  const defaults = root.find('defaults');
  const defaultsRun = defaults && p.isMapping(defaults) ? defaults.find('run') : undefined;
  return { file, template, env: root.find('env'), defaultsRun, jobs };
}
