import { WorkflowStep } from './model';
import { HELM_VERSION, PINS } from './pins';
import { STEP_IDS } from './step-ids';
import { BUILD_ARGS, CREATED_GIT_DATE_FORMAT, labelOfFact } from '../model/labels';
import { ResolvedChart, ResolvedLeg, ResolvedModel } from '../model/resolved';
import { BuildCacheType, BuildFact } from '../options';
import { HIGHEST_STEP, highestVersionScript } from '../tags/highest-version';
import { MetadataTagInputs } from '../tags/metadata-inputs';
import type { VerifyPart } from '../verify/run';

/** Checks out the repository without leaving the token in `.git/config`. */
export function checkoutStep(): WorkflowStep {
  return { name: 'Checkout', uses: PINS.checkout, with: { 'persist-credentials': false } };
}

/** QEMU for a leg whose runner cannot run its platform; undefined when the runner is native. */
export function qemuStep(leg: ResolvedLeg): WorkflowStep | undefined {
  if (!leg.emulated) return undefined;
  return { name: 'Set up QEMU', uses: PINS.setupQemu, with: { platforms: leg.platform } };
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
export function projenReleaseTagSteps(artifactIdExpression: string): WorkflowStep[] {
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
      run: 'tag="$(cat "${RELEASE_TAG_FILE}")"\necho "tag=${tag}" >> "${GITHUB_OUTPUT}"\necho "version=${tag}" >> "${GITHUB_OUTPUT}"',
    },
  ];
}

/**
 * Reads the release tag in a standalone workflow: the pushed tag, the published release's, or the
 * tag a republish runs from (`workflow_dispatch` with the tag as the ref, so that the checkout,
 * the revision label and verify all see the tag's commit). It must be the prefix and a version
 * (`operator-v1.2.3`, `v1.2.3-rc.1`), checked before anything uses it; outputs `tag` and `version`
 * (the tag without the prefix). Values come in through the environment, never inside the script.
 */
export function standaloneReleaseTagStep(prefix: string): WorkflowStep {
  return {
    name: 'Read and check the release tag',
    id: STEP_IDS.releaseTag,
    env: { TAG: '${{ github.ref_name }}', REF_TYPE: '${{ github.ref_type }}', PREFIX: prefix },
    shell: 'bash',
    run: [
      'set -euo pipefail',
      'if [ "${REF_TYPE}" != "tag" ]; then echo "::error::run this workflow from a release tag (Use workflow from: the tag), not from ${REF_TYPE} ${TAG}"; exit 1; fi',
      'case "${TAG}" in "${PREFIX}"*) ;; *) echo "::error::release tag ${TAG} does not start with ${PREFIX}"; exit 1 ;; esac',
      'version="${TAG#"${PREFIX}"}"',
      `if ! [[ "\${version}" =~ ${RELEASE_VERSION.source} ]]; then echo "::error::release tag \${TAG} is not \${PREFIX:-v}<version>, e.g. \${PREFIX:-v}1.2.3"; exit 1; fi`,
      'echo "tag=${TAG}" >> "${GITHUB_OUTPUT}"',
      'echo "version=${version}" >> "${GITHUB_OUTPUT}"',
    ].join('\n'),
  };
}

/** A version after the prefix: semver with an optional `v` (what metadata-action's semver rules take). */
const RELEASE_VERSION = /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

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

/**
 * Reads the time of the checked-out commit, which every timestamp of the release comes from: the
 * `created` label and annotation, the BUILD_DATE build arg and `SOURCE_DATE_EPOCH`. Every leg and
 * the merge read the same commit, so they agree, and a republish of the same tag repeats them.
 * (metadata-action's own `created` is the time its step runs; its `{{commit_date}}` falls back to
 * that time when the GitHub API does not answer.)
 */
export function commitTimeStep(): WorkflowStep {
  return {
    name: 'Read the commit time',
    id: STEP_IDS.commitTime,
    shell: 'bash',
    run: [
      'set -euo pipefail',
      'epoch="$(git log -1 --format=%ct)"',
      `created="$(TZ=UTC0 git log -1 --format=%cd --date=${CREATED_GIT_DATE_FORMAT})"`,
      'echo "epoch=${epoch}" >> "${GITHUB_OUTPUT}"',
      'echo "created=${created}" >> "${GITHUB_OUTPUT}"',
    ].join('\n'),
  };
}

