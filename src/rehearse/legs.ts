import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BuildFailureContext, describeBuildFailure, progressLine } from './build-output';
import { CommandError, RehearseError, run, RunOptions } from './process';
import { MANIFEST_TYPES, RegistryClient } from '../registry/client';

/**
 * buildah on one storage directory (vfs driver, `root/` and `run/`), with its temp files in `tmp`,
 * reading `registriesConf` instead of the machine's registries.conf when given.
 */
export class Buildah {
  private readonly global: string[];
  private readonly env: NodeJS.ProcessEnv;

  constructor(public readonly storage: string, tmp: string, registriesConf?: string) {
    this.global = ['--root', path.join(storage, 'root'), '--runroot', path.join(storage, 'run'), '--storage-driver', 'vfs'];
    this.env = { ...process.env, TMPDIR: tmp, ...(registriesConf ? { CONTAINERS_REGISTRIES_CONF: registriesConf } : {}) };
  }

  /** Runs `buildah <args>` on this storage; resolves with its stdout. */
  public run(args: readonly string[], opts: Omit<RunOptions, 'env' | 'name'> = {}): Promise<string> {
    return run('buildah', [...this.global, ...args], { ...opts, env: this.env, name: `buildah ${args[0]}` });
  }

  /** Removes local images; those that are not there are skipped (for cleanup, which cannot wait). */
  public removeImagesSync(images: readonly string[]): void {
    spawnSync('buildah', [...this.global, 'rmi', '-f', ...images], { env: this.env, stdio: 'ignore' });
  }
}

/** One platform's build. */
export interface LegBuild {
  /** e.g. `linux/arm64`. */
  readonly platform: string;
  /** The local image name the leg is committed to. */
  readonly image: string;
  /** The Dockerfile's absolute path. */
  readonly dockerfile: string;
  readonly context: string;
  readonly buildArgs: ReadonlyArray<readonly [string, string]>;
  /** Set as config labels and as manifest annotations, like the workflow's `manifest:` level. */
  readonly labels: ReadonlyArray<readonly [string, string]>;
  /**
   * Every timestamp of the image (config, history, files in the layers), in seconds since the
   * epoch, also passed as the `SOURCE_DATE_EPOCH` build arg, as buildx does in the workflow; the
   * current time when undefined.
   */
  readonly timestamp?: number;
  /** How a failure names things: the Dockerfile as the project names it, the `--storage` given. */
  readonly describe: Omit<BuildFailureContext, 'platform' | 'dockerfileText'>;
  /** Receives the steps and pulls of the build as they start. */
  readonly progress: (line: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * Builds one platform into its own local image (`buildah build --platform <one>`). A failure is a
 * RehearseError whose message is one line saying what went wrong.
 */
export async function buildLeg(buildah: Buildah, leg: LegBuild): Promise<void> {
  const args = [
    'build', '--isolation', 'chroot', '--platform', leg.platform, '--tag', leg.image,
    ...(leg.timestamp !== undefined ? ['--timestamp', String(leg.timestamp), '--build-arg', `SOURCE_DATE_EPOCH=${leg.timestamp}`] : []),
    ...leg.buildArgs.flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...leg.labels.flatMap(([k, v]) => ['--label', `${k}=${v}`, '--annotation', `${k}=${v}`]),
    '-f', leg.dockerfile, leg.context,
  ];
  try {
    await buildah.run(args, {
      signal: leg.signal,
      onLine: (l) => {
        const shown = progressLine(l);
        if (shown !== undefined) leg.progress(`  ${leg.platform}: ${shown}`);
      },
    });
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    const dockerfileText = fs.readFileSync(leg.dockerfile, 'utf-8');
    throw new RehearseError(describeBuildFailure(e.output, e.exitCode, { ...leg.describe, platform: leg.platform, dockerfileText }));
  }
}

/** A manifest pushed by digest. */
export interface PushedManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

/**
 * Pushes a local image by digest, with no tag, as one single-platform OCI manifest: buildah writes it
 * to an OCI layout in `dir`, and the client uploads the blobs the registry lacks and the manifest.
 */
export async function pushByDigest(
  buildah: Buildah, client: RegistryClient, image: string, name: string, dir: string, signal?: AbortSignal,
): Promise<PushedManifest> {
  await buildah.run(['push', '--quiet', '--format', 'oci', image, `oci:${dir}`], { signal });
  try {
    const blob = (digest: string) => path.join(dir, 'blobs', ...digest.split(':'));
    const layout = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf-8'));
    const digest: string = layout.manifests[0].digest;
    const text = fs.readFileSync(blob(digest), 'utf-8');
    const manifest = JSON.parse(text);
    await Promise.all([manifest.config, ...manifest.layers].map(async (b: { digest: string }) => {
      if (!await client.hasBlob(name, b.digest)) await client.putBlob(name, b.digest, fs.readFileSync(blob(b.digest)));
    }));
    const mediaType = manifest.mediaType ?? MANIFEST_TYPES.ociManifest;
    await client.putManifest(name, digest, text, mediaType);
    return { digest, mediaType, size: Buffer.byteLength(text) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Creates the image index from manifests already in the repository, as `docker buildx imagetools
 * create` does: each entry's platform is read from the image config it points to. The index carries
 * `annotations` and is stored under every tag; returns its digest.
 */
export async function mergeLegs(
  client: RegistryClient, name: string, digests: readonly string[], annotations: Record<string, string>, tags: readonly string[],
): Promise<string> {
  const manifests = [];
  for (const digest of digests) {
    const m = await client.manifest(name, digest);
    if (!m) throw new RehearseError(`the leg ${digest} is not in the registry`);
    const config = await client.jsonBlob(name, m.json.config.digest);
    const platform = { architecture: config.architecture, os: config.os, ...(config.variant ? { variant: config.variant } : {}) };
    manifests.push({ mediaType: m.mediaType, digest: m.digest, size: m.size, platform });
  }
  const body = JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPES.ociIndex, manifests, annotations });
  let digest = '';
  for (const tag of tags) digest = await client.putManifest(name, tag, body, MANIFEST_TYPES.ociIndex);
  return digest;
}
