import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalRegistry, startLocalRegistry } from './local-registry';
import { onPath, RehearseError, run, stopRunningCommands } from './process';
import { ensureEmulation } from './qemu';
import { isImageRef, parseImageRef } from '../model/image-ref';
import { ModelFile } from '../plan/model-file';
import { planRelease, ReleasePlan } from '../plan/release-plan';
import { MANIFEST_TYPES, RegistryClient } from '../registry/client';
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
  /** Seconds per phase. */
  readonly timings: Record<string, number>;
}

/**
 * Releases locally before any tag exists: plans the tags, builds every platform of the model with
 * the workflow's build-args and labels (buildah, vfs storage, chroot isolation, QEMU for foreign
 * RUN steps), pushes to a local registry under those tags with the index annotations, and verifies
 * the result. Everything it started or created is stopped and removed in `cleanup`, which the
 * caller also runs on SIGINT/SIGTERM.
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
    const plan = planRelease(opts.model, { tag: opts.tag, sha: opts.sha, existingTags: opts.existingTags, now: opts.now });
    if (plan.tags.length === 0) throw new RehearseError(`the release pipeline would push no tag for ${opts.tag}`);
    opts.progress(`rehearse: ${opts.tag} -> ${plan.tags.join(', ')}`);

    const storage = opts.storage ?? path.join(work, 'storage');
    const buildah = ['--root', path.join(storage, 'root'), '--runroot', path.join(storage, 'run'), '--storage-driver', 'vfs'];
    const tmp = path.join(work, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    const env = { ...process.env, TMPDIR: tmp };
    const list = `localhost/image-release-rehearse:${process.pid}-${Date.now()}`;
    if (opts.storage) this.undo.push(() => { void run('buildah', [...buildah, 'manifest', 'rm', list], { env, progress: () => undefined }).catch(() => undefined); });

    const dockerfile = path.join(opts.cwd, opts.model.dockerfile);
    if (!fs.existsSync(dockerfile)) throw new RehearseError(`${opts.model.dockerfile}: not found in ${opts.cwd}`);
    if (/^\s*RUN\s/im.test(fs.readFileSync(dockerfile, 'utf-8'))) this.undo.push(ensureEmulation(opts.model.platforms));

    const labelArgs = plan.labels.flatMap(([k, v]) => ['--label', `${k}=${v}`, '--annotation', `${k}=${v}`]);
    const buildArgs = plan.buildArgs.flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
    await phase('build', async () => {
      opts.progress(`rehearse: building ${opts.model.platforms.join(', ')} with buildah`);
      await run('buildah', [...buildah, 'build', '--isolation', 'chroot', '--platform', opts.model.platforms.join(','), '--manifest', list,
        ...buildArgs, ...labelArgs, '-f', dockerfile, path.join(opts.cwd, opts.model.context)], { env, progress: opts.progress });
    });

    const tags = plan.tags;
    const client = new RegistryClient({ baseUrl: registryUrl });
    await phase('push', async () => {
      opts.progress(`rehearse: pushing to ${registryUrl}`);
      await run('buildah', [...buildah, 'manifest', 'push', '--all', '--format', 'oci', '--tls-verify=false', '--quiet', list, `docker://${image}:${tags[0]}`], { env, progress: opts.progress });
      // buildah cannot annotate the index itself: add the annotations the workflow's
      // metadata-action puts at the index level, and store the index under every tag.
      const index = await client.manifest(name, tags[0]);
      if (!index) throw new RehearseError(`the pushed index is not in ${registryUrl} under ${tags[0]}`);
      const annotated = { ...index.json, annotations: { ...(index.json.annotations ?? {}), ...Object.fromEntries(plan.labels) } };
      const body = JSON.stringify(annotated);
      for (const tag of tags) await client.putManifest(name, tag, body, index.json.mediaType ?? MANIFEST_TYPES.ociIndex);
    });

    const report = await phase('verify', async () => {
      opts.progress('rehearse: verifying');
      return verifyRelease(client, { model: opts.model, plan, name, expectedRevision: opts.sha, maxSizeMb: opts.model.maxImageSizeMb });
    });
    return { image, registryUrl, plan, report, timings };
  }
}
