import { Project, ProjectOptions, typescript } from 'projen';
import { assertNoDroppedListValues } from './command-line';
import { imageReleaseOptionsOf } from './creation-options';
import { minimalDockerfile } from './node-operator-samples';
import { ProjenrcTools } from './projenrc-tools';
import { detectEcosystems, hasOwnDependabot, packageOfProjectType, withCreationFacts } from './repository-facts';
import { addTemplateUpgrade } from './template-upgrade';
import { DEPENDABOT_PATH } from '../dependabot/dependabot';
import { ImageRelease } from '../image-release';
import { ImageReleaseOptions, ReleaseTrigger } from '../options';
import { UserBlockFile } from '../projen/user-block-file';

/** What ts-node needs to run `.projenrc.ts` (as CommonJS, on Node 20 and later). */
const PROJENRC_COMPILER_OPTIONS = { target: 'ES2022', module: 'CommonJS', esModuleInterop: true, skipLibCheck: true };

/**
 * Options of {@link ContainerImageProject}.
 */
export interface ContainerImageProjectOptions extends ProjectOptions {
  /**
   * The image to publish, without tag (`--image` on `projen new`, which otherwise writes the
   * image of the git remote `origin` here).
   * @default - none: required unless `imageRelease.image` is set
   * @featured
   */
  readonly image?: string;

  /**
   * Platforms the image is built for, as Buildx `--platform` values (`--platforms linux/amd64 --platforms linux/arm64`: projen new keeps only the first of space-separated values).
   * @default ["linux/amd64", "linux/arm64"]
   */
  readonly platforms?: string[];

  /**
   * The image's description (its `org.opencontainers.image.description` label and index
   * annotation, which GHCR shows). `projen new` writes the first paragraph line of the README here.
   * @default - `imageRelease.labels.description`
   * @featured
   */
  readonly description?: string;

  /**
   * What starts a release (`--trigger tag-push` or `--trigger release-published`).
   * @default ReleaseTrigger.TAG_PUSH
   */
  readonly trigger?: ReleaseTrigger;

  /**
   * The rest of the image release model: every option of `new ImageRelease(project, {...})`.
   * `dependabot.ecosystems` defaults to the ecosystems of the repository's manifest files
   * (go.mod, package.json, pyproject.toml or requirements*.txt, Cargo.toml), plus docker and
   * github-actions.
   * @default - ImageRelease's defaults
   */
  readonly imageRelease?: ImageReleaseOptions;

  /**
   * The npm package this project type comes from, upgraded to its newest version (new majors
   * included) by the `upgrade-template` task.
   * @default - the package of the project type's class
   */
  readonly templatePackage?: string;
}

/**
 * The release pipeline of a container image, for a repository in any language (a Go operator
 * scaffolded by kubebuilder, a Python service): run in an existing repository, it adopts its
 * Dockerfile and `.gitignore` (kept byte for byte, with a managed block added to each) and touches
 * nothing else of the user's; with no Dockerfile it writes a minimal one to replace. It manages the release
 * workflow, `.github/dependabot.yml` (for the repository's own ecosystem too) and the label
 * block, from `.projenrc.ts`.
 *
 * @pjid container-image
 */
export class ContainerImageProject extends Project {
  /** The image release of this repository. */
  public readonly imageRelease: ImageRelease;

  constructor(options: ContainerImageProjectOptions) {
    const outdir = options.outdir ?? process.cwd();
    // Only `projen new` reads the git remote and the README; the image and description go into .projenrc.ts.
    options = withCreationFacts(options, { dir: outdir, withRepository: false, readme: true, fallbackDescription: `The ${options.name} container image` });
    const imageOptions = imageReleaseOptionsOf(
      {
        image: options.image,
        platforms: options.platforms,
        trigger: options.trigger,
        triggerKeyGiven: 'trigger' in options,
        description: options.description,
        imageRelease: options.imageRelease,
      },
      undefined,
    );
    super(options);
    assertNoDroppedListValues(this);

    const projenrc = new typescript.ProjenrcTs(this, { runner: typescript.TypeScriptRunner.tsNode({ typeCheck: false, tsconfig: 'tsconfig.projen.json' }) });
    // projen writes no compiler options here, and TypeScript 6 rejects the default target, ES5, as
    // deprecated (error TS5107): without these, ts-node cannot run .projenrc.ts.
    projenrc.tsconfig.file.addOverride('compilerOptions', PROJENRC_COMPILER_OPTIONS);
    new ProjenrcTools(this);
    // The repository's own .gitignore and .gitattributes stay; projen's lines go into a block of their own.
    UserBlockFile.takeOverGitignore(this);
    UserBlockFile.takeOverGitattributes(this);
    this.gitignore.exclude('node_modules/');

    const template = options.templatePackage ?? packageOfProjectType(new.target);
    this.imageRelease = new ImageRelease(this, {
      ...imageOptions,
      trigger: imageOptions.trigger ?? ReleaseTrigger.TAG_PUSH,
      dependabot: this.dependabotOf(imageOptions, outdir, template),
    });
    this.imageRelease._useSampleDockerfile(minimalDockerfile());
    addTemplateUpgrade(this, template);
  }

  /**
   * Dependabot for the repository's own ecosystems; a `dependabot.yml` the repository already has
   * is its own, and is kept (and not managed) unless the model says otherwise.
   */
  private dependabotOf(o: ImageReleaseOptions, outdir: string, template: string): ImageReleaseOptions['dependabot'] {
    if (o.dependabot?.enabled === false) return o.dependabot;
    if (o.dependabot === undefined && hasOwnDependabot(outdir)) {
      this.logger.warn(`ContainerImageProject: ${DEPENDABOT_PATH} is the repository's own, so it is kept and not managed; `
        + 'delete it (its settings can go into imageRelease.dependabot) to have it written from the model');
      return { enabled: false };
    }
    return { ...o.dependabot, ecosystems: o.dependabot?.ecosystems ?? detectEcosystems(outdir, template) };
  }
}
