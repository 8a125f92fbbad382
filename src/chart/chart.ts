import * as YAML from 'yaml';
import { ImageReleaseError } from '../model/problems';

/**
 * The pure side of the Helm chart released with an image: the media types Helm gives a chart
 * artifact, the managed keys of `values.yaml` and `Chart.yaml` (edited through the `yaml` package's
 * Document API, which keeps the user's comments and order), and the check that the templates use
 * the managed values.
 */

/** The media types of a chart artifact, as Helm pushes and pulls it. */
export const HELM_MEDIA_TYPES = {
  config: 'application/vnd.cncf.helm.config.v1+json',
  content: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
} as const;

/** The `Chart.yaml` annotation Helm copies into the artifact's manifest; GHCR links the package to it. */
export const SOURCE_ANNOTATION = 'org.opencontainers.image.source';

/** Thrown when a chart file cannot be read or edited; the message names the file. */
export class ChartError extends ImageReleaseError {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
  }
}

/** Parses a chart file as one YAML document; throws naming the file when it is not YAML. */
function parseDocument(file: string, text: string): YAML.Document {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw new ChartError(file, `is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.contents !== null && !YAML.isMap(doc.contents)) throw new ChartError(file, 'must be a YAML mapping');
  return doc;
}

/** The `name` of a `Chart.yaml`; throws naming the file when it has none. */
export function chartNameOf(file: string, text: string): string {
  const name = parseDocument(file, text).get('name');
  if (typeof name !== 'string' || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) {
    throw new ChartError(file, `has no valid chart name (name: ${JSON.stringify(name ?? null)}); a chart name is lower-case letters, digits and "-"`);
  }
  return name;
}

/** Sets `key` under the mapping `parent` of a document, creating it; throws when `parent` is not a mapping. */
function setIn(file: string, doc: YAML.Document, parent: string, key: string, value: string): void {
  const current = doc.get(parent, true);
  if (current !== undefined && current !== null && !YAML.isMap(current)) {
    throw new ChartError(file, `${parent} must be a mapping to hold ${parent}.${key}`);
  }
  if (current === undefined || current === null) doc.set(parent, doc.createNode({}));
  (doc.get(parent, true) as YAML.YAMLMap).set(key, value);
}

/** `values.yaml` with `image.repository` set to the image; everything else as the user wrote it. */
export function withImageRepository(file: string, text: string, image: string): string {
  const doc = parseDocument(file, text);
  setIn(file, doc, 'image', 'repository', image);
  return doc.toString({ lineWidth: 0 });
}

/** `values.yaml` with `image.tag` set (what the release does at packaging time). */
export function withImageTag(file: string, text: string, tag: string): string {
  const doc = parseDocument(file, text);
  setIn(file, doc, 'image', 'tag', tag);
  return doc.toString({ lineWidth: 0 });
}

/** `Chart.yaml` with the source annotation set; everything else as the user wrote it. */
export function withSourceAnnotation(file: string, text: string, source: string): string {
  const doc = parseDocument(file, text);
  setIn(file, doc, 'annotations', SOURCE_ANNOTATION, source);
  return doc.toString({ lineWidth: 0 });
}

/** The values the templates must use, so that the published chart runs the published image. */
const IMAGE_VALUES = ['image.repository', 'image.tag'] as const;

/**
 * The image values no template (helpers included) refers to, as `.Values.image.repository` or
 * `.Values.image.tag`; empty when the chart uses both.
 */
export function unusedImageValues(templates: readonly string[]): string[] {
  return IMAGE_VALUES.filter((v) => !templates.some((t) => new RegExp(`\\.Values\\.${v.replace('.', '\\.')}\\b`).test(t)));
}
