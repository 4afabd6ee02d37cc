/**
 * What `npm run build` emits: every source file in the program of tsconfig.build.json (its include
 * minus exclude, plus whatever those import). Test-only builders are named `test-*.ts` and excluded;
 * these tests fail when one is shipped anyway (a shipped file imports it) or when a file only tests
 * use lacks the prefix (as tasks/customers/synthetic-store.ts did).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const TEST_ONLY = /(\.test\.ts|\/test-[^/]*\.ts)$/;

/** Project-relative paths of the src/ files the build compiles (and so emits into dist/). */
function builtFiles(): string[] {
  const configPath = join(root, 'tsconfig.build.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return program
    .getSourceFiles()
    .map((f) => relative(root, f.fileName).replaceAll('\\', '/'))
    .filter((f) => f.startsWith('src/'));
}

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
  );
}

/** Relative imports of a file, resolved to project-relative .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)].map((m) =>
    relative(root, resolve(root, dirname(file), `${m[1]}.ts`)).replaceAll('\\', '/'),
  );
}

describe('the build (dist/)', () => {
  let built: string[];
  beforeAll(() => {
    built = builtFiles();
  });

  it('compiles the library and the CLI, and no test or test-only builder', () => {
    expect(built).toContain('src/index.ts');
    expect(built).toContain('src/cli/main.ts');
    expect(built.filter((f) => TEST_ONLY.test(f))).toEqual([]);
  });

  it('every file only tests import is named test-*.ts, so the build leaves it out', () => {
    const users = new Map<string, { shipped: boolean; tests: boolean }>();
    const all = [...tsFiles('src'), ...tsFiles('bench'), ...tsFiles('eval')];
    for (const file of all) {
      const fromTest = TEST_ONLY.test(file);
      for (const target of importsOf(file)) {
        const u = users.get(target) ?? { shipped: false, tests: false };
        if (fromTest) u.tests = true;
        else u.shipped = true;
        users.set(target, u);
      }
    }
    const testOnly = built.filter((f) => {
      const u = users.get(f);
      return u !== undefined && u.tests && !u.shipped;
    });
    expect(testOnly).toEqual([]);
  });
});
