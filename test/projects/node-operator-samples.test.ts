import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { releaseTag } from '../../src/cli/common';
import { VERIFY_HELP } from '../../src/cli/verify';
import { blockLines, spliceBlock } from '../../src/dockerfile/block';
import { minimalDockerfile, nodeOperatorDockerfile, nodeOperatorSamples, operatorReadme } from '../../src/projects/node-operator-samples';
import { tempDir } from '../util';

const ROOT = path.join(__dirname, '..', '..');

/** The Dockerfile as the product leaves it: with the managed label block spliced in. */
function withBlock(dockerfile: string): string {
  return spliceBlock('Dockerfile', dockerfile, blockLines([['org.opencontainers.image.title', 'demo']]));
}

/** The instructions of the final stage (after the last FROM), comments and blank lines left out. */
function finalStage(dockerfile: string): string[] {
  const lines = dockerfile.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const lastFrom = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  return lines.slice(lastFrom);
}

describe.each([
  ['the Node.js operator Dockerfile', nodeOperatorDockerfile()],
  ['the minimal Dockerfile', minimalDockerfile()],
])('%s', (_name, dockerfile) => {
  test('takes the label block at its end, inside the final stage', () => {
    const spliced = withBlock(dockerfile);
    expect(spliced.startsWith(dockerfile)).toBe(true);
    expect(finalStage(spliced).join('\n')).toContain('ARG BUILD_DATE');
  });

  test('runs as a numeric non-root user', () => {
    const users = finalStage(dockerfile).filter((l) => /^USER\s/.test(l));
    expect(users).toHaveLength(1);
    expect(users[0]).toMatch(/^USER [1-9][0-9]*:[1-9][0-9]*$/);
  });

  test('passes hadolint with the label block in it', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), withBlock(dockerfile));
    const r = spawnSync('bash', [path.join(ROOT, 'scripts/lint-generated'), dir], { encoding: 'utf-8' });
    expect(`${r.stdout}${r.stderr}`).toContain('0 workflows, 1 Dockerfiles, 0 dependabot.yml checked');
    expect(r.status).toBe(0);
  });
});

describe('the Node.js operator Dockerfile', () => {
  const dockerfile = nodeOperatorDockerfile();

  test('builds in one stage and runs lib/main.js with production dependencies only in the next', () => {
    expect(dockerfile.match(/^FROM node:22-alpine/gm)).toHaveLength(2);
    const final = finalStage(dockerfile);
    expect(final).toEqual(expect.arrayContaining(['ENV NODE_ENV=production', 'EXPOSE 8080', 'CMD ["node", "lib/main.js"]', 'COPY --from=build /app/lib ./lib']));
    expect(final.join('\n')).toMatch(/npm ci --omit=dev/);
  });

  test('exposes the port the project gives', () => {
    expect(finalStage(nodeOperatorDockerfile({ port: 9090 }))).toContain('EXPOSE 9090');
    expect(() => nodeOperatorDockerfile({ port: 70000 })).toThrow(/port: 70000 is not a TCP port/);
  });

  test('copies nothing that .dockerignore leaves out of the build context', () => {
    const ignored = nodeOperatorSamples({})['.dockerignore'].split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const matchers = ignored.map((p) => new RegExp(`^${p.replace(/\/$/, '').replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}(/|$)`));
    const sources = dockerfile.split('\n')
      .filter((l) => /^COPY\s/.test(l) && !l.includes('--from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources).toEqual(['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'package.json', 'package-lock.json']);
    for (const source of sources) expect(matchers.filter((m) => m.test(source))).toEqual([]);
    expect(matchers.filter((m) => m.test('node_modules') || m.test('lib') || m.test('.git'))).toHaveLength(3);
  });
});

describe('the sample service', () => {
  test('listens on the port the project gives, 8080 by default', () => {
    expect(nodeOperatorSamples({})['src/main.ts']).toContain('const DEFAULT_PORT = 8080;');
    expect(nodeOperatorSamples({ port: 9090 })['src/main.ts']).toContain('const DEFAULT_PORT = 9090;');
  });

  test('compiles, test included, under the strict options of projen\'s TypeScriptProject', () => {
    const dir = tempDir();
    for (const [file, content] of Object.entries(nodeOperatorSamples({}))) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    const program = ts.createProgram([path.join(dir, 'src/main.ts'), path.join(dir, 'test/service.test.ts')], {
      // projen's TypeScriptProject tsconfig.json
      strict: true,
      alwaysStrict: true,
      noImplicitAny: true,
      noImplicitReturns: true,
      noImplicitThis: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noFallthroughCasesInSwitch: true,
      strictNullChecks: true,
      strictPropertyInitialization: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.CommonJS,
      lib: ['lib.es2020.d.ts'],
      types: ['jest', 'node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      noEmit: true,
      // The samples are checked, not the declaration files they use: this saves most of the time.
      skipLibCheck: true,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });
});

describe('the README', () => {
  const image = 'ghcr.io/acme/demo-operator';

  /** Every `npx image-release` command line of a README, as arguments. */
  function cliCommands(readme: string): string[][] {
    return [...readme.matchAll(/^npx image-release (.*?)\s*(#.*)?$/gm)].map((m) => m[1].split(/\s+/));
  }

  test('with projen\'s release: releases come from `npx projen release` in release.yml, not from tags pushed by hand', () => {
    const readme = operatorReadme({ name: 'demo-operator', image, projenRelease: true, tagPrefix: 'ignored-' });
    expect(readme).toMatch(/^# demo-operator$/m);
    expect(readme).toContain(`\`${image}\``);
    expect(readme).toContain('`npx projen release`');
    expect(readme).toContain('.github/workflows/release.yml');
    expect(readme).not.toContain('git tag');
    expect(readme).not.toContain('release-image.yml');
    expect(readme).not.toContain('ignored-');
  });

  test.each([
    [undefined, 'v1.0.0'],
    ['v', 'v1.0.0'],
    ['operator-v', 'operator-v1.0.0'],
  ])('tagging by hand with prefix %s: the tag to push is %s', (tagPrefix, tag) => {
    const readme = operatorReadme({ name: 'demo-operator', image, projenRelease: false, tagPrefix });
    expect(readme).toContain(`\`${image}\``);
    expect(readme).toContain(`git tag ${tag} && git push origin ${tag}`);
    expect(readme).toContain('.github/workflows/release-image.yml');
    expect(readme).not.toContain('npx projen release');
  });

  test.each([true, false])('projenRelease %s: every image-release command is one the CLI takes, with a tag of the model', (projenRelease) => {
    const prefix = projenRelease ? '' : 'operator-v';
    const readme = operatorReadme({ name: 'demo-operator', image, projenRelease, tagPrefix: prefix });
    const commands = cliCommands(readme);
    expect(commands.map(([command]) => command)).toEqual(['plan', 'rehearse', 'verify']);
    for (const [command, ...args] of commands) {
      expect(args).toHaveLength(1);
      expect(releaseTag(command, args, undefined, prefix)).toBe(args[0]);
    }
    for (const flag of readme.match(/--[a-z-]+/g) ?? []) expect(VERIFY_HELP).toContain(`  ${flag} `);
  });

  test('names the default port, or the project\'s', () => {
    expect(operatorReadme({ name: 'x', image, projenRelease: true })).toContain('`PORT` (default 8080)');
    expect(operatorReadme({ name: 'x', image, projenRelease: true, port: 9090 })).toContain('`PORT` (default 9090)');
  });
});
