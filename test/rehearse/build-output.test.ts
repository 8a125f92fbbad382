import { describeBuildFailure, isBuildNoise, lineOf, progressLine } from '../../src/rehearse/build-output';

// Output of buildah 1.28 (`buildah build --platform <one>`), both streams, as rehearse keeps it.
const NO_NETWORK = [
  'STEP 1/15: FROM node:22-alpine',
  'Resolved "node" as an alias (/etc/containers/registries.conf.d/shortnames.conf)',
  'Trying to pull docker.io/library/node:22-alpine...',
  'Error: creating build container: initializing source docker://node:22-alpine: pinging container registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
];
const BASE = 'FROM localhost/image-release-fixture-base:1';
const ctx = (dockerfileText: string, storage?: string) => ({ platform: 'linux/amd64', dockerfile: 'Dockerfile', dockerfileText, storage });

test('a base image that cannot be pulled for want of network is one line with the --storage hint', () => {
  expect(describeBuildFailure(NO_NETWORK, 125, ctx('FROM node:22-alpine\n')))
    .toBe('the base image node:22-alpine (docker.io/library/node:22-alpine) cannot be pulled: no network to docker.io; use --storage with a pre-loaded base');
});

test('with --storage, a base image missing from it names the storage and the platform', () => {
  expect(describeBuildFailure(NO_NETWORK, 125, ctx('FROM node:22-alpine\n', '/s')))
    .toBe('the base image node:22-alpine (docker.io/library/node:22-alpine) is not in /s for linux/amd64 and cannot be pulled: no network to docker.io; pre-load it into /s');
});

test('a localhost/ base image missing from the storage says it cannot be pulled', () => {
  const output = [
    'STEP 1/2: FROM localhost/missing:1',
    'Trying to pull localhost/missing:1...',
    'time="2026-11-29T11:35:21Z" level=warning msg="Failed, retrying in 2s ... (1/3). Error: initializing source docker://localhost/missing:1: pinging container registry localhost: Get \\"https://localhost/v2/\\": dial tcp 127.0.0.1:443: connect: connection refused"',
    'Error: creating build container: initializing source docker://localhost/missing:1: pinging container registry localhost: Get "https://localhost/v2/": dial tcp 127.0.0.1:443: connect: connection refused',
  ];
  expect(describeBuildFailure(output, 125, ctx('FROM localhost/missing:1\n', '/s'))).toBe(
    'the base image localhost/missing:1 is not in /s for linux/amd64 (a localhost/ image cannot be pulled); build or load it there');
});

test('an unknown instruction names the Dockerfile line, without buildah\'s step dump', () => {
  const dump = '&imagebuilder.Step{Env:[]string{"PATH=/usr/bin"}, Command:"runn", Args:[]string{""}, Flags:[]string{}, Attrs:map[string]bool(nil), Message:"RUNN ", Original:"RUNN echo hi"}';
  const output = [
    `STEP 1/2: ${BASE}`,
    'STEP 2/2: RUNN echo hi',
    `time="2026-11-29T11:35:28Z" level=error msg="+(UNHANDLED LOGLEVEL) ${dump.replace(/"/g, '\\"')}"`,
    `Error: building at STEP "RUNN ": Build error: Unknown instruction: "RUNN" ${dump}`,
  ];
  expect(describeBuildFailure(output, 125, ctx(`${BASE}\nRUNN echo hi\n`))).toBe('Dockerfile:2: unknown instruction RUNN');
});

test('a failed RUN names the platform, the line and the status, with its own last output once below', () => {
  const output = [
    `STEP 1/2: ${BASE}`,
    'STEP 2/2: RUN echo working; echo more; /bin/busybox false',
    'working',
    'more',
    'subprocess exited with status 1',
    'subprocess exited with status 1',
    'Error: building at STEP "RUN echo working; echo more; /bin/busybox false": exit status 1',
  ];
  expect(describeBuildFailure(output, 1, ctx(`${BASE}\nRUN echo working; echo more; /bin/busybox false\n`))).toBe([
    'the linux/amd64 build failed at Dockerfile:2 (RUN echo working; echo more; /bin/busybox false): exit status 1; its last output:',
    '  working',
    '  more',
  ].join('\n'));
});

test('a failed RUN without output is the one line alone', () => {
  const output = [`STEP 1/2: ${BASE}`, 'STEP 2/2: RUN false', 'Error: building at STEP "RUN false": exit status 1'];
  expect(describeBuildFailure(output, 1, ctx(`${BASE}\nRUN false\n`))).toBe('the linux/amd64 build failed at Dockerfile:2 (RUN false): exit status 1');
});

test('a COPY of a file the context lacks says so', () => {
  const output = [
    `STEP 1/2: ${BASE}`,
    'STEP 2/2: COPY nothere.txt /x',
    'Error: building at STEP "COPY nothere.txt /x": checking on sources under "/tmp/ctx": copier: stat: "/nothere.txt": no such file or directory',
  ];
  expect(describeBuildFailure(output, 125, ctx(`${BASE}\nCOPY nothere.txt /x\n`)))
    .toBe('the linux/amd64 build failed at Dockerfile:2 (COPY nothere.txt /x): nothere.txt is not in the build context');
});

test('of several identical errors (one per platform) the first is told once', () => {
  const output = [
    'Error: 2 errors occurred:',
    '\t* building at STEP "RUN false": exit status 1',
    '\t* building at STEP "RUN false": exit status 1',
  ];
  expect(describeBuildFailure(output, 1, ctx(`${BASE}\nRUN false\n`))).toBe('the linux/amd64 build failed at Dockerfile:2 (RUN false): exit status 1');
});

test('a buildah crash is one line pointing at the Dockerfile', () => {
  const output = ['panic: runtime error: index out of range [0] with length 0', '', 'goroutine 1 [running]:'];
  expect(describeBuildFailure(output, 2, ctx(`${BASE}\nARG\n`))).toBe(
    'the linux/amd64 build failed: buildah crashed (panic: runtime error: index out of range [0] with length 0); check Dockerfile');
});

test('lineOf finds an instruction continued over several lines by its first line', () => {
  expect(lineOf(`${BASE}\nRUN echo a && \\\n    echo b && \\\n    false\n`, 'RUN echo a &&     echo b &&     false')).toBe(2);
});

test('the warning about build args a stage does not use is noise', () => {
  expect(isBuildNoise('[Warning] one or more build args were not consumed: [BUILD_DATE TARGETARCH TARGETOS TARGETPLATFORM VCS_REF]')).toBe(true);
});

test('progress shows the steps that take time, shortened, and not the label steps', () => {
  expect(progressLine(`STEP 2/16: RUN ${'x'.repeat(100)}`)).toBe(`STEP 2/16: RUN ${'x'.repeat(75)}…`);
  expect(progressLine('[1/2] STEP 1/3: FROM node:22-alpine AS build')).toBe('[1/2] STEP 1/3: FROM node:22-alpine AS build');
  expect(progressLine('STEP 9/16: LABEL "org.opencontainers.image.revision"="1111"')).toBeUndefined();
});
