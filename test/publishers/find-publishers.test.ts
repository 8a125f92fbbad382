import { findPublishers, Publisher, PublisherQuery, publisherMessage } from '../../src/publishers/find-publishers';

const IMAGE = 'ghcr.io/acme/demo';
const PATH = '.github/workflows/docker.yml';
const QUERY: PublisherQuery = { image: IMAGE, repository: { owner: 'Acme', repo: 'Demo' }, ownJobs: [] };

type Json = Record<string, unknown>;

/** A workflow triggered by `v*` tags with one job, `publish`, running `steps`. */
function workflow(steps: unknown[], job: Json = {}, top: Json = {}): Json {
  return { on: { push: { tags: ['v*'] } }, ...top, jobs: { publish: { 'runs-on': 'ubuntu-latest', ...job, steps } } };
}

function find(wf: unknown, query: PublisherQuery = QUERY): Publisher[] {
  return findPublishers([{ path: PATH, workflow: wf }], query);
}

const BUILD_PUSH = 'docker/build-push-action@v6';
const META = { id: 'meta', uses: 'docker/metadata-action@v5', with: { images: IMAGE, tags: 'type=ref,event=tag' } };

describe('a job that pushes the image is found, with what pushes it', () => {
  test.each<[string, Json, string]>([
    ['build-push-action with push: true', workflow([{ uses: BUILD_PUSH, with: { push: true, tags: `${IMAGE}:1.0.0` } }]),
      'docker/build-push-action with push: true'],
    ['build-push-action with push: "true"', workflow([{ uses: BUILD_PUSH, with: { push: 'true', tags: `${IMAGE}:1.0.0` } }]),
      'docker/build-push-action with push: true'],
    ['build-push-action pushing on a condition', workflow([{ uses: BUILD_PUSH, with: { push: '${{ github.event_name != \'pull_request\' }}', tags: `${IMAGE}:1.0.0` } }]),
      'docker/build-push-action with push: ${{ github.event_name != \'pull_request\' }} (may push)'],
    ['build-push-action pinned to a SHA', workflow([{ uses: `docker/build-push-action@${'a'.repeat(40)}`, with: { push: true, tags: `${IMAGE}:1` } }]),
      'docker/build-push-action with push: true'],
    ['build-push-action with an output that pushes', workflow([{ uses: BUILD_PUSH, with: { outputs: `type=image,name=${IMAGE},push=true` } }]),
      `docker/build-push-action with outputs: type=image,name=${IMAGE},push=true`],
    ['bake-action with push: true', workflow([{ uses: 'docker/bake-action@v6', with: { push: true, set: `*.tags=${IMAGE}:1` } }]),
      'docker/bake-action with push: true'],
    ['redhat-actions/push-to-registry', workflow([{ uses: 'redhat-actions/push-to-registry@v2', with: { image: 'demo', tags: '1.0.0', registry: 'ghcr.io/acme' } }]),
      'redhat-actions/push-to-registry'],
    ['docker push', workflow([{ run: `docker push ${IMAGE}:1.0.0` }]), `docker push ${IMAGE}:1.0.0`],
    ['docker image push', workflow([{ run: `docker image push --all-tags ${IMAGE}` }]), `docker image push --all-tags ${IMAGE}`],
    ['docker buildx build --push', workflow([{ run: `docker buildx build --push -t ${IMAGE}:1 .` }]), `docker buildx build --push -t ${IMAGE}:1 .`],
    ['docker buildx build --push=true', workflow([{ run: `docker buildx build --push=true --tag=${IMAGE}:1 .` }]), `docker buildx build --push=true --tag=${IMAGE}:1 .`],
    ['docker buildx build with an output that pushes', workflow([{ run: `docker buildx build --output type=image,name=${IMAGE}:1,push=true .` }]),
      `docker buildx build --output type=image,name=${IMAGE}:1,push=true .`],
    ['a command over continued lines', workflow([{ run: `docker buildx build \\\n  --push \\\n  -t ${IMAGE}:1 .\n` }]), `docker buildx build --push -t ${IMAGE}:1 .`],
    ['docker buildx imagetools create', workflow([{ run: `docker buildx imagetools create -t ${IMAGE}:1 ${IMAGE}:1-amd64` }]),
      `docker buildx imagetools create -t ${IMAGE}:1 ${IMAGE}:1-amd64`],
    ['docker manifest push', workflow([{ run: `docker manifest push ${IMAGE}:1` }]), `docker manifest push ${IMAGE}:1`],
    ['buildah push', workflow([{ run: `buildah push ${IMAGE}:1` }]), `buildah push ${IMAGE}:1`],
    ['podman push to a destination', workflow([{ run: `podman push localhost/demo docker://${IMAGE}:1` }]), `podman push localhost/demo docker://${IMAGE}:1`],
    ['podman manifest push', workflow([{ run: `podman manifest push --all demo-list docker://${IMAGE}:1` }]), `podman manifest push --all demo-list docker://${IMAGE}:1`],
    ['skopeo copy', workflow([{ run: `skopeo copy oci-archive:demo.tar docker://${IMAGE}:1` }]), `skopeo copy oci-archive:demo.tar docker://${IMAGE}:1`],
    ['crane push', workflow([{ run: `crane push demo.tar ${IMAGE}:1` }]), `crane push demo.tar ${IMAGE}:1`],
    ['crane copy', workflow([{ run: `crane copy ghcr.io/acme/staging:1 ${IMAGE}:1` }]), `crane copy ghcr.io/acme/staging:1 ${IMAGE}:1`],
    ['crane tag', workflow([{ run: `crane tag ${IMAGE}:1.0.0 latest` }]), `crane tag ${IMAGE}:1.0.0 latest`],
    ['oras push', workflow([{ run: `oras push ${IMAGE}:1 artifact.txt` }]), `oras push ${IMAGE}:1 artifact.txt`],
    ['oras copy', workflow([{ run: `oras cp ghcr.io/acme/staging:1 ${IMAGE}:1` }]), `oras cp ghcr.io/acme/staging:1 ${IMAGE}:1`],
    ['ko build with KO_DOCKER_REPO', workflow([{ run: 'ko build --bare ./cmd/demo', env: { KO_DOCKER_REPO: IMAGE } }]), 'ko build --bare ./cmd/demo'],
    ['ko publish with setup-ko\'s ghcr.io/<owner>/<repo>', workflow([{ uses: 'ko-build/setup-ko@v0.8' }, { run: 'ko publish --bare ./' }]), 'ko publish --bare ./'],
    ['ko with KO_DOCKER_REPO before the command', workflow([{ run: 'KO_DOCKER_REPO=${IMAGE,,} ko build --bare .', env: { IMAGE: 'GHCR.IO/Acme/Demo' } }]),
      'KO_DOCKER_REPO=${IMAGE,,} ko build --bare .'],
  ])('%s', (_name, wf, evidence) => {
    expect(find(wf)).toEqual([expect.objectContaining({ path: PATH, jobId: 'publish', evidence })]);
  });
});

