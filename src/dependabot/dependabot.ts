import * as path from 'path';
import { ResolvedDependabotIgnore, ResolvedModel } from '../model/resolved';
import { DependabotEcosystem } from '../options';

/** Path of the file. */
export const DEPENDABOT_PATH = '.github/dependabot.yml';

/**
 * The directory Dependabot scans for an ecosystem, relative to the repository root: the
 * Dockerfile's directory for docker, the root for every other ecosystem (its manifest lives there).
 */
function directoryOf(ecosystem: DependabotEcosystem, model: ResolvedModel): string {
  if (ecosystem === DependabotEcosystem.DOCKER) {
    const dir = path.posix.dirname(model.dockerfile);
    return dir === '.' ? '/' : `/${dir}`;
  }
  return '/';
}

/**
 * The content of `.github/dependabot.yml` (wire keys).
 * @param npmDepsWithVersion npm dependencies the project declares with a version: `npx projen`
 * writes their version back, so a Dependabot update of one would fail projen's self-mutation check
 */
export function dependabotConfig(model: ResolvedModel, npmDepsWithVersion: readonly string[] = []): Record<string, unknown> {
  const d = model.dependabot;
  const updates = d.ecosystems.map((ecosystem) => {
    const ignores: ResolvedDependabotIgnore[] = d.ignores.filter((ig) => ig.ecosystem === ecosystem);
    if (ecosystem === DependabotEcosystem.NPM) {
      for (const name of npmDepsWithVersion) {
        if (!ignores.some((ig) => ig.dependencyName === name && !ig.updateTypes?.length)) ignores.push({ ecosystem, dependencyName: name });
      }
    }
    const entry: Record<string, unknown> = {
      'package-ecosystem': ecosystem,
      'directory': directoryOf(ecosystem, model),
      'schedule': { interval: d.interval },
    };
    if (d.cooldownDays > 0) entry.cooldown = { 'default-days': d.cooldownDays };
    if (d.groupUpdates) entry.groups = { [ecosystem]: { patterns: ['*'] } };
    if (ignores.length > 0) {
      entry.ignore = ignores.map((ig) => ({
        'dependency-name': ig.dependencyName,
        ...(ig.updateTypes && ig.updateTypes.length > 0 ? { 'update-types': [...ig.updateTypes] } : {}),
      }));
    }
    if (d.labels) entry.labels = [...d.labels];
    return entry;
  });
  return { version: 2, updates };
}
