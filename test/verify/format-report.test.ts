import { formatReport, VerifyReport } from '../../src/verify/verify';

/** The report's first line says what happened: how many checks passed, or how many of them failed. */
const row = { tag: '1.2.3', digest: `sha256:${'ab'.repeat(32)}`, platforms: ['linux/amd64'], sizes: { 'linux/amd64': 2_000_000 }, created: {} };

test('a report with failed checks is headed by how many of the checks failed', () => {
  const report: VerifyReport = {
    rows: [row],
    failures: ['tag 1.2 is missing', 'linux/amd64: label org.opencontainers.image.version is "1.2.2", expected "1.2.3"'],
    checks: 31,
  };
  const [header] = formatReport('ghcr.io/acme/app', report).split('\n');
  expect(header).toBe('Verification of ghcr.io/acme/app failed: 2 of 31 checks');
});

test('a report with every check passed is headed by the number of checks', () => {
  const [header] = formatReport('ghcr.io/acme/app', { rows: [row], failures: [], checks: 31 }).split('\n');
  expect(header).toBe('Verified ghcr.io/acme/app: 31 checks');
});
