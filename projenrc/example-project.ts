import { Project, ProjenrcFile } from 'projen';

/** Points the "To modify, edit ..." line of an example's files at this repository's .projenrc.ts. */
class RootProjenrc extends ProjenrcFile {
  public readonly filePath = '../../.projenrc.ts';

  // The file is this repository's, not the example's: nothing to keep in the example's .gitignore.
  public preSynthesize(): void {}
}

/**
 * A repository of its own under examples/, synthesized by this repository's `npx projen`. Not a
 * projen sub-project: GitHub runs only the workflows at a repository's root, so ImageRelease
 * refuses sub-projects; an example stands for a whole repository.
 */
export function exampleProject(name: string, outdir: string): Project {
  const example = new Project({ name, outdir });
  new RootProjenrc(example);
  example.defaultTask?.reset('npx projen default', { cwd: '../..' });
  return example;
}
