import { UsageError } from '../../src/cli/args';
import { CliEnvironment } from '../../src/cli/common';
import { runPruneCommand } from '../../src/cli/prune';
import { freePort } from '../../src/rehearse/local-registry';
import { tempDir } from '../util';

/** An environment in an empty directory (no model file). */
function env(): CliEnvironment {
  return { cwd: tempDir(), now: () => new Date('2025-06-30T00:00:00Z'), env: {}, readStdin: () => '', progress: () => undefined };
}

async function usageError(argv: string[]): Promise<string> {
  const e = await runPruneCommand(argv, env(), () => undefined).then(() => undefined, (x) => x);
  expect(e).toBeInstanceOf(UsageError);
  return e.message;
}

test.each<[string[], string]>([
  [['--image', 'ghcr.io/acme/app', '--keep', '0'], 'prune: --keep "0" is not a whole number of at least 1'],
  [['--image', 'ghcr.io/acme/app', '--keep', 'ten'], 'prune: --keep "ten" is not a whole number of at least 1'],
  [['--image', 'ghcr.io/acme/app', '--older-than-days', '0.5'], 'prune: --older-than-days "0.5" is not a whole number of at least 1'],
  [['--image', 'ghcr.io/acme/app', '--owner-type', 'team'], 'prune: --owner-type "team" is not org or user'],
  [['--image', 'ghcr.io/acme/app', '--api-url', 'api.github.com'], 'prune: --api-url "api.github.com" is not a URL like https://api.github.com'],
  [['--image', 'ghcr.io/acme/app', '--registry-url', 'ghcr.io'], 'prune: --registry-url "ghcr.io" is not a registry URL like http://127.0.0.1:5000'],
  [['--image', 'ghcr.io/acme/app', '--force'], 'prune: unknown flag "--force"; see "image-release prune --help"'],
  [['ghcr.io/acme/app'], 'prune: unexpected argument "ghcr.io/acme/app"; the image is --image'],
  [[], 'prune: no .projen/image-release.json in'],
])('prune %j is refused: %s', async (argv, message) => {
  expect(await usageError(argv)).toContain(message);
});

test('every wrong flag is reported at once, one line each', async () => {
  const message = await usageError(['--image', 'ghcr.io/acme/app', '--keep', '-1', '--owner-type', 'x']);
  expect(message.split('\n')).toEqual(['prune: --keep "-1" is not a whole number of at least 1', '  prune: --owner-type "x" is not org or user']);
});

test('an image that is no image reference is named', async () => {
  expect(await usageError(['--image', 'ghcr.io/acme/app:1.0', '--api-url', 'http://127.0.0.1:9'])).toMatch(/^prune: image "ghcr.io\/acme\/app:1.0" must not contain a tag/);
});

test('--help prints the usage', async () => {
  const out: string[] = [];
  expect(await runPruneCommand(['--help'], env(), (s) => out.push(s))).toBe(0);
  expect(out.join('\n')).toMatch(/^Usage: image-release prune/);
});

test('an unreachable API is one line naming the package, the request and the connection error', async () => {
  const port = await freePort();
  const message = await usageError(['--image', 'ghcr.io/acme/app', '--owner-type', 'org', '--api-url', `http://127.0.0.1:${port}`]);
  expect(message).toBe(`prune: package acme/app: could not list the versions of it: GET http://127.0.0.1:${port}/orgs/acme/packages/container/app/versions?per_page=100&state=active: connection error ECONNREFUSED`);
}, 60_000);
