import * as fs from 'fs';
import * as path from 'path';
import { machineRegistriesConf, rehearsalRegistriesConf } from '../../src/rehearse/registries-conf';
import { tempDir } from '../util';

/** The settings lines of a registries.conf: no comments, no blank lines. */
const settings = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !/^\s*#/.test(l));

test('without a registries.conf on the machine, short names resolve on docker.io', () => {
  expect(settings(rehearsalRegistriesConf(undefined))).toEqual([
    'unqualified-search-registries = ["docker.io"]',
    'short-name-mode = "permissive"',
  ]);
});

test('the machine\'s search registries and short-name mode are replaced; its mirrors and aliases are kept', () => {
  const machine = [
    'unqualified-search-registries = [',
    '  "registry.fedoraproject.org",',
    '  "quay.io",',
    ']',
    'short-name-mode = "enforcing"',
    '',
    '[[registry]]',
    'location = "docker.io"',
    '[[registry.mirror]]',
    'location = "mirror.example.com"',
    '',
    '[aliases]',
    '"golang" = "docker.io/library/golang"',
  ].join('\n');
  expect(settings(rehearsalRegistriesConf(machine))).toEqual([
    'unqualified-search-registries = ["docker.io"]',
    'short-name-mode = "permissive"',
    '[[registry]]',
    'location = "docker.io"',
    '[[registry.mirror]]',
    'location = "mirror.example.com"',
    '[aliases]',
    '"golang" = "docker.io/library/golang"',
  ]);
});

test('a registries.conf in the v1 format, which cannot be combined with the short-name keys, is left out', () => {
  const machine = '[registries.search]\nregistries = ["quay.io"]\n\n[registries.insecure]\nregistries = []\n';
  expect(settings(rehearsalRegistriesConf(machine))).toEqual([
    'unqualified-search-registries = ["docker.io"]',
    'short-name-mode = "permissive"',
  ]);
});

test('the machine\'s registries.conf is the one $CONTAINERS_REGISTRIES_CONF names before the user\'s and the system\'s', () => {
  const home = tempDir();
  fs.mkdirSync(path.join(home, '.config/containers'), { recursive: true });
  fs.writeFileSync(path.join(home, '.config/containers/registries.conf'), 'user');
  const named = path.join(tempDir(), 'named.conf');
  fs.writeFileSync(named, 'named');
  expect(machineRegistriesConf({ CONTAINERS_REGISTRIES_CONF: named }, home)).toBe('named');
  expect(machineRegistriesConf({}, home)).toBe('user');
});
