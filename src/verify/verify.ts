import { AttestationSummary, checkAttestations } from './attestations';
import { labelOfFact, OCI_PREFIX } from '../model/labels';
import { BuildFact } from '../options';
import { ModelFile } from '../plan/model-file';
import { ReleasePlan } from '../plan/release-plan';
import { INDEX_MEDIA_TYPES, Manifest, RegistryClient } from '../registry/client';

/** What to check a published release against. */
export interface VerifyInput {
  readonly model: ModelFile;
  readonly plan: ReleasePlan;
  /** The repository name in the registry, e.g. `acme/app`. */
  readonly name: string;
  /** The commit the release must carry in its revision label, when known. */
  readonly expectedRevision?: string;
  /** Size budget per platform, in MB. */
  readonly maxSizeMb: number;
  /** The attestations the index must have; none are looked for when undefined. */
  readonly attestations?: { readonly provenance: boolean; readonly sbom: boolean };
}

/** One row of the report. */
export interface VerifyRow {
  readonly tag: string;
  readonly digest?: string;
  readonly platforms: string[];
  /** Compressed size per platform, in bytes. */
  readonly sizes: Record<string, number>;
  /** The `org.opencontainers.image.created` label per platform (platforms without one left out). */
  readonly created: Record<string, string>;
}

/** The report: rows, and one line per failed check. */
export interface VerifyReport {
  readonly rows: VerifyRow[];
  readonly failures: string[];
  /** Number of checks made. */
  readonly checks: number;
  /** The chart released with the image, when the model has one: its reference and digest (undefined when missing). */
  readonly chart?: { readonly reference: string; readonly digest?: string };
  /** The attestations found, when they were looked for. */
  readonly attestations?: AttestationSummary;
}

const DESCRIPTION = `${OCI_PREFIX}description`;
const CREATED = labelOfFact(BuildFact.CREATED);
const SOURCE = `${OCI_PREFIX}source`;

function platformOf(p: any): string {
  return p ? [p.os, p.architecture, p.variant].filter((x) => x).join('/') : 'unknown';
}

/** A platform as `os/arch[/variant]`, with arm64's default variant v8 left out (as containerd does). */
function normalPlatform(p: any): string {
  return platformOf(p).replace(/\/arm64\/v8$/, '/arm64');
}

/**
 * Checks a published release: every planned tag exists and points to one index; the index has
 * every platform of the model once and the description annotation; each entry's platform is the one
 * of the image config it points to; each platform's config carries the model's labels with the right
 * version and revision; each platform fits the size budget; the index has the attestations the
 * model asks for (see checkAttestations).
 * Registry failures other than "not found" propagate as RegistryError (the caller exits 2).
 */
