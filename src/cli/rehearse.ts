import { parseArgs, UsageError } from './args';
import { CliEnvironment, commitOf, commitTime, existingTags, ImageReleaseTarget, loadModels, modelRoot, registryUrlFlag, RELEASE_FLAGS, selectReleases } from './common';
import { RegistryError } from '../registry/client';
import { RehearseError } from '../rehearse/process';
import { Rehearsal } from '../rehearse/rehearse';
import { formatReport } from '../verify/verify';

/** The help text of `image-release rehearse`. */
export const REHEARSE_HELP = `Usage: image-release rehearse [<tag>] [options]

Runs the release locally before the tag exists, as the release workflow does: computes the tags
for the release, builds the Dockerfile for each platform of the model as its own leg with the
workflow's build-args and labels (buildah with vfs storage and chroot isolation; QEMU for
foreign-platform RUN steps), pushes each leg by digest to a throwaway registry on 127.0.0.1, merges
the legs into one index with the index annotations under those tags, and runs the checks of
"image-release verify" on it. Everything it starts is stopped, also when interrupted.

Arguments:
  <tag>                  the release's git tag, e.g. v1.2.3 (shorthand for --ref refs/tags/<tag>)

Options:
  --ref <ref>            the release's git ref, e.g. refs/tags/v1.2.3
  --registry-url <url>   push to this registry instead of starting one (http, e.g. http://127.0.0.1:5000)
  --sha <sha>            the commit for the revision label (default: git rev-parse HEAD); its time
                         in this repository is every timestamp of the build, so a rehearsal of
                         the same commit gives the same digests (else the current time)
  --existing-tags <t>    comma-separated tags before the release (default: git tag --list)
  --image <name>         in a repository with several images, rehearse this one (its id or
                         reference; default: every image the tag releases, one after another)
  --storage <dir>        buildah storage to use (holding root/ and run/; default: a temp dir); for
                         working offline, pre-load the base images there (a short name in FROM,
                         such as golang:1.24, resolves on docker.io: docker.io/library/golang:1.24)
  --json                 print the result as JSON
  --help                 print this help

Needs buildah and docker-registry (apt-get install buildah docker-registry qemu-user-static).
Exit codes: 0 rehearsed and verified, 1 a check failed, 2 could not rehearse.`;

const FLAGS = [
  ...RELEASE_FLAGS,
  { name: 'registry-url', takesValue: true },
  { name: 'storage', takesValue: true },
  { name: 'image', takesValue: true },
];

/** Runs `image-release rehearse`; returns the exit code. */
export async function runRehearse(argv: readonly string[], env: CliEnvironment, out: (s: string) => void): Promise<number> {
  const { flags, positional } = parseArgs('rehearse', argv, FLAGS);
  if (flags.help) {
    out(REHEARSE_HELP);
    return 0;
  }
  const targets = selectReleases('rehearse', loadModels('rehearse', env.cwd), positional, flags.ref, flags.image);
  const registryUrl = registryUrlFlag('rehearse', flags['registry-url']);
  const outputs: string[] = [];
  const json: object[] = [];
  let failed = false;
  for (const target of targets) {
    const { data, text, passed } = await rehearseOne(target, registryUrl, flags, env);
    json.push(data);
    outputs.push(text);
    failed ||= !passed;
  }
  out(flags.json ? JSON.stringify(json.length === 1 ? json[0] : json, null, 2) : outputs.join('\n\n'));
  return failed ? 1 : 0;
}

/** Rehearses one image's release; stops what it started, also when interrupted. */
async function rehearseOne(
  { model, tag }: ImageReleaseTarget, registryUrl: string | undefined, flags: Record<string, string | boolean>, env: CliEnvironment,
) {
  const sha = commitOf(flags.sha, env.cwd);
  const rehearsal = new Rehearsal({
    cwd: modelRoot(env.cwd) ?? env.cwd,
    model,
    tag,
    sha,
    existingTags: existingTags(flags['existing-tags'], env.cwd, tag),
    now: env.now().toISOString(),
    commitTime: commitTime(env.cwd, sha),
    registryUrl,
    storage: flags.storage as string | undefined,
    progress: env.progress,
  });
  const onSignal = (signal: NodeJS.Signals) => {
    env.progress(`rehearse: ${signal}, stopping what it started`);
    rehearsal.cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await rehearsal.run();
    const data = {
      ...(model.id !== undefined ? { id: model.id } : {}),
      image: result.image,
      tags: result.plan.tags.map((t) => `${result.image}:${t}`),
      version: result.plan.version,
      legs: result.legs,
      ...result.report,
      timings: result.timings,
    };
    return { data, text: formatReport(result.image, result.report), passed: result.report.failures.length === 0 };
  } catch (e) {
    if (e instanceof RehearseError || e instanceof RegistryError) throw new UsageError(`rehearse: ${e.message}`);
    throw e;
  } finally {
    rehearsal.cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