/** The commit time step's output, as a workflow expression. */
function commitTimeExpression(output: 'epoch' | 'created'): string {
  return `\${{ steps.${STEP_IDS.commitTime}.outputs.${output} }}`;
}

/**
 * docker/metadata-action. In a leg: the labels, the manifest annotations and the version (for the
 * build args); in the merge: the tags and the index annotations.
 */
export function metadataStep(model: ResolvedModel, tagInputs: MetadataTagInputs, level: 'manifest' | 'index'): WorkflowStep {
  // The commit time replaces the action's own `created` (a later line of a key wins).
  const created = `${labelOfFact(BuildFact.CREATED)}=${commitTimeExpression('created')}`;
  const labelLines = [...model.labels.map(([k, v]) => `${k}=${v}`), created];
  return {
    name: level === 'manifest' ? 'Compute labels, annotations and the version' : 'Compute the tags and the index annotations',
    id: STEP_IDS.meta,
    uses: PINS.metadata,
    env: { DOCKER_METADATA_ANNOTATIONS_LEVELS: level },
    with: {
      images: model.image,
      tags: lines(tagInputs.tags),
      // A leg needs no latest decision (and has no step that makes it).
      flavor: lines(level === 'manifest' ? ['latest=false'] : tagInputs.flavor),
      ...(level === 'manifest' ? { labels: lines(labelLines) } : {}),
      annotations: lines(labelLines),
    },
  };
}

/** The value of a metadata-action label, as a workflow expression. */
function metaLabelExpression(label: string): string {
  return `\${{ fromJSON(steps.${STEP_IDS.meta}.outputs.json).labels['${label}'] }}`;
}

/**
 * Builds one platform and pushes its image by digest only: no tag exists until every platform's
 * scan has passed. Releases read the platform's cache and do not write it. Every timestamp comes
 * from the commit: `SOURCE_DATE_EPOCH` (which buildx also passes as a build arg) sets the config's
 * and the history's, and `rewrite-timestamp` clamps the files' in the layers to it.
 */
export function buildPushStep(model: ResolvedModel, leg: ResolvedLeg): WorkflowStep {
  const w: Record<string, string | boolean> = {
    'context': model.context,
    'file': model.dockerfile,
    'platforms': leg.platform,
    'labels': `\${{ steps.${STEP_IDS.meta}.outputs.labels }}`,
    'annotations': `\${{ steps.${STEP_IDS.meta}.outputs.annotations }}`,
    'build-args': buildArgLines(model),
    'outputs': `type=image,name=${model.image},push-by-digest=true,name-canonical=true,push=true,rewrite-timestamp=true`,
    // Attestation manifests show up as unknown/unknown platforms on GHCR (build-push-action#820).
    'provenance': false,
    'sbom': false,
  };
  if (leg.cacheFrom) w['cache-from'] = leg.cacheFrom;
  // A registry cache outlives the run, so the release writes it; a gha cache written on a tag ref
  // is visible to no later tag (the default branch's build check writes that one).
  if (leg.cacheTo && model.cache.type === BuildCacheType.REGISTRY) w['cache-to'] = leg.cacheTo;
  return {
    name: `Build ${leg.platform} and push it by digest`,
    id: STEP_IDS.build,
    uses: PINS.buildPush,
    env: { SOURCE_DATE_EPOCH: commitTimeExpression('epoch') },
    with: w,
  };
}

/** The build-args input: the label block's per-build args, then the model's own. */
function buildArgLines(model: ResolvedModel): string {
  return lines([
    ...BUILD_ARGS.map((a) => `${a.arg}=${metaLabelExpression(a.label)}`),
    ...model.buildArgs.map((a) => `${a.name}=${a.fact ? metaLabelExpression(labelOfFact(a.fact)) : a.literal}`),
  ]);
}

/** Registry credentials for Trivy. */
export function trivyEnv(): Record<string, string> {
  return {
    TRIVY_USERNAME: '${{ github.actor }}',
    TRIVY_PASSWORD: '${{ secrets.GITHUB_TOKEN }}',
  };
}

/** The report the scan writes (JSON), and the SARIF converted from it. */
export const SCAN_FILES = { json: 'trivy-results.json', sarif: 'trivy-results.sarif' } as const;

