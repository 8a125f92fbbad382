import * as fs from 'fs';
import * as path from 'path';
import * as projen from 'projen';
import * as ts from 'typescript';
import * as library from '../src';
import { writeChart } from './chart/fixture';
import { SAMPLE_DOCKERFILE, synthWithoutInstall, tempDir } from './util';
import { PLAN_HELP } from '../src/cli/plan';
import { PRUNE_HELP } from '../src/cli/prune';
import { REHEARSE_HELP } from '../src/cli/rehearse';
import { VERIFY_HELP } from '../src/cli/verify';
import { BEGIN_MARKER } from '../src/dockerfile/block';
import { imageNames } from '../src/model/image-names';
import { tarballSpec } from '../src/projects/tarball-spec';

// The README is what a new user copies from, so its commands and snippets are checked here.
//
// The snippet rule: every ```ts (or ```typescript) block of README.md is a user snippet, a piece of
// a user's .projenrc.ts that uses `project` (the projen project the user's .projenrc.ts made) and
// imports from 'projen-image-release' (and 'projen') what it uses. Each one is
//   - type-checked as written against src/index.ts with the repository's compiler options (strict,
//     noUnusedLocals), so an import it lacks, or one it does not use, fails the test;
//   - transpiled as written and run against a fresh TypeScriptProject in a temp dir holding a
//     Dockerfile, with 'projen-image-release' resolved to this repository's src, then synthesized.
// A ts block that is not meant to compile must say so, with its reason, on the line right before its
// fence: <!-- not-synthesized: <reason> -->. Such markers must stay rare (at most MAX_MARKERS).

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const LINES = README.split('\n');

/** The first screen: what a reader sees before scrolling. */
const FIRST_SCREEN_LINES = 45;
/** How many ts blocks may opt out of the check. */
const MAX_MARKERS = 2;
const MARKER = /^<!--\s*not-synthesized:\s*(.*?)\s*-->$/;

interface Fence {
  /** The info string after the opening fence: ts, bash, or empty. */
  readonly lang: string;
  readonly body: string;
  /** 1-based README line of the opening fence. */
  readonly line: number;
  /** The reason of a not-synthesized marker right before the fence. */
  readonly notSynthesized?: string;
}