describe('the image is recognised however the workflow spells it', () => {
  test.each<[string, Json]>([
    ['${{ github.repository }}', workflow([{ run: 'docker push ghcr.io/${{ github.repository }}:latest' }])],
    ['${{ github.repository_owner }} and ${{ github.event.repository.name }}',
      workflow([{ run: 'docker push ghcr.io/${{github.repository_owner}}/${{ GITHUB.EVENT.REPOSITORY.NAME }}:latest' }])],
    ['${{ env.NAME }} from the workflow env, itself an expression',
      workflow([{ uses: BUILD_PUSH, with: { push: true, tags: '${{ env.REGISTRY }}/${{ env.IMAGE_NAME }}:1' } }], {},
        { env: { REGISTRY: 'ghcr.io', IMAGE_NAME: '${{ github.repository }}' } })],
    ['$NAME from the job env', workflow([{ run: 'docker push $IMAGE:1' }], { env: { IMAGE } })],
    ['${NAME} from the step env', workflow([{ run: 'docker push "${IMAGE}:1"', env: { IMAGE } }])],
    ['${GITHUB_REPOSITORY,,} of the runner', workflow([{ run: 'docker push "ghcr.io/${GITHUB_REPOSITORY,,}:1"' }])],
    ['a variable the script sets', workflow([{ run: `IMAGE=${IMAGE}\ndocker push "$IMAGE:1"` }])],
    ['a variable an earlier step writes to $GITHUB_ENV',
      workflow([{ run: 'echo "IMAGE=ghcr.io/${GITHUB_REPOSITORY,,}" >> "$GITHUB_ENV"' }, { uses: BUILD_PUSH, with: { push: true, tags: '${{ env.IMAGE }}:1' } }])],
    ['a step output written to $GITHUB_OUTPUT',
      workflow([{ id: 'ref', run: `echo "image=${IMAGE}" >> $GITHUB_OUTPUT` }, { run: 'docker push ${{ steps.ref.outputs.image }}:1' }])],
    ['upper case', workflow([{ run: 'docker push GHCR.IO/Acme/Demo:1.0' }])],
    ['metadata-action images feeding build-push-action tags', workflow([META, { uses: BUILD_PUSH, with: { push: true, tags: '${{ steps.meta.outputs.tags }}' } }])],
    ['metadata-action without an id, beside a push it feeds',
      workflow([{ ...META, id: undefined }, { uses: BUILD_PUSH, with: { push: true, tags: '${{ fromJSON(steps.meta.outputs.json).tags }}' } }])],
    ['a matrix of images', workflow([{ uses: BUILD_PUSH, with: { push: true, tags: '${{ matrix.image }}:1' } }], { strategy: { matrix: { image: [IMAGE, 'ghcr.io/acme/other'] } } })],
    ['a push whose destination comes from a file, in a job that names the image', workflow([{ run: 'docker push "$(cat ref.txt)"', env: { BASE: IMAGE } }])],
  ])('%s', (_name, wf) => {
    expect(find(wf).map((p) => p.jobId)).toEqual(['publish']);
  });
});

