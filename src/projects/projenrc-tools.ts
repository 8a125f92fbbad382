import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Component } from 'projen';

/**
 * What runs `.projenrc.ts` in a repository whose own language is not Node.js, with the versions
 * that work together (TypeScript 7 has no JavaScript API for ts-node yet).
 */
const TOOLS: ReadonlyArray<readonly [string, string]> = [['ts-node', '^10.9.2'], ['typescript', '~6.0']];

/**
 * Locks the tools that run `.projenrc.ts` in a repository of another language. `projen new`
 * installs projen and the template into a `package.json` of their own; this adds ts-node and
 * TypeScript there when the project is created, so `npx projen` runs the locked versions instead
 * of fetching the newest ones on every synthesis.
 */
export class ProjenrcTools extends Component {
  public postSynthesize(): void {
    if (process.env.PROJEN_CREATE_PROJECT !== 'true' || process.env.PROJEN_DISABLE_POST === 'true') return;
    const manifest = path.join(this.project.outdir, 'package.json');
    if (!fs.existsSync(manifest)) return;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf-8'));
    const missing = TOOLS.filter(([name]) => pkg.devDependencies?.[name] === undefined && pkg.dependencies?.[name] === undefined);
    if (missing.length === 0) return;
    const specs = missing.map(([name, range]) => `${name}@${range}`);
    this.project.logger.info(`Installing ${specs.join(', ')} to run .projenrc.ts`);
    execFileSync('npm', ['install', '--save-dev', '--no-audit', '--no-fund', ...specs], { cwd: this.project.outdir, stdio: 'inherit' });
  }
}