/** Every fenced code block of a Markdown text (fences at the start of a line, as the README writes them). */
function fences(lines: readonly string[]): Fence[] {
  const result: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md:${i + 1}: the code block is not closed`);
    const marker = i > 0 ? MARKER.exec(lines[i - 1]) : null;
    result.push({ lang: open[1], body: lines.slice(i + 1, end).join('\n'), line: i + 1, notSynthesized: marker?.[1] });
    i = end;
  }
  return result;
}

const ALL_FENCES = fences(LINES);
const SNIPPETS = ALL_FENCES.filter((f) => (f.lang === 'ts' || f.lang === 'typescript') && f.notSynthesized === undefined);
const firstScreen = (f: Fence) => f.line <= FIRST_SCREEN_LINES;

describe('the README\'s ts snippets', () => {
  test('there are user snippets, and every not-synthesized marker is rare, justified and right before a ts block', () => {
    expect(SNIPPETS.filter((s) => s.body.includes('new ImageRelease(')).length).toBeGreaterThanOrEqual(2);
    const markers = LINES.map((l, i) => ({ line: i + 1, m: MARKER.exec(l) })).filter((x) => x.m);
    expect(markers.length).toBeLessThanOrEqual(MAX_MARKERS);
    for (const { line, m } of markers) {
      const fence = ALL_FENCES.find((f) => f.line === line + 1);
      expect({ line, fence: fence?.lang }).toEqual({ line, fence: expect.stringMatching(/^(ts|typescript)$/) });
      expect({ line, reason: m![1] }).toEqual({ line, reason: expect.stringMatching(/\S+ \S+ \S+/) });
    }
  });

  // One program checks the README's snippets and a control snippet that lacks an import.
  const control: SnippetSource = {
    name: 'control',
    code: 'import { ImageRelease } from \'projen-image-release\';\nnew ImageRelease(project, { scan: { failOn: Severity.CRITICAL } });\n',
    readmeLine: 0,
  };
  let checked: Map<string, string[]> | undefined;
  const diagnosticsOf = (name: string) => {
    checked ??= typeCheck([...SNIPPETS.map((s) => ({ name: `line-${s.line}`, code: s.body, readmeLine: s.line })), control]);
    return checked.get(name) ?? [];
  };

  test('each one type-checks against src as written', () => {
    expect([diagnosticsOf(''), ...SNIPPETS.map((s) => diagnosticsOf(`line-${s.line}`))].flat()).toEqual([]);
  });

  test('the type check catches a snippet that uses a name it does not import', () => {
    expect(diagnosticsOf(control.name)).toEqual([expect.stringContaining('Cannot find name \'Severity\'')]);
  });

  describe.each(SNIPPETS.map((s) => [`README.md:${s.line}`, s] as const))('%s', (_, snippet) => {
    test('runs as written in a projen project and synthesizes the pipeline', () => {
      // The Dockerfiles the snippet names (beyond the root's) are the user's: they exist before it runs.
      const dockerfiles = [...snippet.body.matchAll(/dockerfile: '([^']+)'/g)].map((m) => m[1]);
      const project = userProject(dockerfiles);
      // A snippet with a chart has the user's chart in the default directory (the image's name).
      const chartImage = /image: '([^']+)',\n\s+chart:/.exec(snippet.body)?.[1];
      if (chartImage) writeChart(project.outdir, `charts/${chartImage.split('/').pop()}`);
      runSnippet(snippet.body, project);
      synthWithoutInstall(project);
      if (!snippet.body.includes('new ImageRelease(')) return;

      const read = (file: string) => fs.readFileSync(path.join(project.outdir, file), 'utf-8');
      for (const dockerfile of ['Dockerfile', ...dockerfiles]) {
        expect(read(dockerfile).startsWith(SAMPLE_DOCKERFILE)).toBe(true);
        expect(read(dockerfile)).toContain(BEGIN_MARKER);
      }
      expect(fs.existsSync(path.join(project.outdir, '.github/dependabot.yml'))).toBe(true);
      // The snippet's options took effect: each image it names is a model's, with its id's names.
      const ids = [...snippet.body.matchAll(/id: '([^']+)'/g)].map((m) => m[1]);
      const images = [...snippet.body.matchAll(/image: '([^']+)'/g)].map((m) => m[1]);
      const names = ids.length > 0 ? ids.map((id) => imageNames(id)) : [imageNames()];
      names.forEach((n, i) => {
        expect(read('.github/workflows/release.yml')).toContain(`${n.releaseJobPrefix}publish:`);
        if (images[i]) expect(JSON.parse(read(n.modelFile)).image).toBe(images[i]);
      });
    });
  });
});

describe('the first screen', () => {
  const screen = LINES.slice(0, FIRST_SCREEN_LINES).join('\n');
  const screenFences = ALL_FENCES.filter(firstScreen);

  test('(a) starts a new operator repo, and adopts an existing repo of another language, with projen new', () => {
    expect(screen).toMatch(/^npx projen new --from projen-image-release node-operator --image \S+/m);
    expect(screen).toMatch(/^npx projen new --from projen-image-release container-image --image \S+/m);
  });

  test('(b) adds ImageRelease to an existing projen repo: devDeps in .projenrc.ts first, then the snippet', () => {
    const steps = screenFences.find((f) => f.lang === 'bash' && f.body.includes('devDeps'));
    expect(steps).toBeDefined();
    // Without the devDeps entry in .projenrc.ts the next `npx projen` removes a package installed by hand.
    expect(steps!.body).toMatch(/\.projenrc\.ts.*devDeps: \['projen-image-release'\]/);
    expect(steps!.body.match(/^npx projen\b/gm)?.length).toBeGreaterThanOrEqual(2);
    const snippet = screenFences.find((f) => SNIPPETS.includes(f));
    expect(snippet?.body).toMatch(/^import \{[^}]*\bImageRelease\b[^}]*\} from 'projen-image-release';/m);
    expect(snippet?.body).toContain('new ImageRelease(project');
  });

  test('(c) the commands for working on this repository, labelled as such', () => {
    const label = LINES.findIndex((l) => /Working on this repository/.test(l));
    expect(label).toBeGreaterThanOrEqual(0);
    expect(label).toBeLessThan(FIRST_SCREEN_LINES);
    const commands = screenFences.find((f) => f.line > label + 1 && f.lang === 'bash');
    expect(commands?.body).toMatch(/^npm ci && npx projen\b/m);
    expect(commands?.body).toMatch(/^npx projen test\b/m);
  });
});

describe('the README\'s commands use flags that exist', () => {
  const commandLines = ALL_FENCES.filter((f) => f.lang === 'bash')
    .flatMap((f) => f.body.split('\n').map((l) => l.replace(/\s+#.*$/, '')));

  test('image-release: every flag is in the help of its subcommand', () => {
    const help: Record<string, string> = { plan: PLAN_HELP, verify: VERIFY_HELP, rehearse: REHEARSE_HELP, prune: PRUNE_HELP };
    const uses = commandLines.flatMap((l) => [...l.matchAll(/npx image-release (\w+)([^|;&]*)/g)]);
    expect(uses.length).toBeGreaterThan(0);
    for (const [, command, rest] of uses) {
      expect(Object.keys(help)).toContain(command);
      for (const [flag] of rest.matchAll(/--[\w-]+/g)) expect({ command, flag, known: help[command].includes(`${flag} `) || help[command].includes(`${flag}\n`) }).toEqual({ command, flag, known: true });
    }
  });

  test('projen new: every flag is projen\'s own or one the Project types section documents', () => {
    const section = README.slice(README.indexOf('## Project types'), README.indexOf('\n## ', README.indexOf('## Project types') + 1));
    const documented = [...section.matchAll(/`(--[\w-]+)/g)].map((m) => m[1]);
    // The flags of `projen new` itself; the project types' own (and projen's options they inherit,
    // such as --no-release) must be in the README's table.
    const projenOwn = ['--from', '--git', '--no-git', '--synth', '--no-synth', '--comments', '--no-comments'];
    const uses = commandLines.filter((l) => l.includes('npx projen new'));
    expect(uses.length).toBeGreaterThanOrEqual(2);
    for (const line of uses) {
      for (const [flag] of line.matchAll(/--[\w-]+/g)) expect({ line, flag, known: documented.includes(flag) || projenOwn.includes(flag) }).toEqual({ line, flag, known: true });
    }
  });

  test('projen new: every --from is a package spec npm installs, a bare tarball path of this package included', () => {
    const froms = commandLines.flatMap((l) => [...l.matchAll(/npx projen new --from (\S+)/g)].map((m) => m[1]));
    expect(froms.filter((f) => /\.tgz$/.test(f))).not.toEqual([]);
    for (const from of froms) {
      // What NodeOperatorProject makes of the devDeps entry `projen new` writes from --from.
      const spec = tarballSpec(from, 'projen-image-release');
      expect({ from, spec, named: /^(@[\w-]+\/)?[\w-]+(@\S+)?$/.test(spec) }).toEqual({ from, spec, named: true });
    }
  });
});