describe('a job that does not push the image is not found', () => {
  test.each<[string, Json]>([
    ['docker pull and docker run', workflow([{ run: `docker pull ${IMAGE}:1\ndocker run --rm ${IMAGE}:1 --version` }])],
    ['the image as job container and service, with a push of something else',
      workflow([{ run: 'docker push ${{ steps.ref.outputs.ref }}' }], { container: `${IMAGE}:1`, services: { app: { image: `${IMAGE}:1` } } })],
    ['another image with the same prefix', workflow([{ run: 'docker push ghcr.io/acme/demo-webhook:1' }])],
    ['an image under the image\'s path', workflow([{ run: 'docker push ghcr.io/acme/demo/sub:1' }])],
    ['the image on another host', workflow([{ run: 'docker push mirror.ghcr.io/acme/demo:1' }])],
    ['build-push-action with push: false', workflow([{ uses: BUILD_PUSH, with: { push: false, tags: `${IMAGE}:1` } }])],
    ['build-push-action with push: "false"', workflow([{ uses: BUILD_PUSH, with: { push: 'false', tags: `${IMAGE}:1` } }])],
    ['build-push-action that loads', workflow([{ uses: BUILD_PUSH, with: { load: true, tags: `${IMAGE}:1` } }])],
    ['docker buildx build without --push', workflow([{ run: `docker buildx build --load -t ${IMAGE}:1 .` }])],
    ['docker buildx build --push=false', workflow([{ run: `docker buildx build --push=false -t ${IMAGE}:1 .` }])],
    ['imagetools create --dry-run', workflow([{ run: `docker buildx imagetools create --dry-run -t ${IMAGE}:1 ${IMAGE}:1-amd64` }])],
    ['a push that never names the image', workflow([{ ...META, with: { images: 'ghcr.io/acme/other' } }, { uses: BUILD_PUSH, with: { push: true, tags: '${{ steps.meta.outputs.tags }}' } }])],
    ['a push of another image in a job that pulls the image', workflow([{ run: `docker pull ${IMAGE}:1\ndocker push ghcr.io/acme/other:1` }])],
    ['skopeo copy from the image to another registry', workflow([{ run: `skopeo copy docker://${IMAGE}:1 docker://docker.io/acme/demo:1` }])],
    ['skopeo copy to a local directory', workflow([{ run: `skopeo copy docker://${IMAGE}:1 dir:/tmp/demo` }])],
    ['ko build with KO_DOCKER_REPO of another image', workflow([{ run: 'ko build --bare .', env: { KO_DOCKER_REPO: 'ghcr.io/acme/other' } }])],
    ['ko build --push=false', workflow([{ run: 'ko build --push=false --bare .', env: { KO_DOCKER_REPO: IMAGE } }])],
    ['metadata-action alone', workflow([META])],
    ['the workflow env names the image, the job pushes something it never refers to',
      workflow([{ run: 'docker push "$(cat ref.txt)"' }], {}, { env: { IMAGE } })],
    ['a reusable workflow called with other inputs', { jobs: { build: { uses: './.github/workflows/build.yml', with: { image: 'ghcr.io/acme/other' } } } }],
  ])('%s', (_name, wf) => {
    expect(find(wf)).toEqual([]);
  });
});

