/**
 * Release tags with a prefix before the version (`operator-v1.2.3`, common in repositories with
 * several components). docker/metadata-action's semver rules take a tag only when it is a version
 * with an optional `v`, so the workflow strips the prefix first and hands the rest to them.
 */

/** A tag glob the model accepts: a literal prefix, then one `*`. */
export const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]*\*$|^\*$/;

/**
 * The prefix the workflow strips for a tag glob: empty for `*` and `v*` (metadata-action reads
 * `1.2.3` and `v1.2.3` itself), else the text before the `*` (`operator-v` of `operator-v*`).
 */
export function tagPrefixOf(pattern: string): string {
  const literal = pattern.slice(0, -1);
  return literal === 'v' ? '' : literal;
}

/** The version part of a release tag: the tag without the prefix (the tag itself when it lacks it). */
export function versionOfTag(tag: string, prefix: string): string {
  return prefix !== '' && tag.startsWith(prefix) ? tag.slice(prefix.length) : tag;
}
