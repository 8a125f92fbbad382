import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DependabotEcosystem } from '../options';

/**
 * What a project type reads from the repository it is created in: the git remote and the
 * manifest files of its language.
 */

/** The URL of the git remote `origin` of `dir`, or undefined when there is none (or no git). */
export function gitRemoteUrl(dir: string): string | undefined {
  try {
    const url = execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf-8' }).trim();
    return url === '' ? undefined : url;
  } catch {
    return undefined;
  }
}

/** Manifest files that say which ecosystem a repository's own dependencies live in. */
const MANIFESTS: ReadonlyArray<readonly [RegExp, DependabotEcosystem]> = [
  [/^go\.mod$/, DependabotEcosystem.GOMOD],
  [/^package\.json$/, DependabotEcosystem.NPM],
  [/^(pyproject\.toml|requirements.*\.txt)$/, DependabotEcosystem.PIP],
  [/^Cargo\.toml$/, DependabotEcosystem.CARGO],
];

/**
 * The Dependabot ecosystems of the repository at `dir`: those whose manifest is at its root, then
 * docker and github-actions, which every image repository has.
 */
export function detectEcosystems(dir: string): DependabotEcosystem[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile());
  } catch {
    files = [];
  }
  const found = MANIFESTS.filter(([pattern]) => files.some((f) => pattern.test(f))).map(([, e]) => e);
  return [...found, DependabotEcosystem.DOCKER, DependabotEcosystem.GITHUB_ACTIONS];
}

/** The package that holds the project types of this library. */
const THIS_PACKAGE = 'projen-image-release';

/**
 * The npm package a project type comes from, read from the jsii type information of its class
 * (`@acme/operator-preset.AcmeOperatorProject` -> `@acme/operator-preset`). A class without
 * its own (a subclass written in `.projenrc.ts`, or this library run from source) comes from the
 * nearest class that has one, and projen's own classes from this library.
 */
export function packageOfProjectType(type: Function): string {
  const fqn: unknown = (type as any)[Symbol.for('jsii.rtti')]?.fqn;
  const m = typeof fqn === 'string' ? /^(@[^/]+\/[^.]+|[^.@]+)\./.exec(fqn) : null;
  return m && m[1] !== 'projen' ? m[1] : THIS_PACKAGE;
}
