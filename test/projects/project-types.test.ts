import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LogLevel, Testing } from 'projen';
import { ContainerImageProject, DependabotEcosystem, NodeOperatorProject, Platform, ReleaseTrigger, Severity } from '../../src';
import { BEGIN_MARKER } from '../../src/dockerfile/block';
import { creationArgs, creationDescription, creationFacts, imageReleaseOptionsOf } from '../../src/projects/creation-options';
import { detectEcosystems, gitRemoteUrl, isToolingManifest, packageOfProjectType } from '../../src/projects/repository-facts';
import { USER_BLOCK_BEGIN, USER_BLOCK_END, spliceUserBlock } from '../../src/projen/user-block-file';
import { GO_DOCKERFILE, parseYaml, repoWith, synthWithoutInstall, tempDir, warningsOf, withoutBlock, withRemote } from '../util';

describe('creation options (the flat projen new flags merged into the model)', () => {
  test.each([
    ['--image wins over the repository', { image: 'ghcr.io/acme/op' }, 'https://github.com/Other/Repo.git', 'ghcr.io/acme/op'],
    ['the repository gives the image, lower-cased', {}, 'git@github.com:Acme/Go-Op.git', 'ghcr.io/acme/go-op'],
    ['imageRelease.image is used when --image is not set', { imageRelease: { image: 'ghcr.io/acme/x' } }, 'https://github.com/o/r', 'ghcr.io/acme/x'],
    ['no repository and no image leaves the image to the model', {}, undefined, undefined],
    ['a repository that is not on GitHub gives no image', {}, 'https://gitlab.com/acme/op.git', undefined],
  ])('%s', (_name, flags, repository, image) => {
    expect(imageReleaseOptionsOf(flags, repository).image).toBe(image);
  });

  test.each([
    ['https://github.com/Acme/My-Op.git', {}, { repository: 'https://github.com/Acme/My-Op.git', image: 'ghcr.io/acme/my-op' }],
    ['https://github.com/acme/my-op', {}, { repository: 'https://github.com/acme/my-op.git', image: 'ghcr.io/acme/my-op' }],
    ['git@github.com:acme/my-op.git', {}, { repository: 'https://github.com/acme/my-op.git', image: 'ghcr.io/acme/my-op' }],
    ['https://github.com/acme/my-op.git', { image: 'ghcr.io/acme/other' }, { repository: 'https://github.com/acme/my-op.git' }],
    ['https://github.com/acme/my-op.git', { imageRelease: { image: 'ghcr.io/acme/other' } }, { repository: 'https://github.com/acme/my-op.git' }],
    ['https://github.com/acme/my-op.git', { repository: 'https://github.com/acme/kept.git' }, { image: 'ghcr.io/acme/my-op' }],
    ['https://gitlab.com/acme/my-op.git', {}, { repository: 'https://gitlab.com/acme/my-op.git' }],
    ['https://oauth2:glpat-secret@gitlab.example.com/acme/my-op.git', {}, { repository: 'https://gitlab.example.com/acme/my-op.git' }],
    ['https://x-access-token:ghs_secret@github.com/acme/my-op.git', {}, { repository: 'https://github.com/acme/my-op.git', image: 'ghcr.io/acme/my-op' }],
    [undefined, {}, {}],
  ])('projen new records origin %s with options %j as %j in .projenrc.ts', (remote, given, recorded) => {
    expect(creationFacts(given, remote, true)).toEqual(recorded);
  });

  test.each([
    ['# go-op\n\n[![CI](badge)](ci)\n\nA Kubernetes operator for widgets.\n\nMore.\n', {}, 'A Kubernetes operator for widgets.'],
    [undefined, {}, 'The fallback'],
    ['# only a title\n', {}, 'The fallback'],
    ['# x\n\nDeploy with ${{ secrets.TOKEN }}\n\nAn operator.\n', {}, 'An operator.'],
    ['Text\n', { description: 'Mine' }, undefined],
    ['Text\n', { imageRelease: { labels: { description: 'Mine' } } }, undefined],
  ])('projen new describes the image from README %j with options %j as %j', (readme, given, description) => {
    expect(creationDescription(given, readme, 'The fallback')).toBe(description);
  });

  test('the description flag and imageRelease.labels.description are one label: the flag fills it, and two different values are an error', () => {
    expect(imageReleaseOptionsOf({ description: 'An operator', imageRelease: { labels: { vendor: 'Acme' } } }, undefined).labels).toEqual({ vendor: 'Acme', description: 'An operator' });
    expect(() => imageReleaseOptionsOf({ description: 'A', imageRelease: { labels: { description: 'B' } } }, undefined))
      .toThrow('description: "A" and imageRelease.labels.description: "B" are both set; set one');
  });

  test('a project without a repository option (container-image) records only the image', () => {
    expect(creationFacts({}, 'https://github.com/acme/go-op', false)).toEqual({ image: 'ghcr.io/acme/go-op' });
  });

  test('only the options projen new renders into .projenrc.ts are creation arguments', () => {
    const args = { name: 'x' };
    expect(creationArgs({ name: 'x', __new__: { fqn: 'projen-image-release.NodeOperatorProject', args } })).toBe(args);
    expect(creationArgs({ name: 'x' })).toBeUndefined();
  });

  test('--platforms values become the platform enum', () => {
    expect(imageReleaseOptionsOf({ platforms: ['linux/arm64', 'linux/amd64'] }, undefined).platforms).toEqual([Platform.LINUX_ARM64, Platform.LINUX_AMD64]);
  });

  test('every wrong platform is one line naming its index, with a suggestion', () => {
    expect(() => imageReleaseOptionsOf({ platforms: ['linux/amd65', 'linux/arm64', 'windows'] }, undefined)).toThrow(
      /platforms\[0\]: "linux\/amd65" is not a platform \(did you mean "linux\/amd64"\?\); use one of linux\/amd64, linux\/arm64, .*\n.*platforms\[2\]: "windows" is not a platform; use one of/,
    );
  });

  test('a flag and the same field of imageRelease set differently is an error naming both', () => {
    expect(() => imageReleaseOptionsOf({ image: 'ghcr.io/a/b', imageRelease: { image: 'ghcr.io/c/d' } }, undefined))
      .toThrow('image: "ghcr.io/a/b" and imageRelease.image: "ghcr.io/c/d" are both set; set one');
  });

  test('the rest of imageRelease is kept', () => {
    const o = imageReleaseOptionsOf({ image: 'ghcr.io/a/b', imageRelease: { scan: { failOn: Severity.HIGH } } }, undefined);
    expect(o.scan).toEqual({ failOn: Severity.HIGH });
  });
});