/** A projen repository as a user has it after step 1 of the README: the package in devDeps, its Dockerfiles. */
function userProject(dockerfiles: readonly string[] = []): projen.typescript.TypeScriptProject {
  const outdir = tempDir();
  for (const file of ['Dockerfile', ...dockerfiles]) {
    fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
    fs.writeFileSync(path.join(outdir, file), SAMPLE_DOCKERFILE);
  }
  return new projen.typescript.TypeScriptProject({
    name: 'my-op',
    outdir,
    defaultReleaseBranch: 'main',
    repository: 'https://github.com/acme/my-op.git',
    devDeps: ['projen-image-release'],
  });
}

/**
 * Runs a snippet's code as written: transpiled to CommonJS, with `project` in scope and a require
 * that knows 'projen-image-release' (this repository's src) and 'projen', nothing else.
 */
function runSnippet(code: string, project: projen.Project): void {
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const modules: Record<string, unknown> = { 'projen-image-release': library, 'projen': projen };
  const requireModule = (id: string) => {
    if (id in modules) return modules[id];
    throw new Error(`the snippet imports "${id}"; a .projenrc.ts snippet imports from projen-image-release and projen`);
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', 'project', outputText)(requireModule, module, module.exports, project);
}

interface SnippetSource {
  readonly name: string;
  readonly code: string;
  /** README line of the snippet's fence, for the messages. */
  readonly readmeLine: number;
}

/**
 * Type-checks snippets as modules of their own, with the repository's compiler options,
 * 'projen-image-release' resolved to src/index.ts and `project` declared as a TypeScriptProject.
 * The snippets live in memory under test/, so 'projen' resolves from this repository's node_modules.
 * Returns each snippet's problems, one message each with its README line, by name; problems of no
 * snippet (options, globals) under ''.
 */
function typeCheck(snippets: readonly SnippetSource[]): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    rootDir: ROOT,
    declaration: false,
    paths: { 'projen-image-release': [path.join(ROOT, 'src', 'index.ts')] },
  };
  const files = new Map<string, string>();
  files.set(path.join(ROOT, 'test', '__readme_snippet_globals__.d.ts'), 'declare const project: import(\'projen\').typescript.TypeScriptProject;\n');
  const byFile = new Map<string, SnippetSource>();
  for (const s of snippets) {
    const file = path.join(ROOT, 'test', `__readme_snippet_${s.name}__.ts`);
    files.set(file, s.code);
    byFile.set(file, s);
  }
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, languageVersion, ...rest) => {
    const text = files.get(f);
    return text === undefined ? getSourceFile.call(host, f, languageVersion, ...rest) : ts.createSourceFile(f, text, languageVersion, true);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  // Only the snippets' own files are checked (src has its own compile); that keeps this quick.
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...[...files.keys()].flatMap((f) => {
      const sourceFile = program.getSourceFile(f)!;
      return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    }),
  ];
  const result = new Map<string, string[]>();
  for (const d of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const snippet = d.file ? byFile.get(d.file.fileName) : undefined;
    const line = snippet && d.start !== undefined ? d.file!.getLineAndCharacterOfPosition(d.start).line : undefined;
    const key = snippet?.name ?? '';
    result.set(key, [...result.get(key) ?? [], line === undefined ? message : `README.md:${snippet!.readmeLine + 1 + line}: ${message}`]);
  }
  return result;
}
