import { ChartVerifyReport, verifyChart } from './chart';
import { verifyRelease, VerifyReport } from './verify';
import { chartTag } from '../chart/artifact';
import { isImageRef, parseImageRef } from '../model/image-ref';
import { ModelFile } from '../plan/model-file';
import { planRelease } from '../plan/release-plan';
import { isReferrersTag, RegistryClient, RegistryCredentials } from '../registry/client';

/** A verification of one release in its registry. */
export interface VerifyRun {
  readonly model: ModelFile;
  /** The release's git tag. */
  readonly tag: string;
  /** The image to check, when not the model's (e.g. the same repository in another registry). */
  readonly image?: string;
  /** The registry's base URL, when not `https://<registry of the image>`. */
  readonly registryUrl?: string;
  /** The commit the revision label must carry; not checked when undefined. */
  readonly expectedRevision?: string;
  /** Tags before the release (for the highest-version policy); the registry's tags are added when `addRegistryTags`. */
  readonly existingTags: readonly string[];
  readonly addRegistryTags: boolean;
  readonly maxSizeMb?: number;
  /** Skip the attestations even when the model asks for them. */
  readonly skipAttestations?: boolean;
  readonly credentials?: RegistryCredentials;
  /** The current time, ISO 8601. */
  readonly now: string;
  /**
   * Check only the image (`image`: the release workflow's verify job, which runs before the chart
   * is pushed) or only the chart (`chart`: its job after the chart's push); both when undefined.
   */
  readonly only?: VerifyPart;
}

/** A part of a release that verify can check alone. */
export type VerifyPart = 'image' | 'chart';

/** The parts verify can check alone, as `--only` takes them. */
export const VERIFY_PARTS: readonly VerifyPart[] = ['image', 'chart'];

/** Thrown for an image reference that cannot be checked. */
export class VerifyInputError extends Error {}

/** Plans the release and checks it in the registry; returns the report and the client's request count. */
export async function runVerification(run: VerifyRun): Promise<{ image: string; report: VerifyReport; requests: number }> {
  const image = (run.image ?? run.model.image).toLowerCase();
  const ref = parseImageRef(image);
  if (!isImageRef(ref)) throw new VerifyInputError(`image "${image}" ${ref.error}`);
  const client = new RegistryClient({ baseUrl: run.registryUrl ?? `https://${ref.registry}`, credentials: run.credentials });
  const prefix = run.model.tagPrefix;
  // The registry's tags are image tags (`1.2.3`); as git tags they carry the release prefix.
  // Referrers tags (`sha256-<hex>`) hold attestations, not releases.
  const registryTags = run.addRegistryTags ? (await client.tags(ref.repository)).filter((t) => !isReferrersTag(t)).map((t) => (prefix !== '' ? `${prefix}${t}` : t)) : [];
  const known = [...run.existingTags, ...registryTags].filter((t) => t !== run.tag && t !== run.tag.replace(/^v/, ''));
  const plan = planRelease(run.model, { tag: run.tag, sha: run.expectedRevision ?? '', existingTags: known, now: run.now });
  const chart = run.model.chart;
  const report: VerifyReport = run.only === 'chart' ? { rows: [], failures: [], checks: 0 } : await verifyRelease(client, {
    model: run.model,
    plan,
    name: ref.repository,
    expectedRevision: run.expectedRevision,
    maxSizeMb: run.maxSizeMb ?? run.model.maxImageSizeMb,
    attestations: run.skipAttestations ? undefined : run.model.attestations,
  });
  if (!chart || run.only === 'image') return { image, report, requests: client.requests };
  // The chart's registry: the one given for the check, or its own host (a new client only for another host).
  const [chartHost, ...chartPath] = chart.artifact.split('/');
  const chartClient = run.registryUrl !== undefined || chartHost === ref.registry
    ? client
    : new RegistryClient({ baseUrl: `https://${chartHost}`, credentials: run.credentials });
  const charted = await verifyChart(chartClient, { chart, name: chartPath.join('/'), version: plan.version, image: run.model.image });
  return {
    image,
    report: withChart(report, chart.artifact, plan.version, charted),
    requests: client.requests + (chartClient === client ? 0 : chartClient.requests),
  };
}

/** The image's report with the chart's checks added. */
export function withChart(report: VerifyReport, artifact: string, version: string, chart: ChartVerifyReport): VerifyReport {
  return {
    ...report,
    failures: [...report.failures, ...chart.failures],
    checks: report.checks + chart.checks,
    chart: { reference: `${artifact}:${chartTag(version)}`, digest: chart.digest },
  };
}
