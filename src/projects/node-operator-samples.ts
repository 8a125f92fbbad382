/**
 * What `projen new` writes once into a new Node.js operator repository (as projen sample files,
 * never overwritten): a small long-running service with health and readiness probes and graceful
 * shutdown, its test, the Dockerfile and the README. They are written for projen's TypeScriptProject
 * defaults: its strict tsconfig, its eslint rules, jest with ts-jest, and ts-node in devDependencies
 * (which `.projenrc.ts` brings) for the test that runs src/main.ts as a process.
 */

import { ImageReleaseError } from '../model/problems';

/** The port of the service when the project gives none and PORT is not set. */
export const DEFAULT_PORT = 8080;

/** Files of a new Node.js operator repository, by path relative to the project root. */
export function nodeOperatorSamples(o: { port?: number } = {}): Record<string, string> {
  const port = servicePort(o.port);
  return {
    'src/main.ts': mainTs(port),
    'src/service.ts': SERVICE_TS,
    'test/service.test.ts': SERVICE_TEST_TS,
    '.dockerignore': DOCKERIGNORE,
  };
}

/**
 * The multi-stage Dockerfile of a new Node.js operator repository (without any managed label
 * block; another component adds that).
 */
export function nodeOperatorDockerfile(o: { port?: number } = {}): string {
  const port = servicePort(o.port);
  return `# Build stage: every dependency, then src/ compiled to lib/ with the project's tsconfig.json
# (the command of projen's compile task).
FROM node:22-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc --build

# Runtime stage: production dependencies and the compiled code only.
FROM node:22-alpine
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \\
    && npm cache clean --force
COPY --from=build /app/lib ./lib
# The image's unprivileged "node" user, by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE ${port}
CMD ["node", "lib/main.js"]
`;
}

/** The minimal Dockerfile written by a ContainerImageProject in a repository that has none. */
export function minimalDockerfile(): string {
  return MINIMAL_DOCKERFILE;
}

/** README.md of a new operator repository. */
export function operatorReadme(o: { name: string; image: string; projenRelease: boolean; tagPrefix?: string; port?: number }): string {
  // The model drops the prefix "v" (tag pattern v*), so an empty or "v" prefix means tags like v1.2.3.
  const tag = (version: string) => `${o.projenRelease ? 'v' : o.tagPrefix || 'v'}${version}`;
  const release = o.projenRelease
    ? [
      'Releases come from CI: every push to the default branch runs `npx projen release` in',
      '`.github/workflows/release.yml`, which bumps the version from the conventional commits (`feat:`,',
      `\`fix:\`, ...) since the last release and tags it (\`${tag('1.2.3')}\`); the image jobs in the same workflow then`,
      `build, scan and push \`${o.image}\` with that version's tags.`,
    ]
    : [
      `Releases are git tags: pushing a tag such as \`${tag('1.2.3')}\` runs`,
      `\`.github/workflows/release-image.yml\`, which builds, scans and pushes \`${o.image}\` with that`,
      'version\'s tags:',
      '',
      '```bash',
      `git tag ${tag('1.0.0')} && git push origin ${tag('1.0.0')}`,
      '```',
    ];
  return [
    `# ${o.name}`,
    '',
    `A Kubernetes operator in Node.js, released as the container image \`${o.image}\`.`,
    'The repository is defined in `.projenrc.ts` ([projen](https://projen.io)): change it and run',
    '`npx projen`; do not edit the files it generates.',
    '',
    '## Run and test',
    '',
    '```bash',
    'npx projen build     # synthesize, compile, run the tests and eslint',
    'node lib/main.js     # serve /healthz and /readyz; stops gracefully on SIGTERM or Ctrl-C',
    '```',
    '',
    `Settings from the environment: \`PORT\` (default ${servicePort(o.port)}), \`SHUTDOWN_TIMEOUT_MS\` (default 10000:`,
    'how long requests in flight may take after a stop signal before the process exits with 1) and',
    '`SHUTDOWN_DRAIN_MS` (default 0: how long `/readyz` answers 503 before the server stops accepting',
    'connections). The log is one JSON object per line on stdout.',
    '',
    '## Release',
    '',
    ...release,
    '',
    'Before a release:',
    '',
    '```bash',
    `npx image-release plan ${tag('1.2.3')}       # the image tags, version and labels that release gets`,
    `npx image-release rehearse ${tag('1.2.3')}   # build, push to a throwaway local registry, verify (needs buildah, docker-registry)`,
    '```',
    '',
    'After a release, check what was published (a private image needs `GITHUB_TOKEN` set, or `--username`',
    'with `--password-stdin`):',
    '',
    '```bash',
    `npx image-release verify ${tag('1.2.3')}     # every tag, platform and label of the published image`,
    '```',
    '',
  ].join('\n');
}

function servicePort(port: number | undefined): number {
  if (port === undefined) return DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ImageReleaseError(`port: ${port} is not a TCP port (an integer from 1 to 65535)`);
  return port;
}