test('a job calling a reusable workflow with the image is found, as we cannot see inside', () => {
  const wf = { jobs: { release: { uses: 'acme/workflows/.github/workflows/image.yml@v1', with: { image: 'ghcr.io/${{ github.repository }}' } } } };
  expect(find(wf)).toEqual([{ path: PATH, jobId: 'release', evidence: 'calls reusable workflow acme/workflows/.github/workflows/image.yml@v1 with the image' }]);
});

test('the result names the path and the job id', () => {
  const wf = { jobs: { 'lint': { steps: [{ run: 'npm test' }] }, 'push-image': { steps: [{ run: `docker push ${IMAGE}:1` }] } } };
  expect(findPublishers([{ path: '.github/workflows/image.yml', workflow: wf }], QUERY))
    .toEqual([{ path: '.github/workflows/image.yml', jobId: 'push-image', evidence: `docker push ${IMAGE}:1` }]);
});

test('our own jobs are skipped, by path and job id', () => {
  const wf = { jobs: { publish: { steps: [{ run: `docker push ${IMAGE}:1` }] } } };
  const sources = [{ path: '.github/workflows/release.yml', workflow: wf }, { path: PATH, workflow: wf }];
  const found = findPublishers(sources, { ...QUERY, ownJobs: [{ path: '.github/workflows/release.yml', jobId: 'publish' }] });
  expect(found.map((p) => p.path)).toEqual([PATH]);
});

test('results are ordered by path, then job id', () => {
  const job = { steps: [{ run: `docker push ${IMAGE}:1` }] };
  const wf = { jobs: { b: job, a: job } };
  const found = findPublishers([{ path: 'z.yml', workflow: wf }, { path: 'a.yml', workflow: wf }], QUERY);
  expect(found.map((p) => `${p.path}:${p.jobId}`)).toEqual(['a.yml:a', 'a.yml:b', 'z.yml:a', 'z.yml:b']);
});

test('a long command is shortened in the evidence', () => {
  const run = `docker buildx build --push --platform linux/amd64,linux/arm64 --label org.opencontainers.image.source=x -t ${IMAGE}:1 .`;
  const evidence = find(workflow([{ run }]))[0].evidence;
  expect(evidence).toHaveLength(100);
  expect(evidence).toBe(`${run.slice(0, 99)}…`);
});

