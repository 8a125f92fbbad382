import * as fs from 'fs';
import * as path from 'path';
import { WorkflowResult } from '../../../src/rehearse/workflow/result';
import { rehearseWorkflow, RehearseWorkflowOptions } from '../../../src/rehearse/workflow/scheduler';
import { tempDir } from '../../util';

/** Rehearses a workflow's text in a fresh workspace, pushed as tag v1.2.3 of acme/demo. */
export function rehearse(text: string, extra: Partial<RehearseWorkflowOptions> = {}): Promise<WorkflowResult> {
  const workspace = extra.workspace ?? tempDir();
  const file = path.join(workspace, '.github/workflows/test.yml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return rehearseWorkflow({
    file,
    workspace,
    tempDir: tempDir(),
    github: { repository: 'acme/demo', ref: 'refs/tags/v1.2.3', sha: 'a'.repeat(40) },
    ...extra,
  });
}

/** A workflow on push with these jobs (YAML, indented under `jobs:`). */
export function workflow(jobs: string): string {
  return `on: push\njobs:\n${jobs.replace(/^\n/, '')}`;
}
