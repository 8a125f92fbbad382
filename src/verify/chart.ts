import * as YAML from 'yaml';
import { chartTag } from '../chart/artifact';
import { HELM_MEDIA_TYPES } from '../chart/chart';
import { gunzipTar } from '../chart/tar';
import { ModelFileChart } from '../plan/model-file';
import { RegistryClient } from '../registry/client';

/** What to check a published chart against. */
export interface ChartVerifyInput {
  readonly chart: ModelFileChart;
  /** The chart's repository name in the registry, e.g. `acme/charts/operator`. */
  readonly name: string;
  /** The release's version: the chart's `version`, `appVersion` and `image.tag`. */
  readonly version: string;
  /** The image the values must point at, e.g. `ghcr.io/acme/operator`. */
  readonly image: string;
}

/** The chart checks: one line per failure, the number of checks made, and the artifact's digest when found. */
export interface ChartVerifyReport {
  readonly failures: string[];
  readonly checks: number;
  readonly digest?: string;
}

/**
 * Checks the chart released with the image: the artifact for the version exists in the chart
 * repository, has Helm's config and content media types, its metadata's `version` and `appVersion`
 * are the release's version, and (when the chart's image values are managed) its values point at
 * the model's image with the version as tag. Each failure names the chart.
 */
export async function verifyChart(client: RegistryClient, input: ChartVerifyInput): Promise<ChartVerifyReport> {
  const failures: string[] = [];
  let checks = 0;
  const ref = `chart ${input.chart.artifact}:${chartTag(input.version)}`;
  const check = (ok: boolean, failure: string) => {
    checks++;
    if (!ok) failures.push(`${ref}: ${failure}`);
    return ok;
  };
  const manifest = await client.manifest(input.name, chartTag(input.version));
  if (!check(manifest !== undefined, 'is missing (no chart was pushed for this version)')) return { failures, checks };
  const config = manifest!.json.config;
  const content = (manifest!.json.layers ?? []).find((l: any) => l.mediaType === HELM_MEDIA_TYPES.content);
  const configOk = check(config?.mediaType === HELM_MEDIA_TYPES.config, `its config is ${config?.mediaType ?? 'missing'}, not a Helm chart config (${HELM_MEDIA_TYPES.config})`);
  check(content !== undefined, `has no ${HELM_MEDIA_TYPES.content} layer (layers: ${(manifest!.json.layers ?? []).map((l: any) => l.mediaType).join(', ') || 'none'})`);
  if (configOk) {
    const metadata = await client.jsonBlob(input.name, config.digest);
    for (const key of ['version', 'appVersion']) {
      check(metadata?.[key] === input.version, `its ${key} is ${JSON.stringify(metadata?.[key] ?? null)}, expected "${input.version}"`);
    }
  }
  if (content !== undefined && input.chart.manageImageValues) {
    const entries = gunzipTar(await client.blob(input.name, content.digest));
    const valuesFile = `${input.chart.name}/values.yaml`;
    const values = entries.find((e) => e.name === valuesFile);
    if (check(values !== undefined, `its package has no ${valuesFile}`)) {
      const image = YAML.parse(values!.data.toString('utf-8'))?.image ?? {};
      check(image.repository === input.image, `its values' image.repository is ${JSON.stringify(image.repository ?? null)}, expected "${input.image}"`);
      check(String(image.tag ?? '') === input.version, `its values' image.tag is ${JSON.stringify(image.tag ?? null)}, expected "${input.version}"`);
    }
  }
  return { failures, checks, digest: manifest!.digest };
}
