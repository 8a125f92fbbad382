import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { afterTestFile, tempDir } from '../util';
import { childEnv, expectSuccess, run } from './projen-new';

/**
 * A local npm registry (verdaccio, a devDependency) on 127.0.0.1 over plain http, as an internal
 * registry is: it serves what is published to it and proxies everything else from the npm
 * registry. Stopped, and its storage removed, after the test file.
 */
export interface NpmRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Publishes a packed tarball, as npm publishes it. */
  publish(tgz: string): Promise<void>;
}

const ROOT = path.join(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, log: () => string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`verdaccio did not start:\n${log()}`);
}

/** Starts verdaccio; the user `e2e` may publish, anyone may read. */
export async function startNpmRegistry(): Promise<NpmRegistry> {
  const dir = tempDir();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  fs.writeFileSync(path.join(dir, 'config.yaml'), [
    `storage: ${path.join(dir, 'storage')}`,
    'auth:',
    '  htpasswd:',
    `    file: ${path.join(dir, 'htpasswd')}`,
    '    max_users: 1',
    'uplinks:',
    '  npmjs:',
    '    url: https://registry.npmjs.org/',
    '    timeout: 60s',
    'packages:',
    '  projen-image-release:',
    '    access: $all',
    '    publish: $authenticated',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    proxy: npmjs',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n'));
  let log = '';
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/verdaccio/bin/verdaccio'), '--config', path.join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
    cwd: dir, env: childEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  afterTestFile(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  await waitUntilUp(url, () => log);

  // One user, for npm publish's token.
  const user = await fetch(`${url}-/user/org.couchdb.user:e2e`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e', password: 'e2e-password' }),
  });
  if (!user.ok) throw new Error(`verdaccio refused the user: ${user.status} ${await user.text()}`);
  const token: string = ((await user.json()) as { token: string }).token;
  const npmrc = path.join(dir, 'publish.npmrc');
  fs.writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);

  return {
    url,
    async publish(tgz: string) {
      expectSuccess(await run('npm', ['publish', tgz, '--userconfig', npmrc, '--registry', url, '--tag', 'latest', '--ignore-scripts'], dir), 'npm publish');
    },
  };
}
