import { PermissionLevel } from './model';

/**
 * The permissions of every image job, each with the reason written beside it in the workflow
 * (`packages: write  # push the platform image by digest`): the grant and its reason are one
 * value, so neither changes without the other.
 */

/** A permission a job is granted, and why the job needs it. */
export interface Grant {
  readonly level: PermissionLevel;
  /** Why the job needs this access: the comment written after the grant. */
  readonly why: string;
}

/** A job's permissions, by wire name (`security-events`). */
export type Grants = Readonly<Record<string, Grant>>;

function read(why: string): Grant {
  return { level: 'read', why };
}

function write(why: string): Grant {
  return { level: 'write', why };
}

/** The permissions of each kind of image job, with their reasons; optional grants are taken out by the job. */
export const JOB_GRANTS = {
  /** A platform's build, pushed by digest. */
  build: {
    contents: read('check out the build context; metadata-action reads the repository'),
    packages: write('push the platform image by digest'),
  },
  /** A platform's scan; `security-events` only with the SARIF upload. */
  scan: {
    'contents': read('check out the .trivyignore Trivy reads'),
    'packages': read('pull the platform image to scan it'),
    'security-events': write('upload the report to code scanning'),
  },
  /** The index and the tags. */
  publish: {
    contents: read('metadata-action and the highest-version check read the repository and its tags'),
    packages: write('create the index and push its tags'),
  },
  /** The attestations (and signature) of the index. */
  attest: {
    'contents': read('actions/attest reads the repository it attests for'),
    'packages': write('push the attestations and the signature next to the index'),
    'id-token': write('the OIDC token Sigstore signs the attestations with'),
    'attestations': write('record the attestations in the repository'),
    'artifact-metadata': write('store the attestations\' storage record'),
  },
  /** The verification of the published release; `attestations` only when the release has some. */
  verify: {
    contents: read('check out the model file and the locked CLI'),
    packages: read('read the published index, its tags and referrers'),
    attestations: read('gh attestation verify reads this repository\'s attestations'),
  },
  /** The chart's package and push. */
  chart: {
    contents: read('check out the chart'),
    packages: write('push the chart'),
  },
  /** The verification of the published chart. */
  verifyChart: {
    contents: read('check out the model file and the locked CLI'),
    packages: read('read the published chart'),
  },
  /** A platform's build check; `packages` only with the registry cache. */
  check: {
    contents: read('check out the build context'),
    packages: read('read the registry build cache'),
  },
  /** The re-scan's list of supported releases. */
  rescanReleases: {
    contents: read('list the repository\'s release tags'),
  },
  /** The re-scan of one release and platform. */
  rescanScan: {
    'contents': read('upload-sarif reads the commit it reports on'),
    'packages': read('pull the released image to scan it'),
    'security-events': write('upload the report to code scanning'),
  },
  /** The retention workflow's prune. */
  prune: {
    contents: read('check out the model file and the locked CLI'),
    packages: write('delete the package versions the retention rules select'),
  },
} as const satisfies Readonly<Record<string, Grants>>;

/** The grants of a job kind without the named optional ones. */
export function without(grants: Grants, ...left: ReadonlyArray<string | false>): Grants {
  return Object.fromEntries(Object.entries(grants).filter(([key]) => !left.includes(key)));
}

/** The permission levels alone, as the wire and projen's job model hold them. */
export function levelsOf(grants: Grants): Record<string, PermissionLevel> {
  return Object.fromEntries(Object.entries(grants).map(([key, g]) => [key, g.level]));
}
