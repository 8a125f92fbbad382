import * as semver from '../semver';

/**
 * The run-time decision of the "latest only for the highest version" policy, in two equal forms:
 * a shell step for the workflow (no `${{ }}` inside), and the same rule in TypeScript for the
 * planner, the CLI and the docs. A test runs both on the same tag lists.
 *
 * Rule: among the repository's tags that are the release tag prefix (if any) followed by a plain
 * stable version (`X.Y.Z` or `vX.Y.Z`, no leading zeros), find the highest; the release is
 * "highest" when its version equals it.
 */

/** A stable version tag, with an optional `v`. */
const STABLE_TAG = /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/** The step id, and its output name (`true` or `false`). */
export const HIGHEST_STEP = { id: 'highest', output: 'highest' } as const;

/**
 * Whether `tag` is the highest stable version among `existingTags` (which include it once pushed).
 * @param prefix the release tag prefix (`operator-v`); tags without it are other components'
 */
export function isHighestVersion(tag: string, existingTags: readonly string[], prefix = ''): boolean {
  const versionOf = (t: string) => (t.startsWith(prefix) ? t.slice(prefix.length) : undefined);
  const current = versionOf(tag);
  const stable = [...existingTags, tag].map(versionOf).filter((v): v is string => v !== undefined && STABLE_TAG.test(v)).map((v) => v.replace(/^v/, ''));
  if (current === undefined || !STABLE_TAG.test(current) || stable.length === 0) return false;
  const highest = stable.sort(semver.rcompare)[0];
  return current.replace(/^v/, '') === highest;
}

/**
 * The shell script of the step. Reads the release's tag from `$TAG` and the tag prefix from
 * `$PREFIX` (may be empty), lists the repository's tags with that prefix through the GitHub API
 * (`gh`, token in `$GH_TOKEN`, repository in `$GITHUB_REPOSITORY`) and writes
 * `highest=true|false` to `$GITHUB_OUTPUT`.
 */
export function highestVersionScript(): string {
  return [
    'set -euo pipefail',
    'current="${TAG#"${PREFIX}"}"',
    'current="${current#v}"',
    'highest="$({ gh api --paginate "repos/${GITHUB_REPOSITORY}/git/matching-refs/tags/${PREFIX}" --jq \'.[].ref\'; echo "refs/tags/${TAG}"; } \\',
    '  | sed \'s#^refs/tags/##\' | while IFS= read -r t; do case "${t}" in "${PREFIX}"*) printf \'%s\\n\' "${t#"${PREFIX}"}" ;; esac; done \\',
    `  | grep -E '${STABLE_TAG.source}' | sed 's/^v//' | sort -V | tail -n 1 || true)"`,
    'if [ -n "${highest}" ] && [ "${current}" = "${highest}" ]; then result=true; else result=false; fi',
    'echo "Release ${TAG}: highest stable version is ${highest:-none}; latest=${result}"',
    `echo "${HIGHEST_STEP.output}=\${result}" >> "\${GITHUB_OUTPUT}"`,
  ].join('\n');
}
