import { gunzipTar, gzipTar } from '../../src/chart/tar';

test.each<[string, string]>([
  ['a short name', 'chart/values.yaml'],
  ['a name beyond 100 bytes (ustar prefix)', `chart/${'templates/'.repeat(12)}deployment.yaml`],
])('a gzipped tar reads back as written: %s', (_name, file) => {
  const entries = [{ name: file, data: Buffer.from('image:\n  tag: "1.2.3"\n') }, { name: 'chart/empty', data: Buffer.alloc(0) }];
  expect(gunzipTar(gzipTar(entries))).toEqual(entries);
});

test('the same files give the same bytes (a reproducible digest)', () => {
  const entries = [{ name: 'c/Chart.yaml', data: Buffer.from('name: c\n') }];
  expect(gzipTar(entries).equals(gzipTar(entries))).toBe(true);
});
