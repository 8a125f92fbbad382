import * as fs from 'fs';
import { FileBase, IResolver, Project } from 'projen';
import { spliceBlock } from '../dockerfile/block';

/**
 * The user's Dockerfile with the managed label block spliced in. Not read-only and without
 * projen's marker: the file is the user's, projen never deletes it, and only the lines between the
 * block's markers are ours. The new content is computed in {@link prepare} (called before any
 * file is written), so a broken Dockerfile stops synthesis with nothing written.
 */
export class DockerfileFile extends FileBase {
  private content?: string;

  constructor(project: Project, filePath: string, private readonly block: readonly string[]) {
    super(project, filePath, { readonly: false, marker: false, editGitignore: false });
    project.gitattributes.removeAttributes(`/${this.path}`, 'linguist-generated');
  }

  /** Reads the Dockerfile and splices the block; throws naming the file when it cannot. */
  public prepare(): void {
    let current: string;
    try {
      current = fs.readFileSync(this.absolutePath, 'utf-8');
    } catch (e: any) {
      if (e.code === 'ENOENT') {
        throw new Error(`${this.path}: not found; ImageRelease needs a hand-written Dockerfile (set the "dockerfile" option if it lives elsewhere)`);
      }
      throw new Error(`${this.path}: cannot be read: ${e.message}`);
    }
    this.content = spliceBlock(this.path, current, this.block);
  }

  public preSynthesize(): void {
    this.prepare();
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    if (this.content === undefined) this.prepare();
    return this.content;
  }
}
