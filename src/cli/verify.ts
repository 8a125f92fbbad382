import { parseArgs, UsageError } from './args';
import { CliEnvironment, existingTags, git, loadModels, namesImage, registryUrlFlag, RELEASE_FLAGS, selectReleases } from './common';
import { RegistryCredentials, RegistryError } from '../registry/client';
import { runVerification, VERIFY_PARTS, VerifyInputError, VerifyPart } from '../verify/run';
import { formatReport } from '../verify/verify';

/** The help text of `image-release verify`. */
export const VERIFY_HELP = `Usage: image-release verify [<tag>] [options]

Checks a published release against the model in .projen/image-release.json: every planned tag
exists and points to the same index; the index has every platform and the description annotation;
each platform's config has the OCI labels with the right version (and revision, with --sha); each
platform's compressed size is within the model's budget; when the model attests, the index has a
provenance and an SBOM attestation (found through the referrers API, or the sha256-<hex> referrers
tag), each about the index itself, the provenance of this commit and source repository. The
Sigstore signatures are not checked here: gh attestation verify oci://<image>@<digest> --repo <owner>/<repo>.

Arguments:
  <tag>                  the release's git tag, e.g. v1.2.3 (shorthand for --ref refs/tags/<tag>)

Options:
  --ref <ref>            the release's git ref, e.g. refs/tags/v1.2.3
  --image <name>         in a repository with several images, check this one (its id or
                         reference; default: every image the tag releases); with one image,
                         another reference to check instead of the model's
  --registry-url <url>   talk to this registry instead of https://<registry of the image>
                         (e.g. http://127.0.0.1:5000; the image path stays the same)
  --sha <sha>            the commit the revision label must carry (default: the tag's commit
                         from git, when known; otherwise the revision is not checked)
  --existing-tags <t>    comma-separated version tags before the release (default: git tags and
                         the registry's tags), for the highest-version latest policy
  --max-size-mb <n>      size budget per platform (default: the model's maxImageSizeMb)
  --skip-attestations    do not look for the attestations (e.g. a copy in another registry)
  --only <part>          check only the image (image) or only the chart released with it (chart);
                         the release workflow verifies the image before it pushes the chart, and
                         the chart after (default: both)
  --username <name>      registry user; the password is read from stdin (--password-stdin)
  --password-stdin       read the password or token from stdin
                         (default credentials: GITHUB_TOKEN from the environment, if set)
  --json                 print the report as JSON
  --help                 print this help

Exit codes: 0 every check passed, 1 a check failed, 2 could not check (bad flag, no model file,
registry unreachable or refusing).`;

const FLAGS = [
  ...RELEASE_FLAGS,
  { name: 'image', takesValue: true },
  { name: 'registry-url', takesValue: true },
  { name: 'max-size-mb', takesValue: true },
  { name: 'skip-attestations', takesValue: false },
  { name: 'only', takesValue: true },
  { name: 'username', takesValue: true },
  { name: 'password-stdin', takesValue: false },
];

function credentials(flags: Record<string, string | boolean>, env: CliEnvironment): RegistryCredentials | undefined {
  if (flags['password-stdin']) {
    const password = env.readStdin().replace(/\r?\n$/, '');
    if (!password) throw new UsageError('verify: --password-stdin read nothing from stdin');
    return { username: (flags.username as string | undefined) ?? 'token', password };
  }
  if (flags.username) throw new UsageError('verify: --username needs --password-stdin');
  const token = env.env.GITHUB_TOKEN;
  return token ? { username: env.env.GITHUB_ACTOR ?? 'token', password: token } : undefined;
}

/** Runs `image-release verify`; returns the exit code. */
export async function runVerify(argv: readonly string[], env: CliEnvironment, out: (s: string) => void): Promise<number> {
  const { flags, positional } = parseArgs('verify', argv, FLAGS);
  if (flags.help) {
    out(VERIFY_HELP);
    return 0;
  }
  const targets = selectReleases('verify', loadModels('verify', env.cwd), positional, flags.ref, flags.image, true);
  const maxSizeMb = flags['max-size-mb'] !== undefined ? Number(flags['max-size-mb']) : undefined;
  if (maxSizeMb !== undefined && !(maxSizeMb > 0)) throw new UsageError(`verify: --max-size-mb "${flags['max-size-mb']}" is not a positive number`);
  const only = flags.only as VerifyPart | undefined;
  if (only !== undefined && !VERIFY_PARTS.includes(only)) throw new UsageError(`verify: --only "${only}" is not a part; use ${VERIFY_PARTS.join(' or ')}`);
  const chartless = targets.find((t) => !t.model.chart);
  if (only === 'chart' && chartless) throw new UsageError(`verify: --only chart: the model of ${chartless.model.image} has no chart`);
  const registryUrl = registryUrlFlag('verify', flags['registry-url']);
  const creds = credentials(flags, env);
  const outputs: string[] = [];
  const json: object[] = [];
  let failed = false;
  for (const { model, tag } of targets) {
    const override = flags.image !== undefined && !namesImage(model, String(flags.image)) ? String(flags.image) : undefined;
    const { image, report } = await verifyOne({
      model,
      tag,
      image: override,
      registryUrl,
      expectedRevision: (flags.sha as string | undefined) ?? git(env.cwd, ['rev-list', '-n', '1', tag]),
      existingTags: existingTags(flags['existing-tags'], env.cwd, tag),
      addRegistryTags: flags['existing-tags'] === undefined,
      maxSizeMb,
      skipAttestations: flags['skip-attestations'] === true,
      credentials: creds,
      now: env.now().toISOString(),
      only,
    });
    json.push({ ...(model.id !== undefined ? { id: model.id } : {}), image, ...report });
    outputs.push(formatReport(image, report));
    failed ||= report.failures.length > 0;
  }
  out(flags.json ? JSON.stringify(json.length === 1 ? json[0] : json, null, 2) : outputs.join('\n\n'));
  return failed ? 1 : 0;
}

/** Verifies one image's release; registry and input problems are usage errors (exit 2). */
async function verifyOne(request: Parameters<typeof runVerification>[0]): ReturnType<typeof runVerification> {
  try {
    return await runVerification(request);
  } catch (e) {
    if (e instanceof RegistryError) throw new UsageError(`verify: could not check: ${e.message}`);
    if (e instanceof VerifyInputError) throw new UsageError(`verify: ${e.message}`);
    throw e;
  }
}