function mainTs(port: number): string {
  return `import { jsonLogger, startService } from './service';

/** The port when PORT is not set. */
const DEFAULT_PORT = ${port};

const log = jsonLogger();

/**
 * The process entry: runs the service until SIGTERM or SIGINT, then stops it gracefully and exits
 * 0, or 1 when the requests in flight did not finish within SHUTDOWN_TIMEOUT_MS. A second signal
 * exits at once with 1. Settings from the environment: PORT (default ${port}), SHUTDOWN_TIMEOUT_MS
 * (default 10000), SHUTDOWN_DRAIN_MS (default 0; how long /readyz answers 503 before the server
 * stops accepting connections).
 */
async function main(): Promise<void> {
  const service = await startService({
    port: intFromEnv('PORT', DEFAULT_PORT, 0, 65535),
    shutdownTimeoutMs: intFromEnv('SHUTDOWN_TIMEOUT_MS', 10_000),
    drainMs: intFromEnv('SHUTDOWN_DRAIN_MS', 0),
    log,
  });
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      log('warn', 'second signal; exiting now', { signal });
      process.exit(1);
    }
    shuttingDown = true;
    log('info', 'shutting down', { signal });
    void service.stop().then((clean) => {
      const code = clean ? 0 : 1;
      log(clean ? 'info' : 'error', 'exiting', { code });
      process.exit(code);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** An integer setting from the environment, or \`fallback\` when the variable is unset or empty. */
function intFromEnv(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(\`\${name}="\${raw}" is not an integer from \${min} to \${max}\`);
  }
  return value;
}

main().catch((err: unknown) => {
  log('error', 'could not start', { error: String(err) });
  process.exit(1);
});
`;
}

const SERVICE_TS = `import * as http from 'http';
import { AddressInfo } from 'net';

/** The severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Writes one structured log line. */
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

/**
 * A logger that writes one JSON object per line: \`time\`, \`level\`, \`msg\`, then the fields
 * (a field named like one of the first three is dropped).
 */
export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  return (level, msg, fields = {}) => {
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
    for (const [key, value] of Object.entries(fields)) {
      if (!(key in entry)) entry[key] = value;
    }
    write(JSON.stringify(entry) + '\\n');
  };
}

/** Handles a request to any path other than the probes. */
export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** How to run the service. */
export interface ServiceOptions {
  /** The TCP port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Where log lines go. */
  readonly log: Logger;
  /** Requests to paths other than /healthz and /readyz (default: 404). */
  readonly handler?: RequestHandler;
  /**
   * How long \`stop()\` keeps serving with /readyz at 503 before it stops accepting connections, so
   * that a load balancer or Kubernetes Service stops sending traffic first (default: 0).
   */
  readonly drainMs?: number;
  /** How long \`stop()\` waits in all, drain included, before it closes open connections (default: 10000). */
  readonly shutdownTimeoutMs?: number;
}

/** A running service. */
export interface Service {
  /** The port it listens on (the one picked when started with port 0). */
  readonly port: number;
  /** Whether /readyz answers 200: true until \`stop()\` is called. */
  readonly ready: boolean;
  /**
   * Stops the service: /readyz answers 503, then after the drain the server stops accepting
   * connections and waits for the requests in flight. Resolves true when they all finished within
   * the shutdown timeout, false when it had to close their connections. Later calls return the
   * same promise.
   */
  stop(): Promise<boolean>;
}

/** Starts the HTTP server with the health and readiness probes; resolves once it listens. */
export async function startService(options: ServiceOptions): Promise<Service> {
  const { log } = options;
  const drainMs = options.drainMs ?? 0;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const handler = options.handler ?? notFound;
  let stopping: Promise<boolean> | undefined;
  let inFlight = 0;

  const server = http.createServer((req, res) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      // A finished response leaves a keep-alive connection open; while stopping, close it now.
      if (stopping) server.closeIdleConnections();
    });
    if (stopping) res.setHeader('Connection', 'close');
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      reply(res, 200, 'ok');
    } else if (path === '/readyz') {
      if (stopping) reply(res, 503, 'shutting down');
      else reply(res, 200, 'ready');
    } else {
      void Promise.resolve()
        .then(() => handler(req, res))
        .catch((err: unknown) => {
          log('error', 'request failed', { method: req.method, path, error: String(err) });
          if (!res.headersSent) reply(res, 500, 'internal error');
          else res.destroy();
        });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log('info', 'listening', { port });

  const stop = async (): Promise<boolean> => {
    const started = Date.now();
    log('info', 'stopping', { inFlight, drainMs, shutdownTimeoutMs });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), shutdownTimeoutMs);
    });
    const closed = (async () => {
      await new Promise<void>((resolve) => {
        setTimeout(resolve, Math.min(drainMs, shutdownTimeoutMs));
      });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return true;
    })();
    const clean = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    if (!clean) {
      log('warn', 'shutdown timed out; closing open connections', { inFlight, shutdownTimeoutMs });
      server.close();
      server.closeAllConnections();
    }
    log('info', 'stopped', { clean, durationMs: Date.now() - started });
    return clean;
  };

  return {
    port,
    get ready() {
      return stopping === undefined;
    },
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}

function reply(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body + '\\n');
}

function notFound(_req: http.IncomingMessage, res: http.ServerResponse): void {
  reply(res, 404, 'not found');
}
`;

