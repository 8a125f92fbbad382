import * as path from 'path';
import { ResolvedModel } from '../model/resolved';
import { DependabotEcosystem } from '../options';

/** Path of the file. */
export const DEPENDABOT_PATH = '.github/dependabot.yml';

/**
 * The directory Dependabot scans for an ecosystem, relative to the repository root: the
 * Dockerfile's directory for docker, the root for npm and github-actions.
 */
function directoryOf(ecosystem: DependabotEcosystem, model: ResolvedModel): string {
  if (ecosystem === DependabotEcosystem.DOCKER) {
    const dir = path.posix.dirname(model.dockerfile);
    return dir === '.' ? '/' : `/${dir}`;
  }
  return '/';
}

/** The content of `.github/dependabot.yml` (wire keys), or undefined when disabled. */
export function dependabotConfig(model: ResolvedModel): Record<string, unknown> | undefined {
  const d = model.dependabot;
  if (!d.enabled) return undefined;
  const updates = d.ecosystems.map((ecosystem) => {
    const ignores = d.ignores.filter((ig) => ig.ecosystem === ecosystem);
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
