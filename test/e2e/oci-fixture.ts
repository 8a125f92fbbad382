import { execFileSync, spawnSync } from 'child_process';
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

/**
 * What the verify job's install step leaves in `repo`: `node_modules/.bin/image-release`. Here it
 * is this checkout's CLI, pointed at the registry in `$REGISTRY_URL` instead of ghcr.io, with
 * `extra` flags after the job's own.
 */
export function installCliStandIn(repo: string, ...extra: string[]): void {
  const bin = path.join(repo, 'node_modules/.bin');
  fs.mkdirSync(bin, { recursive: true });
  const tsNode = require.resolve('ts-node/dist/bin.js');
  const main = path.join(__dirname, '..', '..', 'src/cli/main.ts');
  fs.writeFileSync(path.join(bin, 'image-release'), [
    '#!/usr/bin/env bash',
    `exec "${process.execPath}" "${tsNode}" --transpile-only "${main}" "$@" --registry-url "\${REGISTRY_URL}" ${extra.map((e) => `"${e}"`).join(' ')}`,
    '',
  ].join('\n'), { mode: 0o755 });
}

/** What a step's script did: its exit code, its stdout and what it wrote into the job summary. */
export interface StepRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly summary: string;
}

/**
 * Runs a `run:` script of a synthesized job as its step does (bash, in `cwd`, with the step's
 * `env` and a job summary file of its own) and with `REGISTRY_URL` for {@link installCliStandIn}.
 */
export function runStepScript(script: string, cwd: string, env: Record<string, string>, registryUrl: string): StepRun {
  const summary = path.join(tempDir(), 'summary.md');
  const r = spawnSync('bash', ['-c', script], {
    cwd,
    encoding: 'utf-8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, GITHUB_STEP_SUMMARY: summary, REGISTRY_URL: registryUrl },
  });
  return { code: r.status, stdout: r.stdout, summary: fs.existsSync(summary) ? fs.readFileSync(summary, 'utf-8') : '' };
}
