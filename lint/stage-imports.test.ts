import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The messages of the stage rule when the project's eslint.config.js lints `code` as `file`. */
async function stageErrors(file: string, code: string): Promise<{ line: number; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` });
  return result!.messages
    .filter((m) => m.ruleId === 'shopsight/stage-imports')
    .map((m) => ({ line: m.line, message: m.message }));
}

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

describe('shopsight/stage-imports through the project ESLint config', () => {
  it('fails a backward import (ml importing tasks), naming file, line and both stages', async () => {
    const code = `import { x } from '../../tasks/customers/churn.js';\n\nexport const y = x;\n`;
    const errors = await stageErrors('src/ml/gbdt/fake.ts', code);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(1);
    expect(errors[0]!.message).toContain('src/ml/gbdt/fake.ts imports src/tasks/customers/churn.js');
    expect(errors[0]!.message).toContain("stage 'ml'");
    expect(errors[0]!.message).toContain("the later stage 'tasks'");
  });

  it('fails features calling into ml at run time, passes a type-only import of its shape', async () => {
    const run = `import { trainingData } from '../ml/recommend/training-data.js';\nexport const t = trainingData;\n`;
    expect(await stageErrors('src/features/fake.ts', run)).toEqual([
      {
        line: 1,
        message:
          "src/features/fake.ts imports src/ml/recommend/training-data.js: stage 'features' may not import from the later stage 'ml' (order: core -> schema -> generate -> ingest -> warehouse -> features -> ml -> tasks -> registry -> report -> assistant -> cli/server/web).",
      },
    ]);
    const types = `import type { Sequences } from '../ml/recommend/types.js';\nexport type S = Sequences;\n`;
    expect(await stageErrors('src/features/fake.ts', types)).toEqual([]);
    const inline = `import { type Sequences } from '../ml/recommend/types.js';\nexport type S = Sequences;\n`;
    expect(await stageErrors('src/features/fake.ts', inline)).toEqual([]);
  });

  it('passes forward imports and imports within a stage', async () => {
    const code = [
      `import { Rng } from '../../core/random.js';`,
      `import { TABLES } from '../../schema/tables.js';`,
      `import { trainGbdt } from '../../ml/gbdt/train.js';`,
      `import { loadInteractions } from '../../features/interactions.js';`,
      `import { x } from './split.js';`,
      `export const all = [Rng, TABLES, trainGbdt, loadInteractions, x];`,
      '',
    ].join('\n');
    expect(await stageErrors('src/tasks/customers/fake.ts', code)).toEqual([]);
    expect(
      await stageErrors('src/cli/commands/fake.ts', `import '../../tasks/recommend/train.js';\n`),
    ).toEqual([]);
  });

  it('keeps ml pure: no warehouse, features or generate, not even a type', async () => {
    const code = `import type { Warehouse } from '../warehouse/warehouse.js';\nexport type W = Warehouse;\n`;
    const errors = await stageErrors('src/ml/fake.ts', code);
    expect(errors.map((e) => e.message)).toEqual([
      "src/ml/fake.ts imports src/warehouse/warehouse.js: stage 'ml' may import only from 'core', 'schema', not from 'warehouse'.",
    ]);
    expect(
      await stageErrors('src/ml/fake.ts', `import { Rng } from '../core/random.js';\nexport { Rng };\n`),
    ).toEqual([]);
  });

  it('checks re-exports and dynamic imports, and refuses a folder in no stage', async () => {
    const reexport = `export { Rng } from '../core/random.js';\nexport * from '../tasks/recommend/train.js';\n`;
    expect((await stageErrors('src/warehouse/fake.ts', reexport)).map((e) => e.line)).toEqual([2]);
    const dynamic = `export const m = () => import('../cli/main.js');\n`;
    expect((await stageErrors('src/registry/fake.ts', dynamic)).map((e) => e.line)).toEqual([1]);
    const stray = await stageErrors('src/stuff/fake.ts', `import '../core/random.js';\n`);
    expect(stray[0]!.message).toContain("'stuff' is in no stage");
  });

  it('lets the command line launch the server, never the server import the command line', async () => {
    expect(await stageErrors('src/cli/commands/fake.ts', `import '../../server/serve.js';\n`)).toEqual([]);
    const back = await stageErrors('src/server/fake.ts', `import '../cli/context.js';\n`);
    expect(back.map((e) => e.message)).toEqual([
      "src/server/fake.ts imports src/cli/context.js: stage 'server' may not import from the later stage 'cli' (order: core -> schema -> generate -> ingest -> warehouse -> features -> ml -> tasks -> registry -> report -> assistant -> cli/server/web).",
    ]);
  });
});
