import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen';
import { ImageRelease, ImageReleaseOptions } from '../../src';
import { resolveModel } from '../../src/model/resolve';
import { PINS, usesRef } from '../../src/workflow/pins';
import { parseYaml, releasedNodeProject, SAMPLE_DOCKERFILE, synthBare } from '../util';

/** The attest job's permissions, and nothing else. */
const ATTEST_PERMISSIONS = { 'contents': 'read', 'packages': 'write', 'id-token': 'write', 'attestations': 'write', 'artifact-metadata': 'write' };

const standalone = (options: Partial<ImageReleaseOptions> = {}) =>
  parseYaml(synthBare({ image: 'ghcr.io/acme/demo', ...options })['.github/workflows/release-image.yml']);

/** The release.yml of a projen-released project with these images. */
function projenRelease(...images: ImageReleaseOptions[]): any {
  const project = releasedNodeProject();
  for (const image of images) {
    if (image.dockerfile) {
      fs.mkdirSync(path.join(project.outdir, path.dirname(image.dockerfile)), { recursive: true });
      fs.writeFileSync(path.join(project.outdir, image.dockerfile), SAMPLE_DOCKERFILE);
    }
    new ImageRelease(project, image);
  }
  return parseYaml(Testing.synth(project)['.github/workflows/release.yml']);
}

/** A job's needs as a list (projen writes a single one as a string). */
const needsOf = (job: any): string[] => [].concat(job.needs ?? []);
const usesOf = (job: any) => job.steps.filter((s: any) => s.uses).map((s: any) => s.uses);

describe.each([
  ['standalone', () => standalone(), ''],
  ['projen release', () => projenRelease({ image: 'ghcr.io/acme/demo' }), 'image_'],
])('the attest job (%s trigger)', (_trigger, workflow, prefix) => {
  const wf = workflow();
  const attest = wf.jobs[`${prefix}attest`];
  const digest = `\${{ needs.${prefix}publish.outputs.digest }}`;

  test('waits for the publish job and has exactly the permissions attesting needs', () => {
    expect(needsOf(attest)).toEqual([`${prefix}publish`]);
    expect(attest.permissions).toEqual(ATTEST_PERMISSIONS);
  });

  test('attests provenance and the SBOM of each platform, all of the index digest the publish job reports, pushed to the registry', () => {
    const attestSteps = attest.steps.filter((s: any) => s.uses === usesRef(PINS.attest));
    expect(attestSteps.map((s: any) => s.with)).toEqual([
      { 'subject-name': 'ghcr.io/acme/demo', 'subject-digest': digest, 'push-to-registry': true },
      { 'subject-name': 'ghcr.io/acme/demo', 'subject-digest': digest, 'push-to-registry': true, 'sbom-path': 'sbom-linux_amd64.spdx.json' },
      { 'subject-name': 'ghcr.io/acme/demo', 'subject-digest': digest, 'push-to-registry': true, 'sbom-path': 'sbom-linux_arm64.spdx.json' },
    ]);
  });

  test('writes each platform\'s SBOM with the scan\'s pinned Trivy, from the index by digest', () => {
    const trivy = attest.steps.filter((s: any) => s.uses === usesRef(PINS.trivy));
    expect(trivy.map((t: any) => t.env.TRIVY_PLATFORM)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(trivy[1].with).toMatchObject({ 'image-ref': `ghcr.io/acme/demo@${digest}`, 'format': 'spdx-json', 'output': 'sbom-linux_arm64.spdx.json', 'version': 'v0.70.0' });
  });

  test('names the private-repository limit and the option that turns it off where the attest steps fail', () => {
    const names = attest.steps.filter((s: any) => s.uses === usesRef(PINS.attest)).map((s: any) => s.name);
    for (const name of names) expect(name).toContain('GitHub Enterprise Cloud, else set attestations: { provenance: false, sbom: false }');
  });

  test('the verify job waits for the attestations and checks their signatures with gh', () => {
    const verify = wf.jobs[`${prefix}verify`];
    expect(needsOf(verify)).toEqual([`${prefix}publish`, `${prefix}attest`]);
    const gh = verify.steps.find((s: any) => s.run?.includes('gh attestation verify'));
    expect(gh.run).toContain('gh attestation verify "oci://${IMAGE}@${DIGEST}" --repo "${GITHUB_REPOSITORY}" --predicate-type "${predicate}"');
    expect(gh.env).toMatchObject({ IMAGE: 'ghcr.io/acme/demo', DIGEST: digest });
    expect(verify.permissions).toEqual({ contents: 'read', packages: 'read', attestations: 'read' });
  });
});

test('the pins are the ones docs/pins.md names', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/pins.md'), 'utf-8');
  for (const pin of [PINS.attest, PINS.cosignInstaller]) expect(doc).toContain(`| ${pin.action} | ${pin.version} | \`${pin.sha}\` |`);
  const uses = usesOf(standalone({ attestations: { sign: true } }).jobs.attest);
  expect(uses).toEqual(expect.arrayContaining([usesRef(PINS.attest), usesRef(PINS.cosignInstaller)]));
});

