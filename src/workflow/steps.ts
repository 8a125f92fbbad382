import { WorkflowStep } from './model';
import { PINS } from './pins';
import { STEP_IDS } from './step-ids';
import { BUILD_ARGS, labelOfFact } from '../model/labels';
import { ResolvedModel } from '../model/resolved';
import { HIGHEST_STEP, highestVersionScript } from '../tags/highest-version';
import { MetadataTagInputs } from '../tags/metadata-inputs';

/** Checks out the repository without leaving the token in `.git/config`. */
export function checkoutStep(): WorkflowStep {
  return { name: 'Checkout', uses: PINS.checkout, with: { 'persist-credentials': false } };
}

/** QEMU for the platforms the runner cannot execute natively; undefined when none is needed. */
export function qemuStep(model: ResolvedModel): WorkflowStep | undefined {
  const foreign = model.platforms.filter((p) => p !== 'linux/amd64');
  if (foreign.length === 0) return undefined;
  return { name: 'Set up QEMU', uses: PINS.setupQemu, with: { platforms: foreign.join(',') } };
}

/** Docker Buildx. */
export function buildxStep(): WorkflowStep {
  return { name: 'Set up Docker Buildx', uses: PINS.setupBuildx };
}

/** Logs in to the registry with the workflow's own token. */
export function loginStep(model: ResolvedModel): WorkflowStep {
  return {
    name: `Log in to ${model.registry}`,
    uses: PINS.login,
    with: {
      registry: model.registry,
      username: '${{ github.actor }}',
      password: '${{ secrets.GITHUB_TOKEN }}',
    },
  };
}

/** Reads the tag that projen's release job wrote into its build artifact. */
export function releaseTagSteps(artifactIdExpression: string): WorkflowStep[] {
  return [
    {
      name: 'Download the release artifact',
      uses: PINS.downloadArtifact,
      with: { 'artifact-ids': `\${{ ${artifactIdExpression} }}`, 'path': '${{ runner.temp }}/release-artifact' },
    },
    {
      name: 'Read the release tag',
      id: STEP_IDS.releaseTag,
      env: { RELEASE_TAG_FILE: '${{ runner.temp }}/release-artifact/releasetag.txt' },
      run: 'echo "tag=$(cat "${RELEASE_TAG_FILE}")" >> "${GITHUB_OUTPUT}"',
    },
  ];
}

/**
 * Strips the tag prefix (`operator-v1.2.3` -> `1.2.3`) so that metadata-action's semver rules
 * read the version. The prefix comes in through the environment, never inside the script.
 * @param tagExpression expression (without braces) of the release's tag
 */
export function releaseVersionStep(prefix: string, tagExpression: string): WorkflowStep {
  return {
    name: 'Read the version from the release tag',
    id: STEP_IDS.releaseVersion,
    env: { TAG: `\${{ ${tagExpression} }}`, PREFIX: prefix },
    shell: 'bash',
    run: [
      'set -euo pipefail',
      'case "${TAG}" in "${PREFIX}"*) ;; *) echo "::error::release tag ${TAG} does not start with ${PREFIX}"; exit 1 ;; esac',
      'echo "version=${TAG#"${PREFIX}"}" >> "${GITHUB_OUTPUT}"',
    ].join('\n'),
  };
}

/**
 * Decides whether this release is the highest stable version (for `LatestPolicy.HIGHEST_VERSION`),
 * from the repository's tags with the same prefix, through the GitHub API.
 * @param tagExpression expression (without braces) of the release's tag
 * @param prefix the release tag prefix, or empty
 */
export function highestVersionStep(tagExpression: string, prefix: string): WorkflowStep {
  return {
    name: 'Is this the highest version?',
    id: HIGHEST_STEP.id,
    env: { TAG: `\${{ ${tagExpression} }}`, PREFIX: prefix, GH_TOKEN: '${{ github.token }}' },
    shell: 'bash',
    run: highestVersionScript(),
  };
}