/**
 * trivy-action's inputs for the JSON report of an image, which the SARIF and the gate are
 * converted from; the action's exit code is 0 (the gate decides).
 */
export function trivyReportInputs(model: ResolvedModel, imageRef: string): Record<string, string | number | boolean> {
  return {
    'image-ref': imageRef,
    'ignore-unfixed': model.scan.ignoreUnfixed,
    'version': model.scan.trivyVersion,
    'cache': false,
    'format': 'json',
    'output': SCAN_FILES.json,
    'severity': model.scan.severities.join(','),
    'exit-code': 0,
  };
}

/**
 * The scan of one platform's image: one Trivy run (one database download) writes a JSON report;
 * the SARIF for code scanning (optional) and the gate on the configured severities are converted
 * from that same report with `trivy convert`, which the first step put on the PATH.
 * trivy-action's exit-code defaults to 0; the gate sets it explicitly.
 */
export function scanSteps(model: ResolvedModel, digestExpression: string, platform: string): WorkflowStep[] {
  const steps: WorkflowStep[] = [{
    name: 'Scan (JSON report)',
    uses: PINS.trivy,
    env: trivyEnv(),
    with: trivyReportInputs(model, `${model.image}@\${{ ${digestExpression} }}`),
  }];
  if (model.scan.sarifUpload) {
    steps.push({
      name: 'Convert the report to SARIF',
      shell: 'bash',
      run: `trivy convert --format sarif --output ${SCAN_FILES.sarif} ${SCAN_FILES.json}`,
    });
    steps.push({
      name: 'Upload the report to code scanning',
      if: `always() && hashFiles('${SCAN_FILES.sarif}') != ''`,
      // Code scanning is a report: where it is not available (a private repository without
      // Advanced Security), the upload fails without holding back a release the gate let through.
      continueOnError: true,
      uses: PINS.uploadSarif,
      with: { sarif_file: SCAN_FILES.sarif, category: `trivy-${platform}` },
    });
  }
  if (model.scan.gateSeverities.length > 0) {
    steps.push({
      name: `Fail on ${model.scan.gateSeverities.join(', ')} vulnerabilities`,
      env: { GATE: model.scan.gateSeverities.join(',') },
      shell: 'bash',
      run: `trivy convert --format table --severity "\${GATE}" --exit-code 1 ${SCAN_FILES.json}`,
    });
  } else {
    steps.push({ name: 'Print the report', shell: 'bash', run: `trivy convert --format table ${SCAN_FILES.json}` });
  }
  return steps;
}

/** The SBOM file the attest job writes and attests for one platform of the index. */
function sbomFile(leg: ResolvedLeg): string {
  return `sbom-${leg.id}.spdx.json`;
}

/** What users in a private repository without GitHub Enterprise Cloud meet first, and the way out. */
export const ATTESTATION_HINT = 'private repositories need GitHub Enterprise Cloud, else set attestations: { provenance: false, sbom: false }';

/**
 * The attestations of the index: SLSA build provenance (actions/attest's default), and an SPDX JSON
 * SBOM of each of its platforms (Trivy reads one platform of an index: the runner's, unless told),
 * written by the scan's pinned Trivy and attested with `sbom-path`, all pushed to the registry as
 * referrers of the index; optionally a keyless cosign signature of the index. The registry login
 * gives actions/attest and cosign their push credentials.
 * @param digestExpression expression (without braces) of the index digest
 */
export function attestSteps(model: ResolvedModel, digestExpression: string): WorkflowStep[] {
  const digest = `\${{ ${digestExpression} }}`;
  const subject = { 'subject-name': model.image, 'subject-digest': digest, 'push-to-registry': true };
  const steps: WorkflowStep[] = [loginStep(model)];
  if (model.attestations.provenance) {
    steps.push({ name: `Attest build provenance (${ATTESTATION_HINT})`, id: 'provenance', uses: PINS.attest, with: subject });
  }
  for (const leg of model.attestations.sbom ? model.legs : []) {
    steps.push({
      name: `Write the SBOM of ${leg.platform} (SPDX JSON)`,
      uses: PINS.trivy,
      env: { ...trivyEnv(), TRIVY_PLATFORM: leg.platform },
      with: { 'image-ref': `${model.image}@${digest}`, 'version': model.scan.trivyVersion, 'cache': false, 'format': 'spdx-json', 'output': sbomFile(leg) },
    });
    steps.push({
      name: `Attest the SBOM of ${leg.platform} (${ATTESTATION_HINT})`,
      id: `sbom_${leg.id}`,
      uses: PINS.attest,
      with: { ...subject, 'sbom-path': sbomFile(leg) },
    });
  }
  if (model.attestations.sign) {
    steps.push({ name: 'Install cosign', uses: PINS.cosignInstaller });
    steps.push({
      name: 'Sign the index keyless',
      env: { IMAGE: model.image, DIGEST: digest },
      shell: 'bash',
      run: 'cosign sign --yes "${IMAGE}@${DIGEST}"',
    });
  }
  return steps;
}

