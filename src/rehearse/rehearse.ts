import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Buildah, buildLeg, mergeLegs, pushByDigest, PushedManifest } from './legs';
import { LocalRegistry, startLocalRegistry } from './local-registry';
import { onPath, RehearseError, stopRunningCommands } from './process';
import { ensureEmulation } from './qemu';
import { machineRegistriesConf, rehearsalRegistriesConf } from './registries-conf';
import { packageChart } from '../chart/artifact';
import { isImageRef, parseImageRef } from '../model/image-ref';
import { ModelFile } from '../plan/model-file';
import { planRelease, ReleasePlan } from '../plan/release-plan';
import { RegistryClient } from '../registry/client';
import { verifyChart } from '../verify/chart';
import { withChart } from '../verify/run';
import { verifyRelease, VerifyReport } from '../verify/verify';

/** What to rehearse. */
export interface RehearseOptions {
  /** The project root (holds the Dockerfile and the context). */
  readonly cwd: string;
  readonly model: ModelFile;
  readonly tag: string;
  readonly sha: string;
  readonly existingTags: readonly string[];
  readonly now: string;
  /**
   * The time of the commit, in seconds since the epoch: every timestamp of the build (buildah's
   * `--timestamp`, `SOURCE_DATE_EPOCH`, the created label and annotations), so that a rehearsal
   * of the same commit gives the same digests. Without it, the current time.
   */
  readonly commitTime?: number;
  /** Push to this registry instead of starting one. */
  readonly registryUrl?: string;
  /** A buildah storage directory to reuse (holding `root/` and `run/`); default: a temp dir. */
  readonly storage?: string;
  readonly progress: (line: string) => void;
}

/** What the rehearsal did. */
export interface RehearseResult {
  readonly image: string;
  readonly registryUrl: string;
  readonly plan: ReleasePlan;
  readonly report: VerifyReport;
  /** Seconds per phase: `registry`, `build <platform>` and `push <platform>` per leg, `merge`, `verify` (the image), `chart` (its push and check, with a chart). */
  readonly timings: Record<string, number>;
  /** The digest each leg was pushed by, per platform. */
  readonly legs: Record<string, string>;
}

/**
 * Releases locally before any tag exists, as the release workflow does: plans the tags, builds each
 * platform of the model as its own leg with the workflow's build-args and labels (buildah, vfs
 * storage, chroot isolation, QEMU for foreign RUN steps), pushes each leg by digest to a local
 * registry, merges the leg digests into one index with the index annotations under every planned
 * tag, verifies the image, then (when the model has one) packages and pushes the chart as Helm
 * would and verifies it: the release workflow's order. Everything it started or created is stopped and removed in `cleanup`, which the caller
 * also runs on SIGINT/SIGTERM.
 */
export class Rehearsal {
  private readonly undo: Array<() => void> = [];

  constructor(private readonly opts: RehearseOptions) {}

  /** Stops the registry, removes temp files and undoes QEMU registration; safe to call twice. */
  public cleanup(): void {
    stopRunningCommands();
    while (this.undo.length > 0) {
      try {
        this.undo.pop()!();
      } catch {
        // keep cleaning
      }
    }
  }

