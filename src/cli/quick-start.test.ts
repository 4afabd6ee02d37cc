/**
 * What a new user meets: the README's quick start, run as written. The commands are read from the
 * README's "Quick start" code blocks (an edit that breaks one fails here), `npx shopsight` is the
 * built CLI of this checkout, and each command must exit 0 and print what its comment promises.
 * The demo's own "Next:" suggestions are run the same way. Also: `npm pack` ships what the package
 * needs and nothing that is missing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..');
const cwd = mkdtempSync(join(tmpdir(), 'shopsight-quick-start-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Without SHOPSIGHT_DB, as on a new machine: the database is ./shopsight.duckdb of `cwd`. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'SHOPSIGHT_DB'));

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
};

/** The commands of the README's Quick start section, comments stripped, `a && b` as two. */
export function quickStartCommands(readme: string): string[] {
  const start = readme.indexOf('\n## Quick start');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.split('\n'))
    .flatMap((line) => line.replace(/(^|\s)#.*$/, '').split('&&'))
    .map((command) => command.trim())
    .filter(Boolean);
}

/** What each command promises (its README comment, or the demo's description); longest key wins. */
const PROMISES: Record<string, RegExp> = {
  demo: /rows read 541,909 = imported 534,129 \+ quarantined 7,780/,
  status: /shopsight\.duckdb \(schema version \d+\)\n[\s\S]*orders +25,900/,
  quarantine: /7,780 quarantined rows[\s\S]*duplicate_row +5,263[\s\S]*online_retail\.csv\.gz:\d+/,
  analyze: /== KPIs \(/,
  'analyze --help': /^Usage: shopsight analyze/,
  generate: /^Synthetic store in .*my-store\n1,000 customers/,
  import: /^Imported my-store \(preset shopsight\) into my-store\.duckdb[\s\S]*rows read [\d,]+ = imported/,
  'train customers': /stored and promoted: churn@1 \(\w+\), propensity@1 \(\w+\), clv@1/,
  'predict customers': /[\d,]+ customers scored as of \d{4}-\d\d-\d\d, stored in customer_predictions/,
  'train recommend': /recommend@1 \(item-knn\) stored and promoted/,
  recommend: /^from item-knn\nrank +product[\s\S]*similar to ".+" you (bought|viewed|added to your cart)/,
};

function promiseFor(args: readonly string[]): RegExp {
  const line = args.join(' ');
  const key = Object.keys(PROMISES)
    .filter((k) => line === k || line.startsWith(k + ' '))
    .sort((a, b) => b.length - a.length)[0];
  if (!key) throw new Error(`no promise known for \`npx shopsight ${line}\`: add one to PROMISES`);
  return PROMISES[key]!;
}

/** `npx shopsight a b` -> ['a', 'b']; the quick start uses no quoting, so none is parsed. */
function shopsightArgs(line: string): string[] {
  const words = line.split(/\s+/);
  if (words[0] !== 'npx' || words[1] !== 'shopsight') {
    throw new Error(
      `the quick start runs \`${line}\`: only npm install, npm test and npx shopsight are known`,
    );
  }
  return words.slice(2);
}

const shopsight = (args: readonly string[]): Promise<{ stdout: string; stderr: string }> =>
  run(process.execPath, [join(root, pkg.bin['shopsight']!), ...args], { cwd, env, maxBuffer: 1 << 26 });

/** "Customers 4,339" etc. from a KPI table: the rate must be the repeat count over customers. */
function checkKpis(stdout: string): void {
  const value = (label: string): number => {
    const m = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +([\\d,.]+)%?$`, 'm').exec(stdout);
    if (!m) throw new Error(`no '${label}' row in:\n${stdout}`);
    return Number(m[1]!.replace(/,/g, ''));
  };
  const customers = value('Customers');
  const repeat = value('  repeat (2+ orders up to the period end)');
  expect(value('  new (first order in the period)') + value('  returning (bought before the period)')).toBe(
    customers,
  );
  expect(value('Repeat-purchase rate (repeat / customers)')).toBeCloseTo((100 * repeat) / customers, 1);
}

/** dist/ was built after the last change to any source file (tsc takes a while on a busy machine). */
function distIsFresh(): boolean {
  const built = join(root, pkg.bin['shopsight']!);
  if (!existsSync(built)) return false;
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true })
        .filter((e) => !e.name.endsWith('.test.ts'))
        .map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)),
    );
  return (
    statSync(built).mtimeMs >=
    Math.max(newest(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs)
  );
}

describe("the README's quick start, as a new user runs it", () => {
  beforeAll(async () => {
    // What `npm install` does in a clone beyond installing dependencies: the prepare script.
    expect(pkg.scripts['prepare']).toBe('npm run build');
    if (!distIsFresh()) await run('npm', ['run', 'build'], { cwd: root, env });
  }, 300_000);

  it('npm pack ships the CLI, the demo store and only paths that exist', async () => {
    for (const entry of pkg.files) expect(existsSync(join(root, entry)), `files: ${entry}`).toBe(true);
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      env,
    });
    const packed = new Set(
      (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path),
    );
    for (const needed of [
      pkg.bin['shopsight']!,
      'fixtures/online-retail/online_retail.csv.gz',
      'README.md',
    ]) {
      expect(packed.has(needed), needed).toBe(true);
    }
    expect([...packed].filter((p) => p.endsWith('.test.js'))).toEqual([]);
    // `npx shopsight` in the project folder runs this checkout's own bin (nothing global needed),
    // which the shell refuses ("Permission denied") unless the build made it executable.
    if (process.platform !== 'win32') {
      expect(statSync(join(root, pkg.bin['shopsight']!)).mode & 0o111).not.toBe(0);
    }
    const { stdout: version } = await run('npx', ['--no-install', 'shopsight', '--version'], {
      cwd: root,
      env,
    });
    expect(version.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  }, 120_000);

  it('runs every quick-start command and the demo suggestions, each printing what it promises', async () => {
    const lines = quickStartCommands(readFileSync(join(root, 'README.md'), 'utf8'));
    // The quick start proper: install and run the main job, then the tests.
    expect(lines.slice(0, 3)).toEqual(['npm install', 'npx shopsight demo', 'npm test']);
    // Before the demo, a command that reads refuses the missing default store and does not create it.
    await expect(shopsight(['status'])).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'shopsight: no database at shopsight.duckdb. Import a store into it first ' +
          '(`npx shopsight import <file-or-folder> --preset <name>`) or load the sample store (`npx shopsight demo`)',
      ),
    });
    expect(existsSync(join(cwd, 'shopsight.duckdb'))).toBe(false);

    const ran: string[] = [];
    for (const line of lines) {
      if (line === 'npm install' || line === 'npm test') continue; // the build above; this suite
      const args = shopsightArgs(line);
      const { stdout, stderr } = await shopsight(args);
      expect(stdout, line).toMatch(promiseFor(args));
      ran.push(args.join(' '));
      if (args[0] === 'analyze' && /kpis/.test(line)) checkKpis(stdout);
      if (args[0] === 'demo') {
        checkKpis(stdout);
        // Not a terminal: progress is a line per step on stderr, never on stdout.
        expect(stderr).toMatch(/^import \[1\/\d+\] .*, [\d.]+ s$/m);
        expect(stdout).not.toMatch(/import \[\d+\//);
        const next = /^Next: (.*)$/m.exec(stdout)?.[1] ?? '';
        const suggested = [...next.matchAll(/`(npx shopsight [^`]+)`/g)].map((m) => m[1]!);
        expect(suggested.length).toBeGreaterThanOrEqual(3);
        for (const s of suggested) {
          const a = shopsightArgs(s);
          expect((await shopsight(a)).stdout, s).toMatch(promiseFor(a));
          ran.push(a.join(' '));
        }
      }
    }
    expect(ran).toContain('train customers --db my-store.duckdb');
    expect(ran).toContain('recommend --db my-store.duckdb --user C000001 --k 5');
  }, 300_000);
});
