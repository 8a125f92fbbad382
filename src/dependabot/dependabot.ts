import * as path from 'path';
import * as YAML from 'yaml';
import { ResolvedDependabotIgnore, ResolvedModel } from '../model/resolved';
import { DependabotEcosystem, DependabotUpdateType } from '../options';
import { PINNED_ACTION_REPOSITORIES } from '../workflow/pins';

/** Path of the file. */
export const DEPENDABOT_PATH = '.github/dependabot.yml';

/** The directory of a Dockerfile as Dependabot names it (`/`, `/webhook`). */
function directoryOf(dockerfile: string): string {
  const dir = path.posix.dirname(dockerfile);
  return dir === '.' ? '/' : `/${dir}`;
}

/**
 * The content of `.github/dependabot.yml` (wire keys). docker is watched in the directory of each
 * image's Dockerfile, every other ecosystem at the root, where its manifest lives.
 * @param npmDepsWithVersion npm dependencies the project declares with a version: `npx projen`
 * writes their version back, so a Dependabot update of one would fail projen's self-mutation check
 * @param dockerfiles the Dockerfile of every image of the project (default: the model's)
 */
export function dependabotConfig(
  model: ResolvedModel, npmDepsWithVersion: readonly string[] = [], dockerfiles: readonly string[] = [model.dockerfile],
): Record<string, unknown> {
  const d = model.dependabot;
  const dockerDirs = [...new Set(dockerfiles.map(directoryOf))];
  const entries = d.ecosystems.flatMap((ecosystem) => (ecosystem === DependabotEcosystem.DOCKER ? dockerDirs : ['/']).map((directory) => ({ ecosystem, directory })));
  const updates = entries.map(({ ecosystem, directory }) => {
    const ignores: ResolvedDependabotIgnore[] = d.ignores.filter((ig) => ig.ecosystem === ecosystem);
    if (ecosystem === DependabotEcosystem.NPM) {
      for (const name of npmDepsWithVersion) {
        if (!ignores.some((ig) => ig.dependencyName === name && !ig.updateTypes?.length)) ignores.push({ ecosystem, dependencyName: name });
      }
    }
    const entry: Record<string, unknown> = {
      'package-ecosystem': ecosystem,
      'directory': directory,
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

/** Said above the ignore of github-actions majors in the file. */
export const ACTIONS_MAJOR_COMMENT = ' Majors of the actions the generated jobs pin are ignored: "npx projen" keeps each in its major, so their pull requests could not land.';

/**
 * The text of `.github/dependabot.yml`: `config` (from {@link dependabotConfig}) as YAML with the
 * `header` comment lines on top, and a comment saying why the majors of actions are ignored.
 */
export function dependabotYaml(config: Record<string, unknown>, header: readonly string[]): string {
  const doc = new YAML.Document(config);
  doc.commentBefore = header.map((h) => ` ${h}`).join('\n');
  const updates = (config.updates ?? []) as Array<Record<string, unknown>>;
  updates.forEach((u, i) => {
    if (u['package-ecosystem'] !== DependabotEcosystem.GITHUB_ACTIONS) return;
    const ignores = (u.ignore ?? []) as Array<Record<string, unknown>>;
    const j = ignores.findIndex((ig) => PINNED_ACTION_REPOSITORIES.includes(String(ig['dependency-name'])) && (ig['update-types'] as string[] | undefined)?.includes(DependabotUpdateType.SEMVER_MAJOR));
    if (j < 0) return;
    const node = doc.getIn(['updates', i, 'ignore', j], true) as YAML.Node;
    node.commentBefore = ACTIONS_MAJOR_COMMENT;
  });
  return doc.toString({ lineWidth: 0 });
}
