import { imageNames } from '../model/image-names';
import { ReleaseTrigger } from '../options';
import { ModelFile } from '../plan/model-file';
import { planRelease, ReleaseRequest } from '../plan/release-plan';

/** Path of the generated document of a project's only image, relative to the project. */
export const RELEASE_DOC_PATH = imageNames().docPath;

/** A sample release for the tag table: its version and the versions released before it. */
interface Sample {
  readonly title: string;
  readonly version: string;
  readonly existing: readonly string[];
  readonly prerelease?: boolean;
}

/** The releases every tag table shows (a first release, a backport, a pre-release, a 0.x). */
const SAMPLE_RELEASES: readonly Sample[] = [
  { title: '1.2.3', version: '1.2.3', existing: ['1.2.2'] },
  { title: '1.2.4 after 2.0.0 (backport)', version: '1.2.4', existing: ['1.2.3', '2.0.0'] },
  { title: '2.0.0-rc.1', version: '2.0.0-rc.1', existing: ['1.2.3'] },
  { title: '0.3.1', version: '0.3.1', existing: ['0.3.0'] },
];

const RELEASE_MARKED_PRERELEASE: Sample = { title: '1.3.0 marked pre-release on GitHub', version: '1.3.0', existing: ['1.2.3'], prerelease: true };

/** Fixed inputs of the samples, so the document does not change between runs. */
const SAMPLE_SHA = '0123456789abcdef0123456789abcdef01234567';
const SAMPLE_NOW = '2026-01-01T00:00:00.000Z';

/** The tag table (markdown) of the samples, computed by the planner from the model's own lines. */
export function tagTable(model: ModelFile): string {
  const samples = model.trigger === ReleaseTrigger.RELEASE_PUBLISHED ? [...SAMPLE_RELEASES, RELEASE_MARKED_PRERELEASE] : SAMPLE_RELEASES;
  const gitTag = (version: string) => `${model.tagPrefix || 'v'}${version}`;
  const rows = samples.map((s) => {
    const existing = s.existing.map(gitTag);
    const req: ReleaseRequest = { tag: gitTag(s.version), prerelease: s.prerelease, sha: SAMPLE_SHA, existingTags: existing, now: SAMPLE_NOW };
    const plan = planRelease(model, req);
    const tags = plan.tags.map((t) => `\`${t}\``).join(', ');
    return `| ${s.title} | ${existing.join(', ')} | ${tags || '(none)'} |`;
  });
  return ['| release | tags before it | image tags |', '|---|---|---|', ...rows].join('\n');
}

/** What the release attests, and why the registry shows `sha256-<hex>` tags. */
function attestationLines(model: ModelFile): string[] {
  const a = model.attestations;
  const kinds = [...(a?.provenance ? ['SLSA build provenance'] : []), ...(a?.sbom ? ['an SPDX SBOM'] : [])];
  if (kinds.length === 0) return [];
  return [
    `Each release attests ${kinds.join(' and ')} of its image index. Where the registry has no referrers API (GHCR),`,
    'they are kept under a tag `sha256-<hex>` (the index digest): such a tag is not a release, and deleting it deletes them.',
    '',
  ];
}

/** Where the chart is released, and that its package starts private too. */
function chartLines(model: ModelFile): string[] {
  const c = model.chart;
  if (!c) return [];
  return [
    '## Helm chart',
    '',
    `\`${c.directory}\` is released with each image, under the same version, as \`oci://${c.artifact}:<version>\``,
    `(\`version\` and \`appVersion\` set to the release version${c.manageImageValues ? ', `image.tag` too' : ''}), only after the image is published`,
    '(and verified, with the verify job). Its GHCR package starts private as well: give it the setup below after the first release.',
    '',
  ];
}

/** The generated document of a project's image release. */
export function releaseDoc(model: ModelFile): string {
  return [
    `# Image release: \`${model.image}\``,
    '',
    `Generated from \`.projenrc.ts\` by projen-image-release. Workflow: \`${model.workflow}\`; platforms: ${model.platforms.map((p) => `\`${p}\``).join(', ')}.`,
    '',
    '## Tags per release',
    '',
    'Computed by the tag planner from the same `tags:` and `flavor:` lines the workflow hands to docker/metadata-action',
    '(`npx image-release plan <tag>` shows them for any tag):',
    '',
    tagTable(model),
    '',
    ...attestationLines(model),
    ...chartLines(model),
    '## Labels',
    '',
    '| label | value |',
    '|---|---|',
    '| `org.opencontainers.image.created` | the commit time (the same in every platform and on a rebuild) |',
    '| `org.opencontainers.image.revision` | commit SHA |',
    '| `org.opencontainers.image.version` | the version tag |',
    ...model.labels.map(([k, v]) => `| \`${k}\` | ${v.replace(/\|/g, '\\|')} |`),
    '',
    '## One-time setup on GitHub',
    '',
    'A new GHCR package starts private. After the first release:',
    '',
    '1. Open the package (your profile or organization, "Packages"), then "Package settings".',
    '2. "Change visibility" to public, if the image is meant to be pulled without credentials.',
    '3. Under "Manage Actions access", give this repository the "Write" role, so later releases can push.',
    '',
  ].join('\n');
}