const SERVICE_TEST_TS = `import { ChildProcess, spawn } from 'child_process';
import * as http from 'http';
import * as path from 'path';
import { Logger, Service, ServiceOptions, startService } from '../src/service';

/** The status and body of one GET, on a connection of its own. */
function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const quiet: Logger = () => {};
const services: Service[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

async function start(options: Partial<ServiceOptions> = {}): Promise<Service> {
  const service = await startService({ port: 0, log: quiet, ...options });
  services.push(service);
  return service;
}

test('answers the health and readiness probes while it runs', async () => {
  const service = await start();
  expect(service.port).toBeGreaterThan(0);
  expect(await get(service.port, '/healthz')).toEqual({ status: 200, body: 'ok\\n' });
  expect(await get(service.port, '/readyz')).toEqual({ status: 200, body: 'ready\\n' });
  expect((await get(service.port, '/nothing-here')).status).toBe(404);
});

test('answers /readyz with 503 once stopping, while /healthz stays 200', async () => {
  const service = await start({ drainMs: 300 });
  const stopped = service.stop();
  expect(service.ready).toBe(false);
  expect(await get(service.port, '/readyz')).toEqual({ status: 503, body: 'shutting down\\n' });
  expect((await get(service.port, '/healthz')).status).toBe(200);
  expect(await stopped).toBe(true);
  await expect(get(service.port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
});

test('finishes a request in flight before it stops', async () => {
  let received!: () => void;
  const requestReceived = new Promise<void>((resolve) => (received = resolve));
  const service = await start({
    handler: (_req, res) => {
      received();
      setTimeout(() => res.end('done\\n'), 300);
    },
  });
  const response = get(service.port, '/slow');
  await requestReceived;
  const clean = await service.stop();
  expect(clean).toBe(true);
  expect(await response).toEqual({ status: 200, body: 'done\\n' });
});

test('gives up on a request that outlasts the shutdown timeout', async () => {
  const service = await start({ shutdownTimeoutMs: 200, handler: () => {} });
  const response = get(service.port, '/hangs');
  response.catch(() => {}); // the rejection is asserted below, after stop()
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await service.stop()).toBe(false);
  await expect(response).rejects.toThrow(/socket hang up|ECONNRESET/);
});

describe('the process', () => {
  const root = path.join(__dirname, '..');

  /** Starts src/main.ts with ts-node (no compiled lib/ needed); resolves with its log lines so far once it listens. */
  function startProcess(): { child: ChildProcess; lines: Array<Record<string, unknown>>; listening: Promise<number> } {
    const child = spawn(process.execPath, ['-r', 'ts-node/register', path.join('src', 'main.ts')], {
      cwd: root,
      env: { ...process.env, PORT: '0', TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: Array<Record<string, unknown>> = [];
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const listening = new Promise<number>((resolve, reject) => {
      let pending = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const complete = pending.split('\\n');
        pending = complete.pop() ?? '';
        for (const text of complete) {
          let line: Record<string, unknown>;
          try {
            line = JSON.parse(text) as Record<string, unknown>;
          } catch {
            line = { notJson: text };
          }
          lines.push(line);
          if (line.msg === 'listening') resolve(line.port as number);
        }
      });
      child.on('close', (code) => reject(new Error(\`exited with \${code} before listening: \${stderr}\`)));
    });
    return { child, lines, listening };
  }

  test('stops on SIGTERM with exit code 0 and logs its shutdown', async () => {
    const { child, lines, listening } = startProcess();
    const port = await listening;
    expect((await get(port, '/healthz')).status).toBe(200);
    // 'close' comes after the last output, unlike 'exit'.
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.map((l) => l.msg)).toEqual(['listening', 'shutting down', 'stopping', 'stopped', 'exiting']);
    expect(lines[1]).toMatchObject({ level: 'info', signal: 'SIGTERM' });
    expect(lines[3]).toMatchObject({ clean: true });
    for (const line of lines) expect(typeof line.time).toBe('string');
  }, 20_000);
});
`;

const DOCKERIGNORE = `# Kept out of the image build context. The build reads package.json, package-lock.json,
# tsconfig.json and src/ only; keep those (and whatever else the Dockerfile copies) in it.
.git/
.github/
.projen/
node_modules/
lib/
dist/
coverage/
test/
test-reports/
*.log
.env
.env.*
`;

const MINIMAL_DOCKERFILE = `# A placeholder so that the release pipeline has an image to build: replace it with your own build.
FROM busybox:1.37
USER 65534:65534
CMD ["echo", "This image is a placeholder: replace the Dockerfile with your own build."]
`;
