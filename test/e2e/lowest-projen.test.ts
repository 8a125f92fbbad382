import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import { childEnv, expectSuccess, packLibrary, run, stopAll } from './projen-new';
import { afterTestFile, tempDir } from '../util';

/**
 * The lowest projen the library's peer range accepts really works: npm installs it with the library
 * packed as npm publishes it (no peer conflict), and a container-image project (ImageRelease and the
 * project type's projenrc runner) synthesizes with it. Needs lib/ and .jsii from `npx projen compile`,
 * and the npm registry.
 */
const ROOT = path.join(__dirname, '..', '..');
const peers: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).peerDependencies;
/** The lowest projen the library works with: the first with typescript.TypeScriptRunner, which the project types use. */
const LOWEST_PROJEN = '0.101.4';
const LOWEST_CONSTRUCTS = semver.minVersion(peers.constructs)!.version;

afterTestFile(stopAll);

test(`the lowest projen the peer range accepts (${LOWEST_PROJEN}) installs with the packed library and synthesizes a project with ImageRelease`, async () => {
  expect(semver.minVersion(peers.projen)?.version).toBe(LOWEST_PROJEN);
  const tgz = await packLibrary();
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'lowest-projen', version: '0.0.0', private: true }));
  // Without --legacy-peer-deps: npm refuses a projen outside the library's peer range (ERESOLVE).
  expectSuccess(await run('npm', ['install', `projen@${LOWEST_PROJEN}`, `constructs@${LOWEST_CONSTRUCTS}`, tgz], dir), 'npm install');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/projen/package.json'), 'utf-8')).version).toBe(LOWEST_PROJEN);

  const repo = path.join(dir, 'repo');
  fs.mkdirSync(repo);
  fs.writeFileSync(path.join(repo, 'Dockerfile'), 'FROM scratch\nCOPY app /app\n');
  fs.writeFileSync(path.join(dir, 'synth.js'), [
    "const { ContainerImageProject } = require('projen-image-release');",
    "new ContainerImageProject({ name: 'lowest', outdir: 'repo', image: 'ghcr.io/acme/lowest', imageRelease: { verify: false } }).synth();",
    '',
  ].join('\n'));
  expectSuccess(await run('node', ['synth.js'], dir, childEnv({ PROJEN_DISABLE_POST: 'true' })), `synthesis with projen ${LOWEST_PROJEN}`);
  expect(fs.readFileSync(path.join(repo, '.github/workflows/release-image.yml'), 'utf-8')).toContain('ghcr.io/acme/lowest');
  expect(fs.readFileSync(path.join(repo, 'Dockerfile'), 'utf-8')).toContain('org.opencontainers.image');
}, 6 * 60_000);