test('signing is off by default; on, cosign signs the index by digest with the image name from the environment', () => {
  expect(usesOf(standalone().jobs.attest)).not.toContain(usesRef(PINS.cosignInstaller));
  const sign = standalone({ attestations: { sign: true } }).jobs.attest.steps.find((s: any) => s.run?.includes('cosign'));
  expect(sign.run).toBe('cosign sign --yes "${IMAGE}@${DIGEST}"');
  expect(sign.env).toEqual({ IMAGE: 'ghcr.io/acme/demo', DIGEST: '${{ needs.publish.outputs.digest }}' });
});

test.each([
  ['provenance only', { sbom: false }, ['Attest build provenance'], ['https://slsa.dev/provenance/v1']],
  ['SBOM only', { provenance: false }, ['Write the SBOM of linux/amd64', 'Attest the SBOM of linux/amd64', 'Write the SBOM of linux/arm64', 'Attest the SBOM of linux/arm64'], ['https://spdx.dev/Document/v2.3']],
])('%s: only its steps, and gh verifies only its predicate', (_name, attestations, steps, predicates) => {
  const wf = standalone({ attestations });
  const names = wf.jobs.attest.steps.map((s: any) => s.name).filter((n: string) => !n.startsWith('Log in'));
  expect(names.map((n: string) => steps.find((s) => n.startsWith(s)))).toEqual(steps);
  const gh = wf.jobs.verify.steps.find((s: any) => s.run?.includes('gh attestation verify'));
  expect(gh.env.PREDICATES).toBe(predicates.map((p) => `${p}\n`).join(''));
});

test('with every attestation off there is no attest job, and verify neither waits for it nor reads attestations', () => {
  const wf = standalone({ attestations: { provenance: false, sbom: false } });
  expect(wf.jobs.attest).toBeUndefined();
  expect(needsOf(wf.jobs.verify)).toEqual(['publish']);
  expect(wf.jobs.verify.permissions).toEqual({ contents: 'read', packages: 'read' });
  expect(JSON.stringify(wf.jobs.verify)).not.toContain('gh attestation');
});

test('several images in projen\'s release workflow: each has its own attest job on its own publish job', () => {
  const source = { source: 'https://github.com/acme/operator' };
  const wf = projenRelease(
    { id: 'operator', image: 'ghcr.io/acme/operator', labels: source },
    { id: 'webhook', image: 'ghcr.io/acme/webhook', dockerfile: 'webhook/Dockerfile', context: 'webhook', labels: source },
  );
  for (const [id, image] of [['operator', 'ghcr.io/acme/operator'], ['webhook', 'ghcr.io/acme/webhook']]) {
    const attest = wf.jobs[`image_${id}_attest`];
    expect(needsOf(attest)).toEqual([`image_${id}_publish`]);
    expect(attest.steps.find((s: any) => s.uses === usesRef(PINS.attest)).with)
      .toMatchObject({ 'subject-name': image, 'subject-digest': `\${{ needs.image_${id}_publish.outputs.digest }}` });
    expect(needsOf(wf.jobs[`image_${id}_verify`])).toEqual([`image_${id}_publish`, `image_${id}_attest`]);
  }
});

describe('options', () => {
  const facts = { name: 'demo', hasProjenRelease: false };
  test('attestations default to provenance and SBOM, unsigned', () => {
    expect(resolveModel({ image: 'ghcr.io/acme/demo' }, facts).attestations).toEqual({ provenance: true, sbom: true, sign: false });
  });

  test.each([
    [{ attestations: false }, 'attestations: false must be an object (AttestationOptions), got a boolean; to attest nothing, write attestations: { provenance: false, sbom: false }'],
    [{ attestations: { provenace: false } }, 'attestations.provenace: unknown option of AttestationOptions; did you mean "provenance"?'],
  ])('%j is refused, naming the option', (options, message) => {
    expect(() => resolveModel({ image: 'ghcr.io/acme/demo', ...(options as any) }, facts)).toThrow(message);
  });

  test('the SBOM uses scan.trivyVersion even with the scan off', () => {
    const model = resolveModel({ image: 'ghcr.io/acme/demo', scan: { enabled: false, trivyVersion: 'v0.69.0' } }, facts);
    expect(model.scan.trivyVersion).toBe('v0.69.0');
    expect(() => resolveModel({ image: 'ghcr.io/acme/demo', scan: { enabled: false, trivyVersion: 'v0.69.0' }, attestations: { sbom: false } }, facts))
      .toThrow('scan.trivyVersion: "v0.69.0" has no effect because scan.enabled is false');
  });
});

test('the model file tells verify which attestations to look for', () => {
  const model = synthBare({ image: 'ghcr.io/acme/demo', attestations: { sbom: false } })['.projen/image-release.json'];
  expect(model.attestations).toEqual({ provenance: true, sbom: false });
});