/** docker/metadata-action: tags, labels and index annotations from the model. */
export function metadataStep(model: ResolvedModel, tagInputs: MetadataTagInputs): WorkflowStep {
  const labelLines = model.labels.map(([k, v]) => `${k}=${v}`);
  return {
    name: 'Compute tags, labels and annotations',
    id: STEP_IDS.meta,
    uses: PINS.metadata,
    env: { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' },
    with: {
      images: model.image,
      tags: lines(tagInputs.tags),
      flavor: lines(tagInputs.flavor),
      labels: lines(labelLines),
      annotations: lines(labelLines),
    },
  };
}

/** The value of a metadata-action label, as a workflow expression. */
function metaLabelExpression(label: string): string {
  return `\${{ fromJSON(steps.${STEP_IDS.meta}.outputs.json).labels['${label}'] }}`;
}

/**
 * Builds every platform and pushes the image index by digest only: no tag exists until the scan
 * has passed.
 */
export function buildPushStep(model: ResolvedModel): WorkflowStep {
  const w: Record<string, string | boolean> = {
    'context': model.context,
    'file': model.dockerfile,
    'platforms': model.platforms.join(','),
    'labels': `\${{ steps.${STEP_IDS.meta}.outputs.labels }}`,
    'annotations': `\${{ steps.${STEP_IDS.meta}.outputs.annotations }}`,
    'build-args': lines([
      ...BUILD_ARGS.map((a) => `${a.arg}=${metaLabelExpression(a.label)}`),
      ...model.buildArgs.map((a) => `${a.name}=${a.fact ? metaLabelExpression(labelOfFact(a.fact)) : a.literal}`),
    ]),
    'outputs': `type=image,name=${model.image},push-by-digest=true,name-canonical=true,push=true`,
    // Attestation manifests show up as unknown/unknown platforms on GHCR (build-push-action#820).
    'provenance': false,
    'sbom': false,
  };
  if (model.cache.cacheFrom) w['cache-from'] = model.cache.cacheFrom;
  if (model.cache.cacheTo) w['cache-to'] = model.cache.cacheTo;
  return { name: 'Build and push by digest', id: STEP_IDS.build, uses: PINS.buildPush, with: w };
}

/** Environment for Trivy: which platform of the index to scan, and registry credentials. */
function trivyEnv(): Record<string, string> {
  return {
    TRIVY_PLATFORM: '${{ matrix.platform }}',
    TRIVY_USERNAME: '${{ github.actor }}',
    TRIVY_PASSWORD: '${{ secrets.GITHUB_TOKEN }}',
  };
}

/** The SARIF file the report step writes. */
const SARIF_FILE = 'trivy-results.sarif';

/**
 * The scan steps for one platform: a SARIF report uploaded to code scanning (optional), then a
 * gate that fails on the configured severities. trivy-action's exit-code defaults to 0, so the
 * gate sets it explicitly.
 */
export function scanSteps(model: ResolvedModel, digestExpression: string): WorkflowStep[] {
  const imageRef = `${model.image}@\${{ ${digestExpression} }}`;
  const common = {
    'image-ref': imageRef,
    'ignore-unfixed': model.scan.ignoreUnfixed,
    'version': model.scan.trivyVersion,
    'cache': false,
  };
  const steps: WorkflowStep[] = [];
  if (model.scan.sarifUpload) {
    steps.push({
      name: 'Scan (SARIF report)',
      uses: PINS.trivy,
      env: trivyEnv(),
      with: {
        ...common,
        'format': 'sarif',
        'output': SARIF_FILE,
        'severity': model.scan.severities.join(','),
        'limit-severities-for-sarif': true,
        'exit-code': 0,
      },
    });
    steps.push({
      name: 'Upload the report to code scanning',
      if: `always() && hashFiles('${SARIF_FILE}') != ''`,
      uses: PINS.uploadSarif,
      with: { sarif_file: SARIF_FILE, category: 'trivy-${{ matrix.platform }}' },
    });
  }
  if (model.scan.gateSeverities.length > 0) {
    steps.push({
      name: `Fail on ${model.scan.gateSeverities.join(', ')} vulnerabilities`,
      uses: PINS.trivy,
      env: trivyEnv(),
      with: {
        ...common,
        'format': 'table',
        'severity': model.scan.gateSeverities.join(','),
        'exit-code': 1,
      },
    });
  } else if (!model.scan.sarifUpload) {
    steps.push({
      name: 'Scan (report only)',
      uses: PINS.trivy,
      env: trivyEnv(),
      with: { ...common, 'format': 'table', 'severity': model.scan.severities.join(','), 'exit-code': 0 },
    });
  }
  return steps;
}

/** Environment shared by the publish steps: values passed in, never expanded inside `run:`. */
function publishEnv(model: ResolvedModel, needsBuild: string): Record<string, string> {
  return {
    IMAGE: model.image,
    DIGEST: `\${{ needs.${needsBuild}.outputs.digest }}`,
    TAGS: `\${{ needs.${needsBuild}.outputs.tags }}`,
    VERSION: `\${{ needs.${needsBuild}.outputs.version }}`,
  };
}

/** Creates every tag on the scanned index (a registry-side copy; the digest does not change). */
export function createTagsStep(model: ResolvedModel, needsBuild: string): WorkflowStep {
  return {
    name: 'Create the tags on the scanned digest',
    env: publishEnv(model, needsBuild),
    shell: 'bash',
    run: [
      'set -euo pipefail',
      'args=()',
      'while IFS= read -r tag; do',
      '  if [ -n "${tag}" ]; then args+=(--tag "${tag}"); fi',
      'done <<< "${TAGS}"',
      'if [ "${#args[@]}" -eq 0 ]; then echo "::error::metadata-action produced no tags for this ref"; exit 1; fi',
      'docker buildx imagetools create "${args[@]}" "${IMAGE}@${DIGEST}"',
      'docker buildx imagetools inspect "${IMAGE}@${DIGEST}"',
    ].join('\n'),
  };
}

/** A JavaScript package manager, as the verify job installs the repository's lockfile with it. */
export type PackageManager = 'npm' | 'yarn' | 'yarn-berry' | 'pnpm' | 'bun';

/**
 * Where the verify job gets the CLI: the `image-release` bin of the repository's own lockfile
 * (the version and integrity the repository reviewed), or, for this package releasing itself, the
 * checked-out source.
 */
export type CliSource =
  | { readonly kind: 'lockfile'; readonly packageManager: PackageManager }
  | { readonly kind: 'checkout' };

/** The install step of each package manager: the lockfile as it is, no install scripts. */
const INSTALL: Record<PackageManager, string> = {
  'npm': 'npm ci --ignore-scripts --no-audit --no-fund',
  'yarn': 'yarn install --frozen-lockfile --ignore-scripts',
  'yarn-berry': 'corepack enable && yarn install --immutable --mode=skip-build',
  // corepack takes pnpm in the version (and hash) package.json's packageManager names.
  'pnpm': 'corepack enable && pnpm install --frozen-lockfile --ignore-scripts',
  'bun': 'bun install --frozen-lockfile --ignore-scripts',
};

/** The command that runs the CLI once its source is installed. */
function cliCommand(source: CliSource): string {
  return source.kind === 'checkout' ? 'node -r ts-node/register/transpile-only src/cli/main.ts' : 'node_modules/.bin/image-release';
}

/** The steps that install the CLI from the repository's lockfile (no token in their environment). */
function installCliSteps(source: CliSource): WorkflowStep[] {
  const steps: WorkflowStep[] = [
    { name: 'Set up Node.js', uses: PINS.setupNode, with: { 'node-version': '22', 'package-manager-cache': false } },
  ];
  if (source.kind === 'lockfile' && source.packageManager === 'bun') steps.push({ name: 'Set up Bun', uses: PINS.setupBun });
  const install = source.kind === 'lockfile' ? INSTALL[source.packageManager] : INSTALL.npm;
  steps.push({ name: 'Install the locked image-release CLI', shell: 'bash', run: install });
  return steps;
}

/**
 * Runs `image-release verify` on the published release with the CLI the repository locked, and
 * writes its table into the job summary (also when a check fails). Only the verify step sees the
 * token, which the job grants read access to packages alone.
 * @param tagExpression expression (without braces) of the release's tag
 */
export function verifySteps(source: CliSource, tagExpression: string): WorkflowStep[] {
  return [
    checkoutStep(),
    ...installCliSteps(source),
    {
      name: 'Verify the release in the registry',
      env: {
        TAG: `\${{ ${tagExpression} }}`,
        SHA: '${{ github.sha }}',
        GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
      },
      shell: 'bash',
      run: [
        'set -euo pipefail',
        'status=0',
        `${cliCommand(source)} verify "\${TAG}" --sha "\${SHA}" > verify.txt || status=$?`,
        'cat verify.txt',
        '{',
        '  echo "## Verification of ${TAG}"',
        '  echo ""',
        '  echo \'```\'',
        '  cat verify.txt',
        '  echo \'```\'',
        '} >> "${GITHUB_STEP_SUMMARY}"',
        'exit "${status}"',
      ].join('\n'),
    },
  ];
}

/** The job summary: tags, digest and the pull command. */
export function summaryStep(model: ResolvedModel, needsBuild: string): WorkflowStep {
  return {
    name: 'Write the job summary',
    env: publishEnv(model, needsBuild),
    shell: 'bash',
    run: [
      'set -euo pipefail',
      '{',
      '  echo "## Published ${IMAGE}"',
      '  echo ""',
      '  echo "| Tag |"',
      '  echo "| --- |"',
      '  while IFS= read -r tag; do',
      '    if [ -n "${tag}" ]; then echo "| \\`${tag}\\` |"; fi',
      '  done <<< "${TAGS}"',
      '  echo ""',
      '  echo "Digest: \\`${DIGEST}\\`"',
      '  echo ""',
      '  echo "Pull with:"',
      '  echo ""',
      '  echo "    docker pull ${IMAGE}:${VERSION}"',
      '} >> "${GITHUB_STEP_SUMMARY}"',
    ].join('\n'),
  };
}

function lines(values: readonly string[]): string {
  return values.map((v) => `${v}\n`).join('');
}
