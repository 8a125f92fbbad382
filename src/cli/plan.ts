import * as semver from '../semver';
import { parseArgs, UsageError } from './args';
import { CliEnvironment, commitOf, commitTime, existingTags, ImageReleaseTarget, loadModels, RELEASE_FLAGS, selectReleases } from './common';
import { ReleaseTrigger } from '../options';
import { MODEL_FILE } from '../plan/model-file';
import { planRelease, ReleasePlan } from '../plan/release-plan';

/** The help text of `image-release plan`. */
export const PLAN_HELP = `Usage: image-release plan [<tag>] [options]

Prints the image tags, version and labels the release pipeline will produce for a git tag, computed
from the model that "npx projen" wrote to ${MODEL_FILE} (run it in that repository).

Arguments:
  <tag>               the release's git tag, e.g. v1.2.3 (shorthand for --ref refs/tags/<tag>)

Options:
  --ref <ref>         the git ref of the release, e.g. refs/tags/v1.2.3
  --event <name>      push or release (default: the event the model's trigger reacts to)
  --prerelease        the GitHub release is marked pre-release (release events)
  --sha <sha>         the commit (default: git rev-parse HEAD, else zeros); its time in this
                      repository is the created label (else the current time)
  --existing-tags <t> comma-separated tags that exist before the release, for the
                      highest-version latest policy (default: git tag --list)
  --image <name>      in a repository with several images, plan this one (its id or
                      reference; default: every image the tag releases)
  --json              print JSON: {version, tags, latest, labels}
  --help              print this help

Exit codes: 0 planned, 2 could not plan (no model file, not a version, bad flag).`;

const FLAGS = [
  ...RELEASE_FLAGS,
  { name: 'event', takesValue: true },
  { name: 'prerelease', takesValue: false },
  { name: 'image', takesValue: true },
];

/** Runs `image-release plan`; returns the exit code. */
export function runPlan(argv: readonly string[], env: CliEnvironment, out: (s: string) => void): number {
  const { flags, positional } = parseArgs('plan', argv, FLAGS);
  if (flags.help) {
    out(PLAN_HELP);
    return 0;
  }
  const targets = selectReleases('plan', loadModels('plan', env.cwd), positional, flags.ref, flags.image);
  const results = targets.map((target) => planImage(target, flags, env));
  if (flags.json) {
    const data = results.map((r) => r.data);
    out(JSON.stringify(data.length === 1 ? data[0] : data, null, 2));
  } else {
    out(results.map((r) => r.text).join('\n\n'));
  }
  return 0;
}

/** The plan of one image's release, as data and as text. */
function planImage({ model, tag }: ImageReleaseTarget, flags: Record<string, string | boolean>, env: CliEnvironment): { data: object; text: string } {
  const event = flags.event as string | undefined;
  if (event !== undefined && !['push', 'release'].includes(event)) throw new UsageError(`plan: --event "${event}" is not supported; use push or release`);
  const reacts = model.trigger === ReleaseTrigger.RELEASE_PUBLISHED ? 'release' : 'push';
  if (event !== undefined && event !== reacts) {
    throw new UsageError(`plan: --event ${event} does not start this release: the model's trigger is ${model.trigger}, which runs on ${model.trigger === ReleaseTrigger.PROJEN_RELEASE ? 'a push to the release branch' : reacts}; leave --event out`);
  }
  if (flags.prerelease && model.trigger !== ReleaseTrigger.RELEASE_PUBLISHED) {
    throw new UsageError(`plan: --prerelease describes a GitHub release marked pre-release, which only the release-published trigger reads; the model's trigger is ${model.trigger}`);
  }
  const sha = commitOf(flags.sha, env.cwd);
  const plan = planRelease(model, {
    tag,
    eventName: event,
    prerelease: flags.prerelease === true,
    sha,
    existingTags: existingTags(flags['existing-tags'], env.cwd, tag),
    now: env.now().toISOString(),
    commitTime: commitTime(env.cwd, sha),
  });
  const refs = plan.tags.map((t) => `${model.image}:${t}`);
  const data = {
    ...(model.id !== undefined ? { id: model.id, image: model.image } : {}),
    version: plan.version,
    tags: refs,
    latest: plan.latest,
    labels: Object.fromEntries(plan.labels),
  };
  return { data, text: formatPlan(tag, model.image, plan, refs) };
}

function formatPlan(tag: string, image: string, plan: ReleasePlan, refs: readonly string[]): string {
  const latestWhy = plan.latest ? 'yes' : plan.tags.length === 0 ? 'no' : `no${semver.prerelease(plan.version) ? ' (pre-release)' : plan.highest ? '' : ' (not the highest version)'}`;
  return [
    `Release ${tag} of ${image} (${plan.eventName} of ${plan.ref})`,
    `version: ${plan.version || '(none)'}`,
    `latest:  ${latestWhy}`,
    'tags:',
    ...(refs.length > 0 ? refs.map((t) => `  ${t}`) : ['  (none: metadata-action would push no tag)']),
    'labels:',
    ...plan.labels.map(([k, v]) => `  ${k}=${v}`),
  ].join('\n');
}
