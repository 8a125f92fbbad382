import { Descriptor, RegistryClient, referrersTag, ReferrersSource } from '../registry/client';

/**
 * The attestations of a release's index, as actions/attest pushes them: one OCI manifest per
 * attestation whose `subject` is the index and whose one layer is a Sigstore bundle (media type
 * `application/vnd.dev.sigstore.bundle.v0.3+json`) holding a DSSE envelope, whose payload is a
 * base64 in-toto statement. This reads and checks the statements; it does not check the Sigstore
 * signatures (that needs the trust root and network: `gh attestation verify`).
 * @see https://github.com/sigstore/protobuf-specs (bundle), https://github.com/in-toto/attestation (statement)
 */

/** The start of every Sigstore bundle media type (v0.3 and the older `+json;version=0.x`). */
export const SIGSTORE_BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle';

/** The predicate types the release attests. */
export const PREDICATE_TYPES = {
  provenance: 'https://slsa.dev/provenance/v1',
  /** actions/attest writes `https://spdx.dev/Document/v<spdxVersion>`. */
  spdx: 'https://spdx.dev/Document/',
  cyclonedx: 'https://cyclonedx.org/bom',
} as const;

/** What to look for. */
export interface AttestationExpectation {
  /** The repository name in the registry. */
  readonly name: string;
  /** The index digest: every statement's subject. */
  readonly indexDigest: string;
  /** Platform manifests of the index by digest, to name one a statement is about instead. */
  readonly platformDigests: Readonly<Record<string, string>>;
  readonly provenance: boolean;
  readonly sbom: boolean;
  /** The commit the provenance must name, when known. */
  readonly revision?: string;
  /** The repository URL (the source label) the provenance must name, when known. */
  readonly repository?: string;
}

/** What was found: where, and the predicate types of the statements read. */
export interface AttestationSummary {
  readonly source: ReferrersSource;
  readonly predicateTypes: string[];
}

/** A statement read from a referrer, with the referrer's digest. */
interface Statement {
  readonly referrer: string;
  readonly json: any;
}

/**
 * Finds the index's attestations and checks them; calls `check` once per check, with the failure
 * line to report when it does not hold.
 */
export async function checkAttestations(
  client: RegistryClient, want: AttestationExpectation, check: (ok: boolean, failure: string) => boolean,
): Promise<AttestationSummary> {
  const { source, descriptors } = await client.referrers(want.name, want.indexDigest);
  const where = source === 'referrers API' ? 'the referrers API' : `the referrers tag ${referrersTag(want.indexDigest)}`;
  const statements: Statement[] = [];
  for (const d of descriptors.filter(isSigstoreBundle)) {
    const statement = await readStatement(client, want.name, d, check);
    if (statement) statements.push(statement);
  }
  const summary = { source, predicateTypes: statements.map((s) => String(s.json.predicateType)) };
  if (!check(statements.length > 0, `no attestation of the index ${want.indexDigest} (looked in ${where})`)) return summary;

  for (const s of statements) {
    const subjects: string[] = (s.json.subject ?? []).map((x: any) => `sha256:${x?.digest?.sha256}`);
    const platform = subjects.map((d) => Object.entries(want.platformDigests).find(([, pd]) => pd === d)?.[0]).find((p) => p);
    check(subjects.includes(want.indexDigest), `${kindOf(s.json.predicateType)} attestation ${s.referrer} is about ${platform
      ? `the ${platform} manifest ${subjects.join(', ')}` : subjects.join(', ') || 'no subject'}, not the index ${want.indexDigest}`);
  }
  const provenance = statements.filter((s) => s.json.predicateType === PREDICATE_TYPES.provenance);
  if (want.provenance && check(provenance.length > 0, `no provenance attestation (${PREDICATE_TYPES.provenance}) of the index ${want.indexDigest}`)) {
    for (const s of provenance) checkProvenance(s, want, check);
  }
  if (want.sbom) {
    const sbom = statements.some((s) => isSbom(s.json.predicateType));
    check(sbom, `no SBOM attestation (SPDX ${PREDICATE_TYPES.spdx}… or CycloneDX ${PREDICATE_TYPES.cyclonedx}) of the index ${want.indexDigest}`);
  }
  return summary;
}

function isSigstoreBundle(d: Descriptor): boolean {
  return (d.artifactType ?? '').startsWith(SIGSTORE_BUNDLE_TYPE);
}

function isSbom(predicateType: unknown): boolean {
  return typeof predicateType === 'string' && (predicateType.startsWith(PREDICATE_TYPES.spdx) || predicateType === PREDICATE_TYPES.cyclonedx);
}

function kindOf(predicateType: unknown): string {
  if (predicateType === PREDICATE_TYPES.provenance) return 'provenance';
  return isSbom(predicateType) ? 'SBOM' : `${String(predicateType)}`;
}

/**
 * The in-toto statement of one referrer: its manifest's subject must be the index, its layer a
 * Sigstore bundle with a DSSE envelope. A bundle without one (a cosign signature) is no statement.
 */
async function readStatement(
  client: RegistryClient, name: string, d: Descriptor, check: (ok: boolean, failure: string) => boolean,
): Promise<Statement | undefined> {
  const manifest = await client.manifest(name, d.digest);
  if (!check(manifest !== undefined, `attestation manifest ${d.digest} is listed but missing`)) return undefined;
  const layer = (manifest!.json.layers ?? []).find((l: any) => String(l.mediaType).startsWith(SIGSTORE_BUNDLE_TYPE));
  if (!check(layer !== undefined, `attestation manifest ${d.digest} has no Sigstore bundle layer`)) return undefined;
  const bundle = await client.jsonBlob(name, layer.digest);
  const envelope = bundle?.dsseEnvelope;
  if (envelope === undefined) return undefined;
  let json: any;
  try {
    json = JSON.parse(Buffer.from(String(envelope.payload), 'base64').toString('utf-8'));
  } catch {
    json = undefined;
  }
  if (!check(json !== undefined && envelope.payloadType === 'application/vnd.in-toto+json', `attestation ${d.digest}: the DSSE envelope holds no in-toto statement`)) return undefined;
  return { referrer: d.digest, json };
}

/**
 * The provenance names this repository and commit: actions/attest's SLSA v1 predicate has the
 * repository URL at `buildDefinition.externalParameters.workflow.repository` and the commit at
 * `buildDefinition.resolvedDependencies[].digest.gitCommit`.
 */
function checkProvenance(s: Statement, want: AttestationExpectation, check: (ok: boolean, failure: string) => boolean): void {
  const definition = s.json.predicate?.buildDefinition ?? {};
  const commits: string[] = (definition.resolvedDependencies ?? []).map((r: any) => r?.digest?.gitCommit).filter((c: unknown) => typeof c === 'string');
  if (want.revision !== undefined) {
    check(commits.includes(want.revision), `provenance attestation ${s.referrer} is of commit ${commits.join(', ') || '(none)'}, expected ${want.revision}`);
  }
  const repository = definition.externalParameters?.workflow?.repository;
  if (want.repository !== undefined) {
    check(sameRepository(repository, want.repository), `provenance attestation ${s.referrer} was built in ${repository ?? '(no repository)'}, expected ${want.repository} (the source label)`);
  }
}

/** Repository URLs compared without case, a trailing `/` or `.git`. */
function sameRepository(a: unknown, b: string): boolean {
  const norm = (u: string) => u.trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');
  return typeof a === 'string' && norm(a) === norm(b);
}
