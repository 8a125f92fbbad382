import * as fs from 'fs';
import * as path from 'path';
import { FileBase, IResolver, Project } from 'projen';
import { ChartError, unusedImageValues, withImageRepository, withSourceAnnotation } from '../chart/chart';
import { ResolvedChart } from '../model/resolved';

/**
 * A user-owned chart file with a managed part: like the Dockerfile, not read-only and without
 * projen's marker (projen never deletes it), and only the managed keys are ours. The new content is
 * computed in {@link prepare} (called in preSynthesize, before any file is written), so a broken
 * file stops synthesis with nothing written.
 */
export class ChartFile extends FileBase {
  private content?: string;

  constructor(
    project: Project, filePath: string, private readonly edit: (file: string, text: string) => string, private readonly check?: () => void,
  ) {
    super(project, filePath, { readonly: false, marker: false, editGitignore: false });
    project.gitattributes.removeAttributes(`/${this.path}`, 'linguist-generated');
  }

  /** Reads the file and applies the edit; throws naming the file when it cannot. */
  public prepare(): void {
    this.check?.();
    let current: string;
    try {
      current = fs.readFileSync(this.absolutePath, 'utf-8');
    } catch (e: any) {
      throw new ChartError(this.path, e.code === 'ENOENT' ? 'not found; a Helm chart needs it' : `cannot be read: ${e.message}`);
    }
    this.content = this.edit(this.path, current);
  }

  public preSynthesize(): void {
    this.prepare();
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    if (this.content === undefined) this.prepare();
    return this.content;
  }
}

/**
 * The chart's managed files: `Chart.yaml` gets the source annotation, `values.yaml` (unless the
 * chart manages its own values) `image.repository`; before either is written, the templates must
 * use the image values, or the published chart would not run the published image.
 */
export function addChartFiles(project: Project, chart: ResolvedChart, image: string): void {
  const dir = chart.directory;
  const checkTemplates = () => {
    if (!chart.manageImageValues) return;
    const unused = unusedImageValues(readTemplates(path.join(project.outdir, dir)));
    if (unused.length > 0) {
      throw new ChartError(dir, `no template uses ${unused.map((v) => `.Values.${v}`).join(' or ')}; the released chart sets them to the released image `
        + '(e.g. image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"), or set chart.manageImageValues to false');
    }
  };
  new ChartFile(project, `${dir}/Chart.yaml`, (file, text) => withSourceAnnotation(file, text, chart.source), checkTemplates);
  if (chart.manageImageValues) new ChartFile(project, `${dir}/values.yaml`, (file, text) => withImageRepository(file, text, image));
}

/** The text of every template of a chart (`templates/`, helpers and subdirectories included). */
function readTemplates(chartDir: string): string[] {
  const root = path.join(chartDir, 'templates');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map((f) => path.join(root, f))
    .filter((f) => fs.statSync(f).isFile())
    .map((f) => fs.readFileSync(f, 'utf-8'));
}
