/**
 * The semver functions the library uses, each required from its own module: `require('semver')`
 * loads all of semver (ranges included), which costs every `npx projen` about 10 ms.
 */
export { default as SemVer } from 'semver/classes/semver';
export { default as eq } from 'semver/functions/eq';
export { default as gte } from 'semver/functions/gte';
export { default as lt } from 'semver/functions/lt';
export { default as major } from 'semver/functions/major';
export { default as parse } from 'semver/functions/parse';
export { default as prerelease } from 'semver/functions/prerelease';
export { default as rcompare } from 'semver/functions/rcompare';
export { default as valid } from 'semver/functions/valid';
