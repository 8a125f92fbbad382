import { Testing } from 'projen';
import { NodeOperatorProject } from '../../src';
import { tarballSpec } from '../../src/projects/tarball-spec';
import { tempDir } from '../util';

/** `projen new --from <path to a packed tarball>` of a node-operator: the path projen puts into devDeps. */

test('node-operator installs the library from a bare tarball path in devDeps, under the library\'s name', () => {
  const devDeps = ['../dist/projen-image-release-1.2.3.tgz'];
  const project = new NodeOperatorProject({ name: 'my-op', defaultReleaseBranch: 'main', outdir: tempDir(), image: 'ghcr.io/acme/my-op', devDeps });
  const devDependencies: Record<string, string> = Testing.synth(project)['package.json'].devDependencies;
  expect(devDependencies['projen-image-release']).toBe('file:../dist/projen-image-release-1.2.3.tgz');
  expect(Object.keys(devDependencies).filter((name) => name.includes('.tgz'))).toEqual([]);
});

test.each([
  ['npm pack\'s name', './projen-image-release-1.2.3.tgz', 'projen-image-release', 'projen-image-release@file:./projen-image-release-1.2.3.tgz'],
  ['jsii\'s name', '/abs/dist/js/projen-image-release@1.2.3.jsii.tgz', 'projen-image-release', 'projen-image-release@file:/abs/dist/js/projen-image-release@1.2.3.jsii.tgz'],
  ['a scoped preset packed by npm', 'acme-operator-preset-0.1.0.tgz', '@acme/operator-preset', '@acme/operator-preset@file:acme-operator-preset-0.1.0.tgz'],
  ['a scoped preset packed by jsii', '../operator-preset@0.1.0.jsii.tgz', '@acme/operator-preset', '@acme/operator-preset@file:../operator-preset@0.1.0.jsii.tgz'],
])('a tarball path with %s is named after the template package', (_what, dep, template, expected) => {
  expect(tarballSpec(dep, template)).toBe(expected);
});

test.each([
  ['a spec that names its package', 'projen-image-release@file:/abs/x.tgz'],
  ['a registry spec', 'projen-image-release@^1'],
  ['the tarball of another package', './other-lib-1.0.0.tgz'],
])('%s is kept as it is', (_what, dep) => {
  expect(tarballSpec(dep, 'projen-image-release')).toBe(dep);
});
