import * as fs from 'fs';
import * as path from 'path';
import { javascript, SampleFile, typescript } from 'projen';
import { nodeOperatorChart } from './chart-sample';
import { assertNoDroppedListValues } from './command-line';
import { creationArgs, imageReleaseOptionsOf } from './creation-options';
import { DEFAULT_PORT, nodeOperatorDockerfile, nodeOperatorSamples, operatorReadme } from './node-operator-samples';
import { gitBranch, packageOfProjectType, withCreationFacts } from './repository-facts';
import { tarballSpec } from './tarball-spec';
import { addTemplateUpgrade } from './template-upgrade';
import { ImageRelease } from '../image-release';
import { ImageReleaseOptions, ReleaseTrigger } from '../options';

/** The TypeScript versions ts-node and ts-jest can run (TypeScript 7 has no JavaScript API yet). */
const TYPESCRIPT_RANGE = 'typescript@~6.0';

/**
 * Options of {@link NodeOperatorProject}.
 */
export interface NodeOperatorProjectOptions extends typescript.TypeScriptProjectOptions {
  /**
   * The image to publish, without tag (`--image` on `projen new`, which otherwise writes the
   * image of the git remote `origin` here).
   * @default - ghcr.io/<owner>/<repo> of `repository`
   * @featured
   */
  readonly image?: string;

  /**
   * Platforms the image is built for, as Buildx `--platform` values (`--platforms linux/amd64 --platforms linux/arm64`: projen new keeps only the first of space-separated values).
   * @default ["linux/amd64", "linux/arm64"]
   */
  readonly platforms?: string[];

  /**
   * The rest of the image release model: every option of `new ImageRelease(project, {...})`.
   * The trigger follows `release`: projen's release workflow when it is on, a tag push otherwise.
   * @default - ImageRelease's defaults
   */
  readonly imageRelease?: ImageReleaseOptions;

  /**
   * Start the repository with a Helm chart in `charts/<image name>` (written once, when the
   * directory does not exist): a Deployment whose probes hit `/healthz` and `/readyz`, and a
   * Service. The release then publishes it with the image under one version (`imageRelease.chart`).
   * @default false
   */
  readonly chart?: boolean;

  /**
   * The npm package this project type comes from, upgraded to its newest version (new majors
   * included) by the `upgrade-template` task and workflow. An org preset's package is found by itself.
   * @default - the package of the project type's class
   */
  readonly templatePackage?: string;
}

/**
 * A Node.js/TypeScript Kubernetes operator repository whose container image is released by
 * {@link ImageRelease}: on `projen new` it writes a small long-running service with health and
 * readiness endpoints and graceful shutdown, its tests, a multi-stage Dockerfile and a README
 * (once, never overwritten); on every `npx projen` it manages the release pipeline,
 * `.github/dependabot.yml` and the Dockerfile's label block.
 *
 * @pjid node-operator
 */
export class NodeOperatorProject extends typescript.TypeScriptProject {
  /** The image release of this repository. */
  public readonly imageRelease: ImageRelease;

  constructor(options: NodeOperatorProjectOptions) {
    const creating = creationArgs(options) !== undefined;
    // Only `projen new` reads the git remote; what it finds, and a description, goes into .projenrc.ts.
    options = withCreationFacts(options, {
      dir: options.outdir ?? process.cwd(), withRepository: true, readme: false, fallbackDescription: `The ${options.name} Kubernetes operator`,
    });
    const release = options.release ?? true;
    const template = options.templatePackage ?? packageOfProjectType(new.target);
    const imageOptions = imageReleaseOptionsOf(
      { image: options.image, platforms: options.platforms, imageRelease: options.imageRelease },
      options.repository,
    );
    super({
      sampleCode: false,
      packageManager: javascript.NodePackageManager.NPM,
      projenrcTs: true,
      // ImageRelease writes .github/dependabot.yml, for docker and the pinned actions (projen's upgrade workflow keeps npm fresh).
      dependabot: false,
      ...options,
      devDeps: options.devDeps?.map((d) => tarballSpec(d, template)),
      release,
      // The template package gets its own upgrade, to its newest major (see addTemplateUpgrade).
      depsUpgradeOptions: { ...options.depsUpgradeOptions, exclude: [...(options.depsUpgradeOptions?.exclude ?? []), template] },
      readme: options.readme ?? {
        contents: operatorReadme({ name: options.name, image: imageOptions.image ?? options.name, projenRelease: release, tagPrefix: undefined }),
      },
    });

    assertNoDroppedListValues(this);
    if (creating && release) this.warnOfOtherBranch(options.defaultReleaseBranch ?? 'main');
    // TypeScript 7 (the native compiler) has no JavaScript API yet, which ts-node and ts-jest need.
    if (options.typescriptVersion === undefined) this.addDevDeps(TYPESCRIPT_RANGE);
    // The sample test runs the service's entry point with ts-node, whatever runs .projenrc.
    this.addDevDeps('ts-node');
    this.addTask('start', { description: 'Run the compiled service', exec: 'node lib/main.js' });
    for (const [file, contents] of Object.entries(nodeOperatorSamples({}))) {
      new SampleFile(this, file, { contents });
    }

    // The chart model checks that the chart exists, so its sample is written before the model is resolved.
    const chart = options.chart === true ? { ...imageOptions.chart } : imageOptions.chart;
    if (options.chart === true) writeChartSample(this.outdir, chart?.directory ?? `charts/${chartName(imageOptions.image ?? options.name)}`);
    this.imageRelease = new ImageRelease(this, {
      ...imageOptions,
      ...(chart !== undefined ? { chart } : {}),
      trigger: imageOptions.trigger ?? (release ? ReleaseTrigger.PROJEN_RELEASE : ReleaseTrigger.TAG_PUSH),
    });
    this.imageRelease._useSampleDockerfile(nodeOperatorDockerfile());

    addTemplateUpgrade(this, template);
  }

  /**
   * Warns when `projen new` runs in a repository on another branch than the release branch (a
   * `git init` without `-b main` gives `master`): projen's release workflow would never run.
   */
  private warnOfOtherBranch(releaseBranch: string): void {
    const branch = gitBranch(this.outdir);
    if (branch === undefined || branch === releaseBranch) return;
    this.logger.warn(`NodeOperatorProject: the repository is on branch "${branch}", but releases run on pushes to "${releaseBranch}" (defaultReleaseBranch); `
      + `rename the branch (git branch -m ${branch} ${releaseBranch}) or create the repository with --default-release-branch ${branch}`);
  }
}

/** The chart's name: the last path segment of the image, as the chart model's default directory. */
function chartName(image: string): string {
  return image.toLowerCase().split('/').pop()!;
}

/** Writes the sample chart into `dir` (relative to the project) when the directory does not exist. */
function writeChartSample(outdir: string, dir: string): void {
  const root = path.join(outdir, dir);
  if (fs.existsSync(root)) return;
  for (const [file, content] of Object.entries(nodeOperatorChart({ name: path.posix.basename(dir), port: DEFAULT_PORT }))) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
}
