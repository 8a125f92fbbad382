import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Where short names in `FROM` resolve: Docker Hub, as Docker (which the release workflow builds with) resolves them. */
export const SHORT_NAME_REGISTRY = 'docker.io';

/** Top-level keys of registries.conf that decide how short names resolve. */
const SHORT_NAME_KEYS = /^\s*(unqualified-search-registries|short-name-mode)\s*=/;

/**
 * The main registries.conf buildah reads on this machine, as containers/image finds it:
 * `$CONTAINERS_REGISTRIES_CONF`, else the user's `~/.config/containers/registries.conf`, else
 * `/etc/containers/registries.conf`; undefined when there is none.
 */
export function machineRegistriesConf(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string | undefined {
  const candidates = [env.CONTAINERS_REGISTRIES_CONF, path.join(home, '.config/containers/registries.conf'), '/etc/containers/registries.conf'];
  const found = candidates.find((f): f is string => f !== undefined && f !== '' && fs.existsSync(f));
  return found === undefined ? undefined : fs.readFileSync(found, 'utf-8');
}

/**
 * The registries.conf of the rehearsal's buildah: short names in `FROM` (`golang:1.24`) resolve on
 * docker.io, as Docker resolves them, whatever the machine's search registries are (buildah alone
 * refuses a short name when none are configured, and cannot ask which one to use without a
 * terminal). The rest of the machine's own file (`machine`: mirrors, blocked and insecure
 * registries, aliases) is kept; a file in the older v1 format (`[registries.search]`) cannot be
 * combined with these keys and is left out.
 */
export function rehearsalRegistriesConf(machine: string | undefined): string {
  const ours = [
    '# Written by image-release rehearse: short names resolve on docker.io, as Docker resolves them.',
    `unqualified-search-registries = ["${SHORT_NAME_REGISTRY}"]`,
    'short-name-mode = "permissive"',
  ];
  if (machine === undefined || /^\s*\[registries\.\w+\]/m.test(machine)) return [...ours, ''].join('\n');
  const kept: string[] = [];
  let skipping = false;
  let inTable = false;
  for (const line of machine.split('\n')) {
    if (skipping) {
      if (line.includes(']')) skipping = false;
      continue;
    }
    if (/^\s*\[/.test(line)) inTable = true;
    if (!inTable && SHORT_NAME_KEYS.test(line)) {
      // A multi-line array goes on until its closing bracket.
      skipping = /=\s*\[/.test(line) && !line.includes(']');
      continue;
    }
    kept.push(line);
  }
  return [...ours, '', ...kept].join('\n');
}