/** A package.json of the repository's own code. */
const APP_MANIFEST = JSON.stringify({ name: 'app', dependencies: { express: '^4.21.0' } });
/** The package.json projen new writes into a repository of another language: its tools only. */
const TOOLING_MANIFEST = JSON.stringify({ devDependencies: { 'projen': '^0.103.25', 'projen-image-release': '^1.0.0', 'ts-node': '^10.9.2', 'typescript': '~6.0' } });

describe('repository facts', () => {
  test.each([
    ['projen\'s tools only', TOOLING_MANIFEST, true],
    ['the tools and a dependency of the code', JSON.stringify({ devDependencies: { projen: '1', jest: '30' } }), false],
    ['a named package', JSON.stringify({ name: 'x', devDependencies: { projen: '1' } }), false],
    ['not JSON', '{', false],
  ])('a package.json with %s is projen tooling: %s', (_name, text, tooling) => {
    expect(isToolingManifest(text, 'projen-image-release')).toBe(tooling);
  });


  test.each([
    [{ 'go.mod': 'module x\n' }, ['gomod', 'docker', 'github-actions']],
    [{ 'package.json': APP_MANIFEST }, ['npm', 'docker', 'github-actions']],
    [{ 'go.mod': '', 'package.json': TOOLING_MANIFEST }, ['gomod', 'docker', 'github-actions']],
    [{ 'pyproject.toml': '' }, ['pip', 'docker', 'github-actions']],
    [{ 'requirements-dev.txt': '' }, ['pip', 'docker', 'github-actions']],
    [{ 'Cargo.toml': '' }, ['cargo', 'docker', 'github-actions']],
    [{ 'go.mod': '', 'package.json': APP_MANIFEST }, ['gomod', 'npm', 'docker', 'github-actions']],
    [{ 'sub/go.mod': '' }, ['docker', 'github-actions']],
    [{}, ['docker', 'github-actions']],
  ])('manifests %j give ecosystems %j', (files, ecosystems) => {
    expect(detectEcosystems(repoWith(files))).toEqual(ecosystems);
  });

  test('the git remote origin is read; a directory without one has none', () => {
    expect(gitRemoteUrl(withRemote(tempDir(), 'https://github.com/acme/op.git'))).toBe('https://github.com/acme/op.git');
    expect(gitRemoteUrl(tempDir())).toBeUndefined();
  });

  test.each([
    ['@acme/operator-preset.AcmeOperatorProject', '@acme/operator-preset'],
    ['projen-image-release.NodeOperatorProject', 'projen-image-release'],
    ['projen.typescript.TypeScriptProject', 'projen-image-release'],
    [undefined, 'projen-image-release'],
  ])('a project type with jsii name %s comes from package %s', (fqn, pkg) => {
    class Type {}
    if (fqn !== undefined) (Type as any)[Symbol.for('jsii.rtti')] = { fqn, version: '1.0.0' };
    expect(packageOfProjectType(Type)).toBe(pkg);
  });
});