/** The step that creates the index and reports its digest. */
export const INDEX_STEP = { id: 'index', output: 'digest' } as const;

/**
 * Creates the image index from every leg's digest, with the index annotations and every tag, in
 * one registry-side operation (no layer is pulled), and reports the index digest. Values come in
 * through the environment, never inside the script.
 * @param legDigests expressions (without braces) of each leg's digest
 */
export function createIndexStep(model: ResolvedModel, legDigests: readonly string[]): WorkflowStep {
  return {
    name: 'Create the index and the tags from the scanned platforms',
    id: INDEX_STEP.id,
    env: {
      IMAGE: model.image,
      TAGS: `\${{ steps.${STEP_IDS.meta}.outputs.tags }}`,
      ANNOTATIONS: `\${{ steps.${STEP_IDS.meta}.outputs.annotations }}`,
      DIGESTS: lines(legDigests.map((d) => `\${{ ${d} }}`)),
      PLATFORMS: String(legDigests.length),
    },
    shell: 'bash',
    run: [
      'set -euo pipefail',
      'args=()',
      'while IFS= read -r tag; do',
      '  if [ -n "${tag}" ]; then args+=(--tag "${tag}"); fi',
      'done <<< "${TAGS}"',
      'if [ "${#args[@]}" -eq 0 ]; then echo "::error::metadata-action produced no tags for this ref"; exit 1; fi',
      'first="${args[1]}"',
      'while IFS= read -r annotation; do',
      '  if [ -n "${annotation}" ]; then args+=(--annotation "${annotation}"); fi',
      'done <<< "${ANNOTATIONS}"',
      'sources=()',
      'while IFS= read -r digest; do',
      '  if [ -n "${digest}" ]; then sources+=("${IMAGE}@${digest}"); fi',
      'done <<< "${DIGESTS}"',
      'if [ "${#sources[@]}" -ne "${PLATFORMS}" ]; then echo "::error::expected ${PLATFORMS} platform digests, got ${#sources[@]}"; exit 1; fi',
      'docker buildx imagetools create "${args[@]}" "${sources[@]}"',
      'digest="$(docker buildx imagetools inspect "${first}" --format \'{{json .Manifest}}\' | jq -r \'.digest\')"',
      'docker buildx imagetools inspect "${first}"',
      `echo "${INDEX_STEP.output}=\${digest}" >> "\${GITHUB_OUTPUT}"`,
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
  | {
    readonly kind: 'lockfile';
    readonly packageManager: PackageManager;
    /**
     * The package manager's version as projen's own build sets it up: the project's `pnpmVersion`
     * for pnpm, its `bunVersion` for bun; unused for the others.
     */
    readonly version?: string;
  }
  | { readonly kind: 'checkout' };

/**
 * The install step of each package manager: the lockfile as it is, no install scripts. Each is
 * set up first as projen's own build job sets it up (see {@link packageManagerSetup}).
 */
const INSTALL: Record<PackageManager, string> = {
  'npm': 'npm ci --ignore-scripts --no-audit --no-fund',
  'yarn': 'yarn install --frozen-lockfile --ignore-scripts',
  'yarn-berry': 'yarn install --immutable --mode=skip-build',
  'pnpm': 'pnpm install --frozen-lockfile --ignore-scripts',
  'bun': 'bun install --frozen-lockfile --ignore-scripts',
};

/**
 * The setup of a package manager the runner does not carry (it has npm and yarn classic), as
 * projen's build job does it, so that the verify job works wherever the repository's build works:
 * pnpm through pnpm/action-setup with the project's `pnpmVersion` (corepack refuses the
 * `packageManager` field projen writes for a bare major such as `pnpm@9`), bun through setup-bun
 * with its `bunVersion`, yarn berry through corepack (projen writes its full version).
 */
function packageManagerSetup(source: CliSource): WorkflowStep[] {
  if (source.kind !== 'lockfile') return [];
  // Without a version (a repository that is not a projen Node project), pnpm/action-setup reads
  // package.json's packageManager, and setup-bun that or its latest release.
  switch (source.packageManager) {
    case 'pnpm':
      return [{ name: 'Set up pnpm', uses: PINS.setupPnpm, ...(source.version !== undefined ? { with: { version: source.version } } : {}) }];
    case 'bun':
      // A cached bun restored in a release job could have been written by a less trusted run.
      return [{ name: 'Set up Bun', uses: PINS.setupBun, with: { ...(source.version !== undefined ? { 'bun-version': source.version } : {}), 'no-cache': true } }];
    case 'yarn-berry':
      return [{ name: 'Enable corepack', shell: 'bash', run: 'corepack enable' }];
    default:
      return [];
  }
}

/**
 * The command that runs the CLI once its source is installed. Yarn berry installs with Plug'n'Play
 * unless told otherwise, leaving no `node_modules/.bin`: `yarn run` runs a dependency's bin under
 * every linker of yarn berry.
 */
function cliCommand(source: CliSource): string {
  if (source.kind === 'checkout') return 'node -r ts-node/register/transpile-only src/cli/main.ts';
  return source.packageManager === 'yarn-berry' ? 'yarn run image-release' : 'node_modules/.bin/image-release';
}

/** The steps that install the CLI from the repository's lockfile (no token in their environment). */
function installCliSteps(source: CliSource): WorkflowStep[] {
  const install = source.kind === 'lockfile' ? INSTALL[source.packageManager] : INSTALL.npm;
  return [
    { name: 'Set up Node.js', uses: PINS.setupNode, with: { 'node-version': '22', 'package-manager-cache': false } },
    ...packageManagerSetup(source),
    { name: 'Install the locked image-release CLI', shell: 'bash', run: install },
  ];
}

/**
 * Runs `image-release verify` on the published release with the CLI the repository locked, and
 * writes its table into the job summary (also when a check fails). Only the verify step sees the
 * token, which the job grants read access to packages alone. `only` checks one part of the release:
 * the image before the chart is pushed, the chart after.
 * @param tagExpression expression (without braces) of the release's tag
 */
export function verifySteps(source: CliSource, tagExpression: string, only?: VerifyPart): WorkflowStep[] {
  const what = only === 'chart' ? 'the chart' : 'the release';
  return [
    checkoutStep(),
    ...installCliSteps(source),
    {
      name: `Verify ${what} in the registry`,
      env: {
        TAG: `\${{ ${tagExpression} }}`,
        SHA: '${{ github.sha }}',
        GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
      },
      shell: 'bash',
      run: [
        'set -euo pipefail',
        'status=0',
        `${cliCommand(source)} verify "\${TAG}" --sha "\${SHA}"${only ? ` --only ${only}` : ''} > verify.txt || status=$?`,
        'cat verify.txt',
        '{',
        `  echo "## Verification of ${only === 'chart' ? 'the chart of ' : ''}\${TAG}"`,
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

/**
 * Runs `image-release prune --apply` with the CLI the repository locked; the rules come from the
 * model file the checkout holds (of the image with this id, in a project with several). Its table
 * goes into the job summary (also when a deletion fails).
 * Only the prune step sees the token.
 */
export function pruneSteps(source: CliSource, imageId?: string): WorkflowStep[] {
  return [
    checkoutStep(),
    ...installCliSteps(source),
    {
      name: 'Delete old versions of the image',
      env: { GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' },
      shell: 'bash',
      run: [
        'set -euo pipefail',
        'status=0',
        `${cliCommand(source)} prune${imageId !== undefined ? ` --image ${imageId}` : ''} --apply > prune.txt || status=$?`,
        'cat prune.txt',
        '{',
        '  echo "## Image retention"',
        '  echo ""',
        '  echo \'```\'',
        '  cat prune.txt',
        '  echo \'```\'',
        '} >> "${GITHUB_STEP_SUMMARY}"',
        'exit "${status}"',
      ].join('\n'),
    },
  ];
}

/**
 * Checks the Sigstore signatures of the index's attestations against the public-good (or GitHub's)
 * trust root and this repository's identity, with `gh attestation verify`: what `image-release
 * verify` cannot do offline. One call per predicate type.
 * @param digestExpression expression (without braces) of the index digest
 */
export function attestationVerifySteps(model: ResolvedModel, digestExpression: string): WorkflowStep[] {
  const predicates = [
    ...(model.attestations.provenance ? ['https://slsa.dev/provenance/v1'] : []),
    ...(model.attestations.sbom ? ['https://spdx.dev/Document/v2.3'] : []),
  ];
  if (predicates.length === 0) return [];
  return [loginStep(model), {
    name: 'Verify the attestations\' signatures',
    env: { IMAGE: model.image, DIGEST: `\${{ ${digestExpression} }}`, PREDICATES: lines(predicates), GH_TOKEN: '${{ github.token }}' },
    shell: 'bash',
    run: [
      'set -euo pipefail',
      'while IFS= read -r predicate; do',
      '  if [ -n "${predicate}" ]; then',
      '    gh attestation verify "oci://${IMAGE}@${DIGEST}" --repo "${GITHUB_REPOSITORY}" --predicate-type "${predicate}"',
      '  fi',
      'done <<< "${PREDICATES}"',
    ].join('\n'),
  }];
}

/** The job summary: tags, index digest and the pull command. */
export function summaryStep(model: ResolvedModel): WorkflowStep {
  return {
    name: 'Write the job summary',
    env: {
      IMAGE: model.image,
      TAGS: `\${{ steps.${STEP_IDS.meta}.outputs.tags }}`,
      VERSION: `\${{ steps.${STEP_IDS.meta}.outputs.version }}`,
      DIGEST: `\${{ steps.${INDEX_STEP.id}.outputs.${INDEX_STEP.output} }}`,
    },
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
      '  echo "Index digest: \\`${DIGEST}\\`"',
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

/** Where the chart job packages the chart. */
const CHART_PACKAGE_DIR = '${RUNNER_TEMP}/chart-package';

/**
 * Packages the chart with the release's version as its `version` and `appVersion` (no commit bumps
 * them) and, when the chart's image values are managed, `image.tag` set to the same version in the
 * packaged copy's values (yq, which GitHub's Ubuntu runners carry); logs in to the chart's registry
 * with the workflow's token on stdin, and pushes the chart as an OCI artifact. Values come in
 * through the environment, never inside the script.
 * @param versionExpression expression (without braces) of the image's version tag
 */
export function chartSteps(chart: ResolvedChart, versionExpression: string): WorkflowStep[] {
  const registry = chart.artifact.split('/')[0];
  return [
    checkoutStep(),
    { name: 'Set up Helm', uses: PINS.setupHelm, with: { version: HELM_VERSION } },
    {
      name: 'Package the chart with the release version',
      env: { VERSION: `\${{ ${versionExpression} }}`, CHART_DIR: chart.directory },
      shell: 'bash',
      run: [
        'set -euo pipefail',
        'if [ -z "${VERSION}" ]; then echo "::error::the image job reported no version"; exit 1; fi',
        ...(chart.manageImageValues ? ['yq -i \'.image.tag = strenv(VERSION)\' "${CHART_DIR}/values.yaml"'] : []),
        `helm package "\${CHART_DIR}" --version "\${VERSION}" --app-version "\${VERSION}" --destination "${CHART_PACKAGE_DIR}"`,
      ].join('\n'),
    },
    {
      name: `Push the chart to ${chart.repository}`,
      env: {
        REGISTRY: registry,
        REPOSITORY: chart.repository,
        CHART: chart.name,
        VERSION: `\${{ ${versionExpression} }}`,
        ACTOR: '${{ github.actor }}',
        GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
      },
      shell: 'bash',
      run: [
        'set -euo pipefail',
        'printf \'%s\' "${GITHUB_TOKEN}" | helm registry login "${REGISTRY}" --username "${ACTOR}" --password-stdin',
        `helm push "${CHART_PACKAGE_DIR}/\${CHART}-\${VERSION}.tgz" "\${REPOSITORY}"`,
        'echo "Pushed ${REPOSITORY}/${CHART}:${VERSION}" >> "${GITHUB_STEP_SUMMARY}"',
      ].join('\n'),
    },
  ];
}
