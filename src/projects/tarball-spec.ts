import * as path from 'path';

/**
 * A devDependency given as a bare path to a packed tarball of `templatePackage`, as npm can install it.
 * `projen new --from ./projen-image-release-1.2.3.tgz` puts the path itself into devDeps, which projen
 * takes for a package name (npm then stops with EINVALIDPACKAGENAME); named after the package, as
 * `projen-image-release@file:./projen-image-release-1.2.3.tgz`, it installs. A tarball is recognized by
 * the file names `npm pack` (`<name>-<version>.tgz`, a scope as `<scope>-<name>`) and jsii
 * (`<name>@<version>.jsii.tgz`) give it; every other entry is returned as it is.
 */
export function tarballSpec(dep: string, templatePackage: string): string {
  if (dep.includes('@file:') || !/\.tgz$/.test(dep)) return dep;
  const file = path.posix.basename(dep.replace(/\\/g, '/'));
  const packed = templatePackage.replace(/^@/, '').replace(/\//g, '-');
  const unscoped = templatePackage.replace(/^@[^/]+\//, '');
  const ours = file.startsWith(`${packed}-`) || file.startsWith(`${unscoped}@`);
  return ours ? `${templatePackage}@file:${dep}` : dep;
}