  public async run(): Promise<RehearseResult> {
    const { opts } = this;
    const timings: Record<string, number> = {};
    const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = Date.now();
      try {
        return await fn();
      } finally {
        timings[name] = (Date.now() - t0) / 1000;
      }
    };
    const missing = ['buildah', ...(opts.registryUrl ? [] : ['docker-registry'])].filter((c) => !onPath(c));
    if (missing.length > 0) {
      throw new RehearseError(`rehearse needs ${missing.join(' and ')}: apt-get install ${missing.join(' ')}`);
    }
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'image-release-rehearse-'));
    this.undo.push(() => fs.rmSync(work, { recursive: true, force: true }));

    let registry: LocalRegistry | undefined;
    const registryUrl = opts.registryUrl ?? await phase('registry', async () => {
      opts.progress('rehearse: starting a throwaway registry on 127.0.0.1');
      registry = await startLocalRegistry(path.join(work, 'registry'));
      this.undo.push(() => registry!.stop());
      return registry.url;
    });
    const host = new URL(registryUrl).host;
    const ref = parseImageRef(opts.model.image);
    if (!isImageRef(ref)) throw new RehearseError(`image "${opts.model.image}" ${ref.error}`);
    const name = ref.repository;
    const image = `${host}/${name}`;
    const { tag, sha, existingTags, now, commitTime } = opts;
    const plan = planRelease(opts.model, { tag, sha, existingTags, now, commitTime });
    if (plan.tags.length === 0) throw new RehearseError(`the release pipeline would push no tag for ${opts.tag}`);
    opts.progress(`rehearse: ${opts.tag} -> ${plan.tags.join(', ')}`);
    if (opts.commitTime === undefined) {
      opts.progress(`rehearse: ${opts.sha} is not a commit of this repository, so the build takes the current time and its digests are not reproducible`);
    }

    const storage = opts.storage ?? path.join(work, 'storage');
    const tmp = path.join(work, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    // Short names in FROM resolve on docker.io, as in the workflow's Docker builds.
    const registriesConf = path.join(work, 'registries.conf');
    fs.writeFileSync(registriesConf, rehearsalRegistriesConf(machineRegistriesConf()));
    const buildah = new Buildah(storage, tmp, registriesConf);

    const dockerfile = path.join(opts.cwd, opts.model.dockerfile);
    if (!fs.existsSync(dockerfile)) throw new RehearseError(`${opts.model.dockerfile}: not found in ${opts.cwd}`);
    if (/^\s*RUN\s/im.test(fs.readFileSync(dockerfile, 'utf-8'))) this.undo.push(ensureEmulation(opts.model.platforms));

    const id = `${process.pid}-${Date.now()}`;
    const legs = opts.model.platforms.map((platform) => ({ platform, image: `localhost/image-release-rehearse-leg:${id}-${platform.replace(/\//g, '-')}` }));
    if (opts.storage) this.undo.push(() => buildah.removeImagesSync(legs.map((l) => l.image)));

    const tags = plan.tags;
    const client = new RegistryClient({ baseUrl: registryUrl });
    opts.progress(`rehearse: building ${opts.model.platforms.join(', ')} with buildah, one leg per platform, each pushed by digest to ${registryUrl}`);
    // Each leg is built, then pushed at once, like a leg's runner; the first failure stops the others,
    // and what they say after being stopped is not news.
    const stop = new AbortController();
    let failure: unknown;
    const pushed: PushedManifest[] = [];
    await Promise.allSettled(legs.map(async (leg, i) => {
      try {
        await phase(`build ${leg.platform}`, () => buildLeg(buildah, {
          ...leg,
          dockerfile,
          context: path.join(opts.cwd, opts.model.context),
          buildArgs: plan.buildArgs,
          labels: plan.labels,
          timestamp: opts.commitTime,
          describe: { dockerfile: opts.model.dockerfile, storage: opts.storage },
          progress: opts.progress,
          signal: stop.signal,
        }));
        pushed[i] = await phase(`push ${leg.platform}`, () => pushByDigest(buildah, client, leg.image, name, path.join(work, `leg-${i}`), stop.signal));
        opts.progress(`  ${leg.platform}: pushed ${pushed[i].digest}`);
      } catch (e) {
        if (!stop.signal.aborted) failure = e;
        stop.abort();
      }
    }));
    if (failure !== undefined) throw failure;

    await phase('merge', async () => {
      opts.progress(`rehearse: merging ${legs.length} legs into one index tagged ${tags.join(', ')}`);
      // The index annotations the workflow's metadata-action puts at the index level.
      await mergeLegs(client, name, pushed.map((p) => p.digest), Object.fromEntries(plan.labels), tags);
    });

    // In the release workflow's order: the image is verified before the chart is pushed, the chart after.
    const released = await phase('verify', async () => {
      opts.progress('rehearse: verifying');
      return verifyRelease(client, {
        model: opts.model, plan, name, expectedRevision: opts.sha, maxSizeMb: opts.model.maxImageSizeMb,
      });
    });

    // As in the workflow, whose chart job needs the verify job: a failed image publishes no chart.
    const chart = released.failures.length === 0 ? opts.model.chart : undefined;
    const report = !chart ? released : await phase('chart', async () => {
      const chartName = chart.artifact.split('/').slice(1).join('/');
      opts.progress(`rehearse: packaging ${chart.directory} as ${chart.name} ${plan.version} and pushing it to ${registryUrl}/${chartName}`);
      await pushChart(client, chartName, packageChart({
        directory: path.join(opts.cwd, chart.directory),
        version: plan.version,
        imageTag: chart.manageImageValues ? plan.version : undefined,
        created: opts.now,
      }));
      const charted = await verifyChart(client, { chart, name: chartName, version: plan.version, image: opts.model.image });
      return withChart(released, chart.artifact, plan.version, charted);
    });
    return { image, registryUrl, plan, report, timings, legs: Object.fromEntries(legs.map((l, i) => [l.platform, pushed[i].digest])) };
  }
}

/** Pushes a chart artifact as `helm push` does: both blobs, then the manifest under the version's tag. */
async function pushChart(client: RegistryClient, name: string, artifact: ReturnType<typeof packageChart>): Promise<void> {
  const manifest = JSON.parse(artifact.manifest);
  await client.putBlob(name, manifest.config.digest, artifact.config);
  await client.putBlob(name, manifest.layers[0].digest, artifact.content);
  await client.putManifest(name, artifact.tag, artifact.manifest, manifest.mediaType);
}
