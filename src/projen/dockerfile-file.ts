import * as fs from 'fs';
import { FileBase, IResolver, Project } from 'projen';
import { DockerfileError, spliceBlock } from '../dockerfile/block';

/**
 * The user's Dockerfile with the managed label block spliced in. Not read-only and without
 * projen's marker: the file is the user's, projen never deletes it, and only the lines between the
 * block's markers are ours. The new content is computed in {@link prepare} (called before any
 * file is written), so a broken Dockerfile stops synthesis with nothing written.
 */
export class DockerfileFile extends FileBase {
  private content?: string;
  private original?: string;
  /** Written (with the block) when the file does not exist, as a projen sample file is. */
  private sample?: string;

  constructor(project: Project, filePath: string, private readonly block: readonly string[]) {
    super(project, filePath, { readonly: false, marker: false, editGitignore: false });
    project.gitattributes.removeAttributes(`/${this.path}`, 'linguist-generated');
  }

  /** Content to start the file from when it does not exist; an existing file is never replaced. */
  public useSampleWhenMissing(content: string): void {
    this.sample = content;
    this.content = undefined;
    this.original = undefined;
  }

  /** Reads the Dockerfile and splices the block; throws naming the file when it cannot. */
  public prepare(): void {
    let current: string;
    try {
      current = fs.readFileSync(this.absolutePath, 'utf-8');
    } catch (e: any) {
      if (e.code !== 'ENOENT') throw new DockerfileError(this.path, `cannot be read: ${e.message}`);
      if (this.sample === undefined) {
        throw new DockerfileError(this.path, 'not found; ImageRelease needs a hand-written Dockerfile (set the "dockerfile" option if it lives elsewhere)');
      }
      current = this.sample;
    }
    this.original = current;
    this.content = spliceBlock(this.path, current, this.block);
  }

  /** The names of every `ARG` the user's Dockerfile declares, in any stage (read on first use). */
  public declaredArgs(): Set<string> {
    if (this.original === undefined) this.prepare();
    return new Set([...this.original!.matchAll(/^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)/gim)].map((m) => m[1]));
  }

  public preSynthesize(): void {
    this.prepare();
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    if (this.content === undefined) this.prepare();
    return this.content;
  }
}
