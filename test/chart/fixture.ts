import * as fs from 'fs';
import * as path from 'path';

/** A chart's files, by path relative to the chart directory. */
export type ChartFiles = Record<string, string>;

/** A minimal chart as users write it: comments, an image block, a deployment using the image values. */
export const SAMPLE_CHART: ChartFiles = {
  'Chart.yaml': [
    '# The operator chart',
    'apiVersion: v2',
    'name: operator',
    'description: Runs the operator',
    'type: application',
    'version: 0.0.0 # set by the release',
    'appVersion: "0.0.0"',
    '',
  ].join('\n'),
  'values.yaml': [
    '# Replicas of the operator',
    'replicaCount: 1',
    'image:',
    '  # Where the image comes from',
    '  repository: example/placeholder',
    '  tag: ""',
    '  pullPolicy: IfNotPresent',
    '',
  ].join('\n'),
  'templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Release.Name }}',
    'spec:',
    '  replicas: {{ .Values.replicaCount }}',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: operator',
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
    '',
  ].join('\n'),
};

/** Writes a chart into `root/dir`, with `changes` over the sample (null removes a file). */
export function writeChart(root: string, dir: string, changes: Record<string, string | null> = {}): void {
  const files: Record<string, string | null> = { ...SAMPLE_CHART, ...changes };
  for (const [file, text] of Object.entries(files)) {
    if (text === null) continue;
    const target = path.join(root, dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}