describe('NodeOperatorProject', () => {
  function operator(extra: Record<string, unknown> = {}, dir = tempDir()): Record<string, any> {
    const project = new NodeOperatorProject({ name: 'my-op', defaultReleaseBranch: 'main', outdir: dir, image: 'ghcr.io/acme/my-op', ...extra });
    return Testing.synth(project);
  }

  const files = operator();

  test('writes the service, its test, the Dockerfile with the block, .dockerignore and a README', () => {
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['src/main.ts', 'Dockerfile', '.dockerignore', 'README.md']));
    expect(Object.keys(files).some((f) => f.startsWith('test/') && f.endsWith('.test.ts'))).toBe(true);
    expect(files.Dockerfile).toContain(BEGIN_MARKER);
    expect(files['README.md']).toContain('ghcr.io/acme/my-op');
  });

  test('releases with projen\'s release workflow by default, and on a tag push without it', () => {
    expect(files['.github/workflows/release.yml']).toContain('image_publish:');
    expect(files['.github/workflows/release-image.yml']).toBeUndefined();
    const tagged = operator({ release: false });
    expect(parseYaml(tagged['.github/workflows/release-image.yml']).on.push.tags).toEqual(['v*']);
  });

  test('imageRelease carries the rest of the model', () => {
    const custom = operator({ imageRelease: { labels: { vendor: 'Acme Corp' }, scan: { failOn: Severity.CRITICAL } } });
    expect(custom.Dockerfile).toContain('org.opencontainers.image.vendor="Acme Corp"');
    expect(custom['.github/workflows/release.yml']).toMatch(/GATE: CRITICAL$/m);
    expect(files['.github/workflows/release.yml']).not.toMatch(/GATE: CRITICAL$/m);
  });

  test('dependabot.yml is ImageRelease\'s (projen\'s own Dependabot stays off)', () => {
    const d = parseYaml(files['.github/dependabot.yml']);
    expect(d.updates.map((u: any) => u['package-ecosystem'])).toEqual(['docker', 'github-actions']);
  });

  test('the template package is upgraded to its newest version by a task of its own, and left out of projen\'s minor upgrade', () => {
    const tasks = operator({ devDeps: ['projen-image-release'] })['.projen/tasks.json'].tasks;
    const template = JSON.stringify(tasks['upgrade-template']);
    expect(template).toContain('--target=latest');
    expect(template).toContain('--filter=projen-image-release');
    expect(JSON.stringify(tasks.upgrade)).toContain('--filter=');
    expect(JSON.stringify(tasks.upgrade)).not.toContain('projen-image-release');
    expect(files['.github/workflows/upgrade-template-main.yml']).toBeDefined();
  });

  test('TypeScript stays below 7, whose compiler has no JavaScript API for ts-node and ts-jest', () => {
    expect(files['package.json'].devDependencies.typescript).toBe('~6.0');
  });

  test('sample files are written once: edits survive the next synthesis', () => {
    const dir = tempDir();
    const create = () => synthWithoutInstall(new NodeOperatorProject({ name: 'my-op', defaultReleaseBranch: 'main', outdir: dir, image: 'ghcr.io/acme/my-op' }));
    create();
    fs.writeFileSync(path.join(dir, 'src/main.ts'), '// mine\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), GO_DOCKERFILE);
    create();
    expect(fs.readFileSync(path.join(dir, 'src/main.ts'), 'utf-8')).toBe('// mine\n');
    expect(withoutBlock(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf-8'))).toBe(GO_DOCKERFILE);
  });

  test('synthesis does not read the git remote: a developer\'s clone, a runner\'s checkout, an SSH remote, a fork and no remote give the same files', () => {
    const remotes = ['https://github.com/acme/my-op.git', 'https://github.com/acme/my-op', 'git@github.com:acme/my-op.git', 'https://github.com/someone/my-op', undefined];
    const outputs = remotes.map((remote) => {
      const dir = remote === undefined ? tempDir() : withRemote(tempDir(), remote);
      return Testing.synth(new NodeOperatorProject({ name: 'my-op', defaultReleaseBranch: 'main', outdir: dir, image: 'ghcr.io/acme/my-op', chart: true }));
    });
    for (const [i, out] of outputs.entries()) expect([remotes[i], out]).toEqual([remotes[i], outputs[0]]);
    expect(outputs[0]['package.json'].repository).toBeUndefined();
  });

  test('the image comes from the repository option when --image is not given', () => {
    const project = new NodeOperatorProject({ name: 'remote-op', defaultReleaseBranch: 'main', outdir: tempDir(), repository: 'https://github.com/Acme/Remote-Op.git' });
    expect(project.imageRelease.image).toBe('ghcr.io/acme/remote-op');
  });

  test('chart: true starts the repository with a chart whose probes hit the health endpoints, released with the image', () => {
    const dir = tempDir();
    synthWithoutInstall(new NodeOperatorProject({ name: 'my-op', defaultReleaseBranch: 'main', outdir: dir, image: 'ghcr.io/acme/my-op', chart: true }));
    const read = (f: string) => fs.readFileSync(path.join(dir, 'charts/my-op', f), 'utf-8');
    const deployment = read('templates/deployment.yaml');
    expect(deployment).toMatch(/livenessProbe:\n\s+httpGet:\n\s+path: \/healthz/);
    expect(deployment).toMatch(/readinessProbe:\n\s+httpGet:\n\s+path: \/readyz/);
    expect(deployment).toContain('containerPort: 8080');
    expect(parseYaml(read('values.yaml')).image.repository).toBe('ghcr.io/acme/my-op');
    expect(Object.keys(parseYaml(fs.readFileSync(path.join(dir, '.github/workflows/release.yml'), 'utf-8')).jobs)).toContain('image_chart');
  });

  test('the chart sample is written once: the user\'s chart is kept', () => {
    const dir = tempDir();
    const create = () => synthWithoutInstall(new NodeOperatorProject({ name: 'my-op', defaultReleaseBranch: 'main', outdir: dir, image: 'ghcr.io/acme/my-op', chart: true }));
    create();
    const service = path.join(dir, 'charts/my-op/templates/service.yaml');
    fs.writeFileSync(service, '# mine\n');
    create();
    expect(fs.readFileSync(service, 'utf-8')).toBe('# mine\n');
  });

  test('a wrong flag value fails with the model\'s message', () => {
    expect(() => new NodeOperatorProject({ name: 'x', defaultReleaseBranch: 'main', outdir: tempDir(), image: 'ghcr.io/a/b', platforms: ['linux/amd65'] }))
      .toThrow('platforms[0]: "linux/amd65" is not a platform');
  });
});

describe('ContainerImageProject in a Go operator repository', () => {
  const userFiles = { 'Dockerfile': GO_DOCKERFILE, 'go.mod': 'module github.com/acme/go-op\n\ngo 1.23\n', 'main.go': 'package main\n\nfunc main() {}\n' };

  function adopt(extra: Record<string, unknown> = {}, files: Record<string, string> = userFiles): { dir: string; out: Record<string, any> } {
    const dir = repoWith(files);
    const project = new ContainerImageProject({ name: 'go-op', outdir: dir, image: 'ghcr.io/acme/go-op', ...extra });
    synthWithoutInstall(project);
    const read = (f: string) => (f.endsWith('.json') ? JSON.parse(fs.readFileSync(path.join(dir, f), 'utf-8')) : fs.readFileSync(path.join(dir, f), 'utf-8'));
    const out: Record<string, any> = {};
    for (const f of ['Dockerfile', '.github/dependabot.yml', '.github/workflows/release-image.yml', '.projen/image-release.json', '.projen/tasks.json', '.gitignore']) {
      if (fs.existsSync(path.join(dir, f))) out[f] = read(f);
    }
    return { dir, out };
  }

  const { dir, out } = adopt();

  describe('the user\'s .gitignore', () => {
    const USER_GITIGNORE = '# Binaries\nbin/\n*.out\n';
    const gitignoreOf = (d: string) => fs.readFileSync(path.join(d, '.gitignore'), 'utf-8');
    const synthAgain = (d: string) => synthWithoutInstall(new ContainerImageProject({ name: 'go-op', outdir: d, image: 'ghcr.io/acme/go-op' }));

    test('keeps its lines byte for byte, gets projen\'s patterns in a block at its end, and stays the same on the next synthesis', () => {
      const { dir: d } = adopt({}, { ...userFiles, '.gitignore': USER_GITIGNORE });
      const first = gitignoreOf(d);
      expect(first.startsWith(`${USER_GITIGNORE}${USER_BLOCK_BEGIN}`)).toBe(true);
      expect(withoutBlock(first, USER_BLOCK_BEGIN, USER_BLOCK_END)).toBe(USER_GITIGNORE);
      expect(first).toMatch(/^node_modules\/$/m);
      expect(first).toMatch(/^!\/\.projen\/tasks\.json$/m);
      expect(JSON.parse(fs.readFileSync(path.join(d, '.projen/files.json'), 'utf-8')).files).not.toContain('.gitignore');
      synthAgain(d);
      expect(gitignoreOf(d)).toBe(first);
      // The user's later lines, above or below the block, stay.
      const edited = first.replace('bin/\n', 'bin/\ndist/\n') + '*.tmp\n';
      fs.writeFileSync(path.join(d, '.gitignore'), edited);
      synthAgain(d);
      expect(gitignoreOf(d)).toBe(edited);
    });

    test('a .gitignore that is all projen\'s (written by an earlier version) becomes the block alone', () => {
      const { dir: d } = adopt({}, { ...userFiles, '.gitignore': '# ~~ Generated by projen. To modify, edit .projenrc.ts and run "npx projen".\nnode_modules/\n' });
      expect(gitignoreOf(d).startsWith(USER_BLOCK_BEGIN)).toBe(true);
    });

    test.each([
      ['no final newline', 'bin/', 'bin/\n# BEGIN projen\nx\n# END projen\n'],
      ['CRLF line endings', 'bin/\r\n', 'bin/\r\n# BEGIN projen\r\nx\r\n# END projen\r\n'],
      ['a block to replace, lines after it kept', 'a\n# BEGIN projen\nold\n# END projen\nb', 'a\n# BEGIN projen\nx\n# END projen\nb'],
      ['an empty file', '', '# BEGIN projen\nx\n# END projen\n'],
    ])('the block goes into a file with %s', (_name, content, expected) => {
      expect(spliceUserBlock('.gitignore', content, [USER_BLOCK_BEGIN, 'x', USER_BLOCK_END])).toBe(expected);
    });

    test('a marker without its partner fails naming the file', () => {
      expect(() => spliceUserBlock('.gitignore', 'a\n# BEGIN projen\nx\n', [USER_BLOCK_BEGIN, USER_BLOCK_END])).toThrow(/^\.gitignore: its "# BEGIN projen" and "# END projen" lines are missing or out of order/);
      expect(() => spliceUserBlock('.gitignore', '# END projen\n# BEGIN projen\n', [USER_BLOCK_BEGIN, USER_BLOCK_END])).toThrow('out of order');
    });
  });

  test('keeps the user\'s Dockerfile byte for byte apart from the block', () => {
    expect(out.Dockerfile).not.toBe(GO_DOCKERFILE);
    expect(withoutBlock(out.Dockerfile)).toBe(GO_DOCKERFILE);
  });

  test('touches none of the user\'s other files', () => {
    expect(fs.readFileSync(path.join(dir, 'go.mod'), 'utf-8')).toBe(userFiles['go.mod']);
    expect(fs.readFileSync(path.join(dir, 'main.go'), 'utf-8')).toBe(userFiles['main.go']);
    const written = JSON.parse(fs.readFileSync(path.join(dir, '.projen/files.json'), 'utf-8')).files;
    expect(written).not.toEqual(expect.arrayContaining(['go.mod']));
    expect(written).not.toContain('Dockerfile');
  });

  test('publishes the image .projenrc.ts names on a tag push by default', () => {
    expect(out['.projen/image-release.json'].image).toBe('ghcr.io/acme/go-op');
    expect(parseYaml(out['.github/workflows/release-image.yml']).on.push.tags).toEqual(['v*']);
  });

  test('Dependabot watches gomod, docker and github-actions', () => {
    const d = parseYaml(out['.github/dependabot.yml']);
    expect(d.updates.map((u: any) => u['package-ecosystem'])).toEqual(['gomod', 'docker', 'github-actions']);
  });

  test('the repository\'s own dependabot.yml is kept, not managed', () => {
    const own = 'version: 2\nupdates: []\n';
    const { dir: d, out: o } = adopt({}, { ...userFiles, '.github/dependabot.yml': own });
    expect(fs.readFileSync(path.join(d, '.github/dependabot.yml'), 'utf-8')).toBe(own);
    expect(o.Dockerfile).toContain(BEGIN_MARKER);
  });

  test('the repository\'s own .gitattributes is kept, with projen\'s lines before it so that its own win', () => {
    const own = '*.bat eol=crlf\n';
    const { dir: d } = adopt({}, { ...userFiles, '.gitattributes': own });
    const text = fs.readFileSync(path.join(d, '.gitattributes'), 'utf-8');
    expect(text.endsWith(own)).toBe(true);
    expect(text.startsWith('# BEGIN projen')).toBe(true);
  });

  test('the ecosystems can be set in the model', () => {
    const { out: set } = adopt({ imageRelease: { dependabot: { ecosystems: [DependabotEcosystem.DOCKER] } } });
    expect(parseYaml(set['.github/dependabot.yml']).updates.map((u: any) => u['package-ecosystem'])).toEqual(['docker']);
  });

  test('a repository without a Dockerfile gets a minimal one with the block', () => {
    const { out: none } = adopt({}, { 'go.mod': 'module x\n' });
    expect(none.Dockerfile).toMatch(/^FROM /m);
    expect(none.Dockerfile).toContain(BEGIN_MARKER);
  });

  test('a misspelt --trigger (undefined in JavaScript) fails instead of falling back to the default', () => {
    expect(() => adopt({ trigger: (ReleaseTrigger as any).TAG_PUSHH })).toThrow(
      'trigger: undefined, which a misspelt --trigger value (or ReleaseTrigger member) becomes; use tag-push or release-published',
    );
  });

  test('--trigger chooses the release event', () => {
    const { out: published } = adopt({ trigger: ReleaseTrigger.RELEASE_PUBLISHED });
    expect(parseYaml(published['.github/workflows/release-image.yml']).on.release).toEqual({ types: ['published'] });
  });

  test('the tsconfig of .projenrc.ts is one ts-node and TypeScript 6 accept (no default ES5 target)', () => {
    fs.writeFileSync(path.join(dir, 'probe.ts'), 'import * as path from \'path\';\nconsole.log(`ran ${path.basename(\'/a/b\')}`);\n');
    const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpileOnly', '--project', 'tsconfig.projen.json', 'probe.ts'], { cwd: dir, encoding: 'utf-8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ran b\n');
  });

  test('.projenrc.ts runs with ts-node, node_modules is ignored, and the template has an upgrade task', () => {
    expect(JSON.stringify(out['.projen/tasks.json'].tasks.default)).toContain('.projenrc.ts');
    expect(out['.gitignore']).toMatch(/^node_modules\/$/m);
    expect(JSON.stringify(out['.projen/tasks.json'].tasks['upgrade-template'])).toContain('projen-image-release@latest');
  });
});

describe('projen new of a node-operator in a repository on another branch', () => {
  /** A NodeOperatorProject as projen new creates it, in a repository on `branch`. */
  function created(branch: string, extra: Record<string, unknown> = {}): string {
    const dir = tempDir();
    spawnSync('git', ['init', '-q', '-b', branch], { cwd: dir });
    const options = { name: 'my-op', defaultReleaseBranch: 'main', outdir: dir, image: 'ghcr.io/acme/my-op', logging: { level: LogLevel.WARN }, ...extra };
    return warningsOf(() => new NodeOperatorProject({ ...options, __new__: { fqn: 'projen.typescript.TypeScriptProject', args: {} } } as any));
  }

  test('warns that releases run on pushes to the release branch, naming both and the fixes', () => {
    expect(created('master')).toContain('the repository is on branch "master", but releases run on pushes to "main" (defaultReleaseBranch); '
      + 'rename the branch (git branch -m master main) or create the repository with --default-release-branch master');
  });

  test.each([
    ['the release branch', 'main', {}],
    ['another branch without projen\'s release (a tag push releases)', 'master', { release: false }],
  ])('does not warn on %s', (_name, branch, extra) => {
    expect(created(branch, extra)).not.toContain('releases run on pushes to');
  });
});