export async function verifyRelease(client: RegistryClient, input: VerifyInput): Promise<VerifyReport> {
  const failures: string[] = [];
  let checks = 0;
  const check = (ok: boolean, failure: string) => {
    checks++;
    if (!ok) failures.push(failure);
    return ok;
  };
  const tagNames = input.plan.tags;
  const rows: VerifyRow[] = [];
  const found = new Map<string, Manifest>();
  for (const tag of tagNames) {
    const m = await client.manifest(input.name, tag);
    if (check(m !== undefined, `tag ${tag} is missing`)) found.set(tag, m!);
  }
  const reference = found.get(tagNames[0]) ?? [...found.values()][0];
  if (!check(reference !== undefined, `none of the planned tags exists (${tagNames.join(', ') || 'no tags planned'})`)) {
    return { rows: tagNames.map((tag) => ({ tag, platforms: [], sizes: {}, created: {} })), failures, checks };
  }
  for (const [tag, m] of found) {
    check(m.digest === reference.digest, `tag ${tag} points to ${m.digest}, not to ${reference.digest} like tag ${tagNames.find((t) => found.get(t) === reference)}`);
  }

  const platforms: string[] = [];
  const sizes: Record<string, number> = {};
  const created: Record<string, string> = {};
  if (check(INDEX_MEDIA_TYPES.includes(reference.mediaType), `${reference.digest} is a ${reference.mediaType || 'manifest'}, not a multi-platform index`)) {
    const entries = (reference.json.manifests ?? []).filter((e: any) => platformOf(e.platform) !== 'unknown/unknown');
    for (const e of entries) platforms.push(platformOf(e.platform));
    for (const expected of input.model.platforms) check(platforms.includes(expected), `the index has no ${expected} image (it has ${platforms.join(', ') || 'none'})`);
    const repeated = [...new Set(platforms.filter((p, i) => platforms.indexOf(p) !== i))];
    check(repeated.length === 0, `the index has more than one ${repeated.join(', ')} image`);
    const description = input.model.labels.find(([k]) => k === DESCRIPTION)?.[1];
    if (description !== undefined) {
      const annotation = reference.json.annotations?.[DESCRIPTION];
      check(annotation === description, annotation === undefined
        ? `the index has no ${DESCRIPTION} annotation (GHCR shows "No description" for multi-platform images without it)`
        : `the index's ${DESCRIPTION} annotation is "${annotation}", expected "${description}"`);
    }
    for (const e of entries) {
      const platform = platformOf(e.platform);
      const manifest = await client.manifest(input.name, e.digest);
      if (!check(manifest !== undefined, `${platform}: manifest ${e.digest} is missing`)) continue;
      const size = (manifest!.json.config?.size ?? 0) + (manifest!.json.layers ?? []).reduce((n: number, l: any) => n + (l.size ?? 0), 0);
      sizes[platform] = size;
      check(size <= input.maxSizeMb * 1e6, `${platform}: ${formatMb(size)} compressed exceeds the ${input.maxSizeMb} MB budget`);
      const config = await client.jsonBlob(input.name, manifest!.json.config.digest);
      check(normalPlatform(config) === normalPlatform(e.platform), `${platform}: the index entry points to a ${platformOf(config)} image`);
      const labels: Record<string, string> = config?.config?.Labels ?? {};
      if (labels[CREATED] !== undefined) created[platform] = labels[CREATED];
      const expected: Array<[string, string | undefined]> = [
        [`${OCI_PREFIX}version`, input.plan.version],
        [`${OCI_PREFIX}revision`, input.expectedRevision],
        ...input.model.labels.map(([k, v]): [string, string] => [k, v]),
      ];
      for (const [key, value] of expected) {
        if (value === undefined) continue;
        check(labels[key] === value, labels[key] === undefined
          ? `${platform}: label ${key} is missing (expected "${value}")`
          : `${platform}: label ${key} is "${labels[key]}", expected "${value}"`);
      }
    }
    checkSameCreated(created, check);
  }
  let attestations: AttestationSummary | undefined;
  const want = input.attestations;
  if (want && (want.provenance || want.sbom)) {
    const platformDigests = Object.fromEntries((reference.json.manifests ?? []).map((e: any) => [platformOf(e.platform), e.digest]));
    attestations = await checkAttestations(client, {
      name: input.name,
      indexDigest: reference.digest,
      platformDigests,
      provenance: want.provenance,
      sbom: want.sbom,
      revision: input.expectedRevision,
      repository: input.model.labels.find(([k]) => k === SOURCE)?.[1],
    }, check);
  }
  for (const tag of tagNames) {
    const same = found.get(tag)?.digest === reference.digest;
    rows.push({ tag, digest: found.get(tag)?.digest, platforms: same ? platforms : [], sizes: same ? sizes : {}, created: same ? created : {} });
  }
  return { rows, failures, checks, ...(attestations ? { attestations } : {}) };
}

/**
 * The platforms of one index are one build of one commit, so they carry one `created` time; a
 * platform built at another time (another commit, or a timestamp from the clock) is named against
 * the first platform, with both values.
 */
function checkSameCreated(created: Record<string, string>, check: (ok: boolean, failure: string) => boolean): void {
  const [first, ...others] = Object.entries(created);
  for (const [platform, value] of others) {
    check(value === first[1], `${first[0]} and ${platform} differ in ${CREATED}: "${first[1]}" and "${value}" (the platforms of one release are built from one commit time)`);
  }
}

/** Size in MB with one decimal. */
function formatMb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The `created` line under the table: one time when the platforms agree, else each platform's. */
function createdLines(rows: readonly VerifyRow[]): string[] {
  const created = Object.entries(rows.find((r) => Object.keys(r.created).length > 0)?.created ?? {});
  if (created.length === 0) return [];
  const times = new Set(created.map(([, t]) => t));
  return [times.size === 1
    ? `Created: ${created[0][1]} (every platform)`
    : `Created: ${created.map(([p, t]) => `${p} ${t}`).join(', ')}`];
}

/** The report as a plain table and one line per failure. */
export function formatReport(image: string, report: VerifyReport): string {
  const header = ['TAG', 'DIGEST', 'PLATFORMS', 'COMPRESSED SIZE'];
  const rows = report.rows.map((r) => [
    r.tag,
    r.digest ? `${r.digest.slice(0, 19)}…` : '(missing)',
    r.platforms.join(' ') || '-',
    Object.entries(r.sizes).map(([p, s]) => `${p.split('/').slice(1).join('/')} ${formatMb(s)}`).join(', ') || '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const failed = report.failures.length;
  return [
    failed === 0
      ? `Verified ${image}: ${report.checks} checks`
      : `Verification of ${image} failed: ${failed} of ${report.checks} checks`,
    // A check of the chart alone (verify --only chart) has no tag rows.
    ...(rows.length > 0 || !report.chart ? [line(header), ...rows.map(line), ...createdLines(report.rows)] : []),
    ...(report.chart ? ['', `Chart ${report.chart.reference}  ${report.chart.digest ? `${report.chart.digest.slice(0, 19)}…` : '(missing)'}`] : []),
    ...(report.attestations ? [`Attestations (${report.attestations.source}): ${report.attestations.predicateTypes.join(', ') || 'none'}`] : []),
    '',
    ...(report.failures.length === 0
      ? [`OK: all ${report.checks} checks passed`]
      : report.failures.map((f) => `FAIL: ${f}`)),
  ].join('\n');
}
