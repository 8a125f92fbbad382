import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { HELM_MEDIA_TYPES, withImageTag } from './chart';
import { gzipTar, TarEntry } from './tar';
import { MANIFEST_TYPES } from '../registry/client';

/**
 * A chart as Helm pushes it to an OCI registry, built without Helm (for `rehearse`): the config blob
 * is the chart's metadata (`Chart.yaml`) as JSON, the content layer is the packaged chart (a gzipped
 * tar whose root folder is the chart's name), and the manifest carries the annotations Helm writes.
 * @see https://helm.sh/docs/topics/registries/
 */
export interface ChartArtifact {
  readonly config: Buffer;
  readonly content: Buffer;
  /** The image manifest (JSON text) referencing both blobs by digest. */
  readonly manifest: string;
  /** The tag Helm pushes a version under (`+` is not allowed in tags, Helm writes `_`). */
  readonly tag: string;
}

/** What to package. */
export interface PackageRequest {
  /** The chart directory on disk. */
  readonly directory: string;
  /** The chart's `version` and `appVersion`. */
  readonly version: string;
  /** `image.tag` of the packaged values; values are packaged as they are when undefined. */
  readonly imageTag?: string;
  /** The creation time written into the annotations, ISO 8601. */
  readonly created: string;
}

/** The tag of a chart version in an OCI registry, as Helm writes it. */
export function chartTag(version: string): string {
  return version.replace(/\+/g, '_');
}

/** `sha256:<hex>` of bytes. */
export function digestOf(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Packages a chart directory as `helm package --version V --app-version V` would, and describes its push. */
export function packageChart(req: PackageRequest): ChartArtifact {
  const chartYaml = fs.readFileSync(path.join(req.directory, 'Chart.yaml'), 'utf-8');
  const doc = YAML.parseDocument(chartYaml);
  doc.set('version', req.version);
  doc.set('appVersion', req.version);
  const metadata = doc.toJS() as Record<string, any>;
  const name = String(metadata.name);
  const entries: TarEntry[] = [];
  for (const rel of filesOf(req.directory)) {
    let data = fs.readFileSync(path.join(req.directory, rel));
    if (rel === 'Chart.yaml') data = Buffer.from(doc.toString());
    if (rel === 'values.yaml' && req.imageTag !== undefined) data = Buffer.from(withImageTag(rel, data.toString('utf-8'), req.imageTag));
    entries.push({ name: `${name}/${rel}`, data });
  }
  const config = Buffer.from(JSON.stringify(metadata));
  const content = gzipTar(entries);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_TYPES.ociManifest,
    config: { mediaType: HELM_MEDIA_TYPES.config, digest: digestOf(config), size: config.length },
    layers: [{ mediaType: HELM_MEDIA_TYPES.content, digest: digestOf(content), size: content.length }],
    annotations: helmAnnotations(metadata, req.created),
  });
  return { config, content, manifest, tag: chartTag(req.version) };
}

/**
 * The manifest annotations Helm writes: the chart's `Chart.yaml` annotations, then the OCI ones it
 * derives from the metadata (title and version always win).
 */
function helmAnnotations(m: Record<string, any>, created: string): Record<string, string> {
  const oci = 'org.opencontainers.image.';
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.annotations ?? {})) out[k] = String(v);
  if (m.description) out[`${oci}description`] = String(m.description);
  if (m.home) out[`${oci}url`] = String(m.home);
  if (Array.isArray(m.sources) && m.sources.length > 0 && out[`${oci}source`] === undefined) out[`${oci}source`] = String(m.sources[0]);
  out[`${oci}created`] = created;
  out[`${oci}title`] = String(m.name);
  out[`${oci}version`] = String(m.version);
  return out;
}

/** Every file of a chart directory, relative, sorted; version-control and editor files left out as `.helmignore` usually does. */
function filesOf(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => !/(^|\/)(\.git|\.DS_Store)(\/|$)|~$/.test(f) && fs.statSync(path.join(dir, f)).isFile())
    .sort();
}
