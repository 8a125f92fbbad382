// TEMP STUB (replaced by the samples branch)
export function nodeOperatorSamples(_o: { port?: number }): Record<string, string> {
  return { 'src/main.ts': 'console.log("hi");\n', 'test/main.test.ts': 'test("x", () => { expect(1).toBe(1); });\n', '.dockerignore': 'node_modules/\n' };
}
export function nodeOperatorDockerfile(): string {
  return 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "lib/main.js"]\n';
}
export function minimalDockerfile(): string {
  return 'FROM busybox:1.37\nUSER 65534\nCMD ["true"]\n';
}
export function operatorReadme(o: { name: string; image: string; projenRelease: boolean; tagPrefix?: string }): string {
  return `# ${o.name}\n\n${o.image}\n`;
}
