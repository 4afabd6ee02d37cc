/**
 * Per-request CPU of a ClickHouse customer profile's RFM part, before and after chRfmOfCustomer
 * (docs/clickhouse.md, "How a profile is read"): a generated store imported into a local 2-shard
 * cluster; then rounds alternating the old read (chRfm of the whole store, the customer looked up,
 * what the profile did before) and the new one (chRfmOfCustomer, cut points kept), each over the
 * same customers. CPU of this process (process.cpuUsage) and of the cluster's server processes
 * (/proc/<pid>/stat utime + stime), per call; the whole profile (customerProfile) per call too.
 *
 *   npx tsx bench/profile-rfm-cpu.ts [customers=20000] [rounds=3] [calls=10]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStore } from '../src/generate/index.js';
import { getPreset } from '../src/ingest/presets/index.js';
import { customerProfile } from '../src/tasks/customers/profile.js';
import { chDefaultAsOf, chRfm } from '../src/warehouse/clickhouse/analytics/rfm.js';
import { chRfmOfCustomer } from '../src/warehouse/clickhouse/analytics/rfm-of-customer.js';
import { ClickHouseStore } from '../src/warehouse/clickhouse/clickhouse-store.js';
import { startTestCluster } from '../src/warehouse/clickhouse/test-cluster.js';
import { importIntoClickHouse } from '../src/warehouse/import/import-into-clickhouse.js';
import { formatLoad, readLoadAverage } from './load.js';

const [customers = 20_000, rounds = 3, calls = 10] = process.argv.slice(2).map(Number);
const TICK_S = 0.01; // /proc clock ticks (USER_HZ 100)

const dir = mkdtempSync(join(tmpdir(), 'shopsight-profile-cpu-'));
const cluster = startTestCluster(2);
try {
  const pids = [1, 2].map((i) =>
    Number(readFileSync(join(cluster.dir, `node${i}`, 'server.pid'), 'utf8').trim()),
  );
  /** CPU seconds of the cluster's servers so far. */
  const serverCpu = (): number =>
    pids.reduce((s, pid) => {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return s + (Number(f[11]) + Number(f[12])) * TICK_S; // utime, stime (fields 14, 15)
    }, 0);
  const ownCpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };

  await generateStore({ customers, days: 365, seed: 1, out: join(dir, 'store') });
  const ch = await ClickHouseStore.open(cluster.url('shop'));
  await importIntoClickHouse(ch, { target: join(dir, 'store'), preset: getPreset('shopsight') });
  const asOf = await chDefaultAsOf(ch);
  const [o] = await ch.rows<{ n: number }>('SELECT count() AS n FROM orders');
  const all = (await chRfm(ch, { asOf })).customers;
  const ids = Array.from(
    { length: calls },
    (_, k) => all[Math.floor(((k + 0.5) * all.length) / calls)]!.customer_id,
  );
  console.log(`store: ${customers} customers, ${o!.n} orders, ${all.length} scored as of ${asOf}`);

  const ways: Record<string, (id: string) => Promise<unknown>> = {
    old: async (id) =>
      (await chRfm(ch, { asOf, includeCustomers: true })).customers.find((c) => c.customer_id === id),
    new: (id) => chRfmOfCustomer(ch, id, asOf),
    'whole profile (new)': (id) => customerProfile(ch, id, { asOf }),
  };
  await ways['new']!(ids[0]!); // the first call takes the cut points: kept from then on
  for (let round = 1; round <= rounds; round++) {
    for (const [name, fn] of Object.entries(ways)) {
      const [own0, srv0, t0] = [ownCpu(), serverCpu(), performance.now()];
      for (const id of ids) await fn(id);
      const [own, srv, t] = [ownCpu() - own0, serverCpu() - srv0, performance.now() - t0];
      console.log(
        `round ${round} ${name}: per call node ${((own / calls) * 1000).toFixed(1)} ms CPU, ` +
          `cluster ${((srv / calls) * 1000).toFixed(1)} ms CPU, wall ${(t / calls).toFixed(1)} ms; load ${formatLoad(readLoadAverage())}`,
      );
    }
  }
  await ch.close();
} finally {
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
