import { createHash } from 'crypto';
import { Descriptor, MANIFEST_TYPES, RegistryClient, referrersTag } from '../../src/registry/client';
import { PREDICATE_TYPES } from '../../src/verify/attestations';

/**
 * Attestations as actions/attest pushes them, written by hand: an OCI manifest per attestation
 * (artifactType and layer a Sigstore bundle v0.3, an empty config, `subject` the index) and, since
 * Debian's docker-registry has no referrers API (as GHCR), an index of them under the referrers tag
 * `sha256-<hex>`. Only the Sigstore part is simulated, from its documented shapes: the bundle's
 * DSSE envelope carries a real base64 in-toto statement, but its signature and verification
 * material are placeholders no trust root would accept.
 */

const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const EMPTY = { mediaType: 'application/vnd.oci.empty.v1+json', data: '{}' };

/** An in-toto statement about one digest. */
export function statement(image: string, digest: string, predicateType: string, predicate: object): object {
  return { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: image, digest: { sha256: digest.replace(/^sha256:/, '') } }], predicateType, predicate };
}

/** actions/attest's SLSA v1 provenance predicate for a repository and commit. */
export function provenance(repository: string, commit: string): object {
  return {
    buildDefinition: {
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      externalParameters: { workflow: { ref: 'refs/tags/v1.2.3', repository, path: '.github/workflows/release-image.yml' } },
      internalParameters: { github: { event_name: 'push', repository_id: '1', repository_owner_id: '2', runner_environment: 'github-hosted' } },
      resolvedDependencies: [{ uri: `git+${repository}@refs/tags/v1.2.3`, digest: { gitCommit: commit } }],
    },
    runDetails: { builder: { id: `${repository}/.github/workflows/release-image.yml@refs/tags/v1.2.3` }, metadata: { invocationId: `${repository}/actions/runs/1/attempts/1` } },
  };
}

/** A minimal SPDX 2.3 document, as the SBOM predicate. */
export const SPDX = { spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', name: 'image', dataLicense: 'CC0-1.0', packages: [] };
export const SPDX_TYPE = `${PREDICATE_TYPES.spdx}v2.3`;

const digestOf = (data: string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Pushes one attestation manifest whose subject is `subject` (a descriptor of the index); returns its descriptor. */
export async function pushAttestation(client: RegistryClient, name: string, subject: Descriptor, st: any): Promise<Descriptor> {
  const bundle = JSON.stringify({
    mediaType: BUNDLE_TYPE,
    verificationMaterial: { certificate: { rawBytes: Buffer.from('simulated certificate').toString('base64') }, tlogEntries: [] },
    dsseEnvelope: {
      payload: Buffer.from(JSON.stringify(st)).toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: Buffer.from('simulated signature').toString('base64'), keyid: '' }],
    },
  });
  for (const data of [bundle, EMPTY.data]) await client.putBlob(name, digestOf(data), Buffer.from(data));
  const annotations = { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': st.predicateType };
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_TYPES.ociManifest,
    artifactType: BUNDLE_TYPE,
    config: { mediaType: EMPTY.mediaType, digest: digestOf(EMPTY.data), size: 2 },
    layers: [{ mediaType: BUNDLE_TYPE, digest: digestOf(bundle), size: Buffer.byteLength(bundle) }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations,
  });
  const digest = await client.putManifest(name, digestOf(manifest), manifest, MANIFEST_TYPES.ociManifest);
  return { mediaType: MANIFEST_TYPES.ociManifest, digest, size: Buffer.byteLength(manifest), artifactType: BUNDLE_TYPE, annotations };
}

/** Makes `referrers` the index's referrers, through the referrers tag schema. */
export async function setReferrers(client: RegistryClient, name: string, indexDigest: string, referrers: Descriptor[]): Promise<void> {
  const index = JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPES.ociIndex, manifests: referrers });
  await client.putManifest(name, referrersTag(indexDigest), index, MANIFEST_TYPES.ociIndex);
}