test('without a repository, github.repository stays unresolved', () => {
  expect(find(workflow([{ run: 'docker push ghcr.io/${{ github.repository }}:1' }]), { image: IMAGE, ownJobs: [] })).toEqual([]);
});

test.each<[string, unknown]>([
  ['null', null],
  ['a string', 'on: push'],
  ['no jobs', { on: 'push' }],
  ['jobs as a list', { jobs: [{ steps: [] }] }],
  ['a job that is not an object', { jobs: { a: null, b: 'x' } }],
  ['steps that are not a list', { jobs: { a: { steps: `docker push ${IMAGE}` } } }],
  ['steps that are not objects, and odd values', { jobs: { a: { env: 'x', steps: [null, 1, 'run', { run: 42 }, { uses: 7, with: 'x' }, { with: { push: true } }] } } }],
  ['an unterminated expression', workflow([{ run: 'docker push ${{ env.IMAGE' }])],
])('malformed input is tolerated: %s', (_name, wf) => {
  expect(find(wf)).toEqual([]);
});

describe('the tag format, where the job shows it', () => {
  test.each<[string, Json, string | undefined]>([
    ['metadata-action git tags on v* tags', workflow([META, { uses: BUILD_PUSH, with: { push: true, tags: '${{ steps.meta.outputs.tags }}' } }]),
      'v-prefixed tags (type=ref,event=tag)'],
    ['metadata-action git tags on releases', { ...workflow([META, { uses: BUILD_PUSH, with: { push: true, tags: '${{ steps.meta.outputs.tags }}' } }]), on: { release: { types: ['published'] } } },
      'tags named as the git tag (type=ref,event=tag)'],
    ['metadata-action semver', workflow([{ ...META, with: { images: IMAGE, tags: 'type=semver,pattern={{version}}\ntype=semver, pattern={{major}}' } },
      { uses: BUILD_PUSH, with: { push: true, tags: '${{ steps.meta.outputs.tags }}' } }]),
    'tags without v (type=semver,pattern={{version}} / type=semver,pattern={{major}})'],
    ['metadata-action default tags', workflow([{ ...META, with: { images: IMAGE } }, { uses: BUILD_PUSH, with: { push: true, tags: '${{ steps.meta.outputs.tags }}' } }]),
      'v-prefixed tags (metadata-action default tags)'],
    ['a literal v-prefixed tag', workflow([{ run: `docker push ${IMAGE}:v0.0.14` }]), 'v-prefixed tags (v0.0.14)'],
    ['the git tag name', workflow([{ run: `docker push ${IMAGE}:\${GITHUB_REF_NAME}` }]), 'v-prefixed tags (${github_ref_name})'],
    ['the git tag name without its v', workflow([{ run: `docker push ${IMAGE}:\${GITHUB_REF_NAME#v}` }]), 'tags without v (${github_ref_name#v})'],
    ['only latest', workflow([{ run: `docker push ${IMAGE}:latest` }]), undefined],
  ])('%s', (_name, wf, tagFormat) => {
    expect(find(wf)[0].tagFormat).toBe(tagFormat);
  });
});

describe('publisherMessage', () => {
  const publisher: Publisher = { path: PATH, jobId: 'publish', evidence: 'docker/build-push-action with push: true' };

  test('names the file, the job, the image and the evidence, then the ways out', () => {
    expect(publisherMessage(publisher, IMAGE, 'set imageRelease.allowOtherPublishers')).toBe(
      `${PATH} job "publish" also publishes ${IMAGE} (docker/build-push-action with push: true): remove that job, or set imageRelease.allowOtherPublishers`);
  });

  test('adds the tag format when known', () => {
    expect(publisherMessage({ ...publisher, tagFormat: 'v-prefixed tags (type=ref,event=tag)' }, IMAGE, 'opt out'))
      .toBe(`${PATH} job "publish" also publishes ${IMAGE} (docker/build-push-action with push: true), with v-prefixed tags (type=ref,event=tag): remove that job, or opt out`);
  });
});
