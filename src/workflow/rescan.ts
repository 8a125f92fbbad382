import { Workflow, WorkflowJob, WorkflowStep } from './model';
import { JOB_GRANTS } from './permissions';
import { PINS } from './pins';
import { SCAN_FILES, trivyEnv, trivyReportInputs } from './steps';
import { ResolvedModel } from '../model/resolved';
import { LatestPolicy } from '../options';

/** The step that lists the supported releases, and its output (a JSON list of image tags). */
const RELEASES_STEP = { id: 'releases', output: 'tags' } as const;

/**
 * The scheduled re-scan of what users run today: `latest` (when the policy makes one) and the
 * newest stable versions, found from the repository's release tags (the image tag of each is its
 * version: `tags.version` is always on), then each image and platform scanned with the pinned Trivy
 * and its SARIF uploaded per release and platform. Reports only; a release that is gone fails its
 * own scan job and no other.
 */
export function rescanWorkflow(model: ResolvedModel): Workflow {
  return {
    name: model.names.rescanWorkflowName,
    on: { schedule: [{ cron: model.rescan.schedule }], workflow_dispatch: {} },
    concurrency: { group: model.names.rescanWorkflowName, cancelInProgress: false },
    jobs: { releases: releasesJob(model), scan: rescanJob(model) },
  };
}

function releasesJob(model: ResolvedModel): WorkflowJob {
  return {
    name: 'Find the supported releases',
    runsOn: [model.runsOn],
    permissions: JOB_GRANTS.rescanReleases,
    timeoutMinutes: 5,
    outputs: { tags: { stepId: RELEASES_STEP.id, outputName: RELEASES_STEP.output } },
    steps: [{
      name: `List latest and the newest ${model.rescan.versions} stable versions`,
      id: RELEASES_STEP.id,
      env: {
        PREFIX: model.tagPrefix,
        VERSIONS: String(model.rescan.versions),
        LATEST: String(model.tags.latest !== LatestPolicy.NEVER),
        GH_TOKEN: '${{ github.token }}',
      },
      shell: 'bash',
      run: [
        'set -euo pipefail',
        'versions="$(gh api --paginate "repos/${GITHUB_REPOSITORY}/git/matching-refs/tags/${PREFIX}" --jq \'.[].ref\' \\',
        '  | sed \'s#^refs/tags/##\' | while IFS= read -r t; do case "${t}" in "${PREFIX}"*) printf \'%s\\n\' "${t#"${PREFIX}"}" ;; esac; done \\',
        '  | grep -E \'^v?(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$\' | sed \'s/^v//\' | sort -V | tail -n "${VERSIONS}" || true)"',
        'tags="$({ if [ "${LATEST}" = true ] && [ -n "${versions}" ]; then echo latest; fi; printf \'%s\\n\' "${versions}"; } | jq -R . | jq -sc \'map(select(. != ""))\')"',
        'echo "Re-scanning: ${tags}"',
        `echo "${RELEASES_STEP.output}=\${tags}" >> "\${GITHUB_OUTPUT}"`,
      ].join('\n'),
    }],
  };
}

function rescanJob(model: ResolvedModel): WorkflowJob {
  const steps: WorkflowStep[] = [
    {
      name: 'Scan the release (JSON report)',
      uses: PINS.trivy,
      env: { ...trivyEnv(), TRIVY_PLATFORM: '${{ matrix.platform }}' },
      with: trivyReportInputs(model, `${model.image}:\${{ matrix.tag }}`),
    },
    { name: 'Convert the report to SARIF', shell: 'bash', run: `trivy convert --format sarif --output ${SCAN_FILES.sarif} ${SCAN_FILES.json}` },
    {
      name: 'Upload the report to code scanning, per release and platform',
      uses: PINS.uploadSarif,
      with: { sarif_file: SCAN_FILES.sarif, category: 'rescan-${{ matrix.tag }}-${{ matrix.platform }}' },
    },
    { name: 'Print the report', shell: 'bash', run: `trivy convert --format table ${SCAN_FILES.json}` },
  ];
  return {
    name: 'Re-scan a release',
    needs: ['releases'],
    if: "needs.releases.outputs.tags != '[]'",
    runsOn: [model.runsOn],
    permissions: JOB_GRANTS.rescanScan,
    timeoutMinutes: 30,
    strategy: { failFast: false, matrix: { tag: '${{ fromJSON(needs.releases.outputs.tags) }}', platform: [...model.platforms] } },
    steps,
  };
}
