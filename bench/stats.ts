/**
 * Summaries the benchmarks print: median, min and max of a sample.
 */

/** The median of a non-empty sample (the upper middle of an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** `median M (min A, max B)` with the given number of decimals. */
export function summary(xs: readonly number[], decimals: number): string {
  const f = (x: number) => x.toFixed(decimals);
  return `median ${f(median(xs))} (min ${f(Math.min(...xs))}, max ${f(Math.max(...xs))})`;
}
