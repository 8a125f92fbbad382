import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LocalRegistry, startLocalRegistry } from '../../src/rehearse/local-registry';
import { afterTestFile, tempDir } from '../util';

/** The arm64 busybox that scripts/install-oci-tools extracts. */
const ARM64_BUSYBOX = path.join(__dirname, '..', '..', '.cache', 'oci', 'arm64', 'bin', 'busybox');

/** The name of the tiny two-platform base image the fixture Dockerfile builds on. */
export const FIXTURE_BASE = 'localhost/image-release-fixture-base:1';

/**
 * Builds a two-platform (amd64 + arm64) busybox base image into a fresh buildah storage and returns
 * the storage directory (`root/` and `run/`), for `rehearse --storage`. No image is pulled.
 */
export function buildFixtureBase(): string {
  for (const need of ['/bin/busybox', ARM64_BUSYBOX]) {
    if (!fs.existsSync(need)) throw new Error(`${need} is missing: run scripts/install-oci-tools`);
  }
  const storage = tempDir();
  const env = { ...process.env, TMPDIR: storage };
  const b = (...args: string[]) => execFileSync('buildah', ['--root', path.join(storage, 'root'), '--runroot', path.join(storage, 'run'), '--storage-driver', 'vfs', ...args], { env, encoding: 'utf-8' }).trim();
  b('manifest', 'create', FIXTURE_BASE);
  for (const [arch, busybox] of [['amd64', '/bin/busybox'], ['arm64', ARM64_BUSYBOX]]) {
    const c = b('from', '--arch', arch, 'scratch');
    b('copy', c, busybox, '/bin/busybox');
    b('copy', c, busybox, '/bin/sh');
    b('config', '--arch', arch, '--os', 'linux', c);
    const id = b('commit', '-q', c, `localhost/image-release-fixture-base:${arch}`);
    b('manifest', 'add', FIXTURE_BASE, id);
  }
  return storage;
}

/** The fixture's Dockerfile: one RUN step, so arm64 exercises QEMU. */
export const FIXTURE_DOCKERFILE = [
  `FROM ${FIXTURE_BASE}`,
  'RUN echo "built for $(/bin/busybox uname -m)" > /built.txt',
  'CMD ["/bin/busybox", "cat", "/built.txt"]',
  '',
].join('\n');

/** For fixtures about other checks: a rehearsal pushes no attestations, so verify must not want them. */
export const NO_ATTESTATIONS = { provenance: false, sbom: false } as const;

/** A local registry keeping its data in `dir` (default: a temp dir), stopped after the test file. */
export async function startTestRegistry(dir: string = tempDir()): Promise<LocalRegistry> {
  const started = await startLocalRegistry(dir);
  afterTestFile(() => started.stop());
  return started;
}
