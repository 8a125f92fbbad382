/**
 * Benchmark: what the attestation checks add to `verify`: registry requests and wall time (median
 * of 7) against one amd64 release in a local registry, without and with a provenance and an SBOM
 * attestation found through the referrers tag (the path GHCR takes).
 * Run: npx ts-node --transpile-only bench/attestations.ts   (after scripts/install-oci-tools)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { ImageRelease, Platform } from '../src';
import { loadModel } from '../src/cli/common';
import { RegistryClient } from '../src/registry/client';
import { startLocalRegistry } from '../src/rehearse/local-registry';
import { PREDICATE_TYPES } from '../src/verify/attestations';
import { runVerification } from '../src/verify/run';
import { provenance, pushAttestation, setReferrers, SPDX, SPDX_TYPE, statement } from '../test/e2e/attestation-fixture';
import { buildFixtureBase, FIXTURE_DOCKERFILE } from '../test/e2e/oci-fixture';
import { cleanUp, tempDir } from '../test/util';

const RUNS = 7;
const SHA = '1'.repeat(40);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const storage = buildFixtureBase();
  const repo = tempDir();
  fs.writeFileSync(path.join(repo, 'Dockerfile'), FIXTURE_DOCKERFILE);
  const project = new Project({ name: 'bench', outdir: repo });
  new ImageRelease(project, { image: 'ghcr.io/acme/bench', platforms: [Platform.LINUX_AMD64], labels: { description: 'bench' } });
  project.synth();
  const reg = await startLocalRegistry(tempDir());
  try {
    const cli = [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join(__dirname, '..', 'src/cli/main.ts')];
    const r = spawnSync(process.execPath, [...cli, 'rehearse', 'v1.2.3', '--storage', storage, '--registry-url', reg.url, '--existing-tags', 'v1.2.2', '--sha', SHA], { cwd: repo, encoding: 'utf-8' });
    if (r.status !== 0) throw new Error(`rehearse failed: ${r.stderr}`);
    const client = new RegistryClient({ baseUrl: reg.url });
    const index = (await client.manifest('acme/bench', '1.2.3'))!;
    const subject = { mediaType: index.mediaType, digest: index.digest, size: index.size };
    await setReferrers(client, 'acme/bench', index.digest, [
      await pushAttestation(client, 'acme/bench', subject, statement('ghcr.io/acme/bench', index.digest, PREDICATE_TYPES.provenance, provenance('https://github.com/acme/bench', SHA))),
      await pushAttestation(client, 'acme/bench', subject, statement('ghcr.io/acme/bench', index.digest, SPDX_TYPE, SPDX)),
    ]);
    const model = loadModel('bench', repo);
    for (const skip of [true, false]) {
      const times: number[] = [];
      let requests = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = process.hrtime.bigint();
        const result = await runVerification({
          model, tag: 'v1.2.3', registryUrl: reg.url, expectedRevision: SHA, existingTags: ['v1.2.2'], addRegistryTags: false,
          skipAttestations: skip, now: new Date().toISOString(),
        });
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (result.report.failures.length > 0) throw new Error(result.report.failures.join('\n'));
        requests = result.requests;
      }
      console.log(`verify ${skip ? 'without' : 'with'} attestations: ${requests} requests, median ${median(times).toFixed(0)} ms [${times.map((t) => t.toFixed(0)).join(', ')} ms]`);
    }
  } finally {
    reg.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
}).finally(cleanUp);
