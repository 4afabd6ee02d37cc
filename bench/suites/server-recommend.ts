/**
 * `GET /v1/recommendations/user/:id` under load (issue 8, part 8): the Online Retail store imported
 * and its recommend model trained (`train recommend`, default candidates, a 3-minute budget), the
 * real server started as a child process (`shopsight serve`, built code), then autocannon in this
 * process drives random known customers at fixed rates of 100, 500 and 1,000 requests/s and reports
 * latency percentiles and errors; then a soak at 500 requests/s with the server's RSS at its start
 * and end. Target: p99 under 20 ms at 500 requests/s. Anchor: Gorse (Go) serves cached
 * recommendations in about 0.5 ms and item-based ones in about 4 ms.
 *
 * Load generator and server share the machine's two cores: figures are an upper bound of what the
 * server alone costs. BENCH_QUICK=1: 5 s per rate and a 30 s soak (instead of 20 s and 5 minutes);
 * BENCH_SERVE_MODEL=item-knn trains that model instead of auto.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { datasetPath } from '../../eval/datasets.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { builtCli } from '../cli.js';
import type { BenchContext } from '../context.js';

const QUICK = Boolean(process.env['BENCH_QUICK']);
const RATES = [100, 500, 1000];
const SECONDS_PER_RATE = QUICK ? 5 : 20;
const SOAK_SECONDS = QUICK ? 30 : 300;
const SOAK_RATE = 500;
const TARGET_P99_MS = 20;
/** `train recommend --model` (default auto with a 3-minute budget). */
const MODEL = process.env['BENCH_SERVE_MODEL'] ?? 'auto';

interface Histogram {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  average: number;
}
interface AutocannonResult {
  latency: Histogram;
  requests: { total: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no types; the fields used here are in its README ("results").
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
const ms = (x: number): string => `${x.toFixed(1)} ms`;

/** The server's resident set size in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

/** Waits for the holder file `serve` writes once it listens: it names the URL. */
async function serverUrl(db: string, child: ChildProcess): Promise<string> {
  const holder = `${db}.serve.json`;
  for (let waited = 0; waited < 600_000; waited += 200) {
    if (child.exitCode !== null) throw new Error(`shopsight serve exited with code ${child.exitCode}`);
    if (existsSync(holder)) {
      const { url } = JSON.parse(readFileSync(holder, 'utf8')) as { url: string };
      const ready = await fetch(`${url}/readyz`).catch(() => undefined);
      if (ready?.ok) return url;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('shopsight serve did not become ready in 10 minutes');
}

export async function serverRecommend({ work, root, report, note }: BenchContext): Promise<void> {
  const source = datasetPath('online-retail', 'online_retail.csv.gz');
  if (!existsSync(source)) {
    note(`Skipped: the Online Retail dataset is not at ${source} (set SHOPSIGHT_DATASETS).`);
    process.stdout.write(`server-recommend: skipped, no dataset at ${source}\n`);
    return;
  }
  const cli = builtCli(root);
  const db = join(work, 'online-retail.duckdb');
  cli(['import', source, '--preset', 'online-retail', '--db', db, '--json']);
  const trained = JSON.parse(
    cli(['train', 'recommend', '--db', db, '--model', MODEL, '--budget', '3m', '--json']),
  ) as {
    model: { modelId: string; params: { model: string } };
  };
  const { key } = JSON.parse(
    cli(['keys', 'create', '--role', 'read', '--name', 'bench', '--db', db, '--json']),
  ) as {
    key: string;
  };
  // Known customers: the ones with a merchandise purchase (the model's users).
  const wh = await DuckDBWarehouse.open(db);
  const users = (
    await wh.columns(
      `SELECT DISTINCT o.customer_id FROM orders o JOIN order_items i USING (order_id)
       WHERE o.customer_id IS NOT NULL ORDER BY 1`,
      { customer_id: 'str' },
    )
  ).customer_id.filter((u): u is string => u !== null);
  await wh.close();

  const server = spawn(
    process.execPath,
    [join(root, 'dist', 'cli', 'main.js'), 'serve', '--db', db, '--port', '0'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    const url = await serverUrl(db, server);
    const headers = { authorization: `Bearer ${key}` };
    // The first request loads the model (once per version): not part of the measured runs.
    const t = performance.now();
    const first = await fetch(`${url}/v1/recommendations/user/${users[0]}`, { headers });
    if (!first.ok) throw new Error(`first request: HTTP ${first.status} ${await first.text()}`);
    const coldMs = performance.now() - t;
    note(
      `Model: ${trained.model.modelId} (${trained.model.params.model}), ${users.length.toLocaleString('en-US')} known ` +
        `customers drawn at random; server started with \`shopsight serve\` (built code) as a child process, ` +
        `autocannon in the bench process (both on the same 2 cores). First request (loads the model and mines ` +
        `the bought-together rules): ${ms(coldMs)}. Load average before: ${load()}.`,
    );

    const drive = (rate: number, seconds: number): Promise<AutocannonResult> =>
      autocannon({
        url,
        connections: 20,
        duration: seconds,
        overallRate: rate,
        headers,
        requests: [
          {
            method: 'GET',
            setupRequest: (req: Record<string, unknown>) => ({
              ...req,
              path: `/v1/recommendations/user/${encodeURIComponent(users[Math.floor(Math.random() * users.length)]!)}?k=10`,
            }),
          },
        ],
      });

    for (const rate of RATES) {
      const r = await drive(rate, SECONDS_PER_RATE);
      const failed = r.errors + r.timeouts + r.non2xx;
      const l = r.latency;
      report({
        name: `user recommendations at ${rate} requests/s (${SECONDS_PER_RATE} s)`,
        figure: `p50 ${ms(l.p50)}, p90 ${ms(l.p90)}, p99 ${ms(l.p99)}, max ${ms(l.max)}; ${r.requests.total} requests, ${failed} failed; load ${load()}`,
        baseline: 'Gorse: about 0.5 ms cached, 4 ms item-based',
        target: rate === 500 ? `p99 < ${TARGET_P99_MS} ms, no errors` : 'no errors',
        ok: failed === 0 && (rate !== 500 || l.p99 < TARGET_P99_MS),
      });
    }

    const rssStart = rssMiB(server.pid!);
    const soak = await drive(SOAK_RATE, SOAK_SECONDS);
    const rssEnd = rssMiB(server.pid!);
    const failed = soak.errors + soak.timeouts + soak.non2xx;
    report({
      name: `soak: ${SOAK_SECONDS} s at ${SOAK_RATE} requests/s, server RSS start -> end`,
      figure: `${rssStart.toFixed(0)} MiB -> ${rssEnd.toFixed(0)} MiB; p99 ${ms(soak.latency.p99)}; ${soak.requests.total} requests, ${failed} failed; load ${load()}`,
      baseline: `RSS at the soak's start`,
      target: 'RSS stable (within 20%), no errors',
      ok: failed === 0 && rssEnd < rssStart * 1.2,
    });
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}
