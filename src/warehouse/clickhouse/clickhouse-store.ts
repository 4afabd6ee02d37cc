/**
 * @module warehouse/clickhouse/clickhouse-store
 * A warehouse on a ClickHouse cluster, and the only module that imports @clickhouse/client.
 * Opening checks, each within the location's timeout, that the entry node answers, that it knows
 * the cluster, and that every shard answers; then creates the tables on every node (schema.ts).
 *
 * Every request carries wait_end_of_query=1 (the server buffers the result, so an error in the
 * middle of a result is an HTTP error, not a truncated answer read as complete) and
 * insert_distributed_sync=1 (an insert through a Distributed table returns once every shard holds
 * its rows, not when they are queued). Values reach SQL only through format-value.ts.
 *
 * @example
 *   const ch = await ClickHouseStore.open('clickhouse://127.0.0.1:18123/shop?cluster=shopsight');
 *   await ch.rows<{ n: number }>('SELECT count() AS n FROM orders'); // [{ n: 25900 }]
 */
import {
  ClickHouseLogLevel,
  createClient,
  type ClickHouseClient,
  type ClickHouseSettings,
} from '@clickhouse/client';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { get as httpGet } from 'node:http';
import { Readable } from 'node:stream';
import type {
  AppendColumn,
  ColumnKind,
  Columns,
  QueryProgress,
  Row,
  SqlValue,
  Warehouse,
} from '../warehouse.js';
import { ConcurrencyGate } from '../../core/concurrency-gate.js';
import { appendTsvLines } from './append-tsv.js';
import { CH_CODES, ClickHouseError, toClickHouseError } from './errors.js';
import { bindParams, chString } from './format-value.js';
import {
  DEFAULT_MAX_QUERIES,
  parseClickHouseLocation,
  redactedLocation,
  type ClickHouseLocation,
} from './location.js';
import { columnsQuery, parseColumns } from './read-columns.js';
import { CH_REPLICATED_TABLES, CH_SCHEMA_VERSION, nodeDdl } from './schema.js';

/** A query may run this long before the client gives up (imports and scans of large stores). */
const QUERY_TIMEOUT_MS = 30 * 60 * 1000;

const SETTINGS = {
  wait_end_of_query: 1,
  insert_distributed_sync: 1,
  // 64-bit counts as JSON numbers, not strings (counts stay far below 2^53).
  output_format_json_quote_64bit_integers: 0,
} as const;

/** What `transaction()` answers: ClickHouse has no multi-statement transactions. */
export class NoTransactionsError extends Error {
  override readonly name = 'NoTransactionsError';
  constructor(location: string) {
    super(
      `${location} is ClickHouse, which has no transactions: this work needs all-or-nothing writes ` +
        `(or a rollback) and runs on DuckDB only (docs/clickhouse.md)`,
    );
  }
}

export class ClickHouseStore implements Warehouse {
  readonly engine = 'clickhouse' as const;
  /** The version of the ClickHouse DDL (schema.ts), not DuckDB's migration number. */
  readonly schemaVersion = CH_SCHEMA_VERSION;

  private constructor(
    /** The URL as given, password removed. */
    readonly location: string,
    readonly target: ClickHouseLocation,
    /** The entry node: every query goes to it; it fans out through the Distributed tables. */
    private readonly entry: ClickHouseClient,
    /** One client per shard, in shard order, for DDL and the replicated tables. */
    private readonly nodes: readonly { readonly url: string; readonly client: ClickHouseClient }[],
    /** Spill settings sized to the server's memory limit (spillSettings), sent with every query. */
    private readonly spill: ClickHouseSettings,
  ) {}

  static async open(location: string): Promise<ClickHouseStore> {
    const target = parseClickHouseLocation(location);
    gateNode(target.url, target.maxQueries);
    await ping(target.url, target.connectTimeoutMs);
    // Until the database exists, requests go to `default`.
    const admin = client(target, target.url, 'default');
    try {
      const nodeUrls = await shardUrls(admin, target);
      for (const url of nodeUrls) gateNode(url, target.maxQueries);
      const spill = await spillSettings(admin, target.url);
      await Promise.all(nodeUrls.map((u) => ping(u, target.connectTimeoutMs)));
      for (const [i, url] of nodeUrls.entries()) {
        const node = client(target, url, 'default');
        try {
          await checkShard(node, url, target.cluster, i + 1);
          for (const ddl of nodeDdl(target.database, target.cluster)) {
            await run(url, () => node.command({ query: ddl, clickhouse_settings: SETTINGS }));
          }
        } finally {
          await node.close();
        }
      }
      const nodes = nodeUrls.map((url) => ({ url, client: client(target, url, target.database, spill) }));
      return new ClickHouseStore(
        redactedLocation(location),
        target,
        client(target, target.url, target.database, spill),
        nodes,
        spill,
      );
    } finally {
      await admin.close();
    }
  }

  /**
   * The database-qualified name of a sharded table's per-node part, for a JOIN that each shard runs
   * on its own rows. Qualified because a shard runs the forwarded query in its default database.
   */
  localTable(table: string): string {
    return `\`${this.target.database}\`.\`${table}_local\``;
  }

  /**
   * The database-qualified name of a table every node holds whole (products, stock, review_scores), for a query
   * that each shard runs: a shard runs the forwarded query in its default database.
   */
  nodeTable(table: (typeof CH_REPLICATED_TABLES)[number] | 'review_scores'): string {
    return `\`${this.target.database}\`.\`${table}\``;
  }

  /**
   * A database-qualified name for a scratch table on the entry node (Memory engine, dropped by its
   * creator), unique per call so concurrent callers never share one.
   */
  scratchTable(prefix: string): string {
    return `\`${this.target.database}\`.\`_${prefix}_${randomBytes(6).toString('hex')}\``;
  }

  /** Number of shards. */
  get shardCount(): number {
    return this.nodes.length;
  }

  /** Run a query on the entry node and return its rows. `?` placeholders take `params`. */
  async rows<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const query = bindParams(sql, params);
    return run(this.target.url, async () => {
      const result = await this.entry.query({ query, format: 'JSONEachRow', clickhouse_settings: SETTINGS });
      return (await result.json()) as T[];
    });
  }

  /**
   * Run a query on the entry node and read the named columns into typed arrays: TabSeparated
   * streamed and parsed line by line (read-columns.ts), no object per row.
   */
  async columns<S extends Record<string, ColumnKind>>(
    sql: string,
    kinds: S,
    params: readonly SqlValue[] = [],
  ): Promise<Columns<S>> {
    const query = columnsQuery(bindParams(sql, params), kinds);
    return run(this.target.url, async () => {
      const result = await this.entry.exec({ query, clickhouse_settings: SETTINGS });
      return parseColumns(result.stream, kinds);
    });
  }

  /**
   * Append rows in bulk, one array per column, as TabSeparated (append-tsv.ts): through the
   * Distributed table for a sharded one (sharded on the way in), to every node for a replicated
   * one. Not atomic across shards: a failure part-way can leave some shards written.
   */
  async append(table: string, columns: Readonly<Record<string, AppendColumn>>): Promise<void> {
    const names = Object.keys(columns);
    if (!names.length) throw new Error(`append(${table}): no columns given`);
    const length = columns[names[0]!]!.length;
    if (length === 0) return;
    await this.insertTsv(table, names, () => appendTsvLines(table, columns), {
      everyNode: (CH_REPLICATED_TABLES as readonly string[]).includes(table),
    });
  }

  /** Refused: ClickHouse has no transactions (NoTransactionsError names the store). */
  transaction<T>(_fn: () => Promise<T>): Promise<T> {
    return Promise.reject(new NoTransactionsError(this.location));
  }

  /**
   * Another handle on the same cluster with its own HTTP clients. HTTP requests are independent,
   * so handles share nothing but the server; close() on this one closes its own clients only.
   */
  async connect(): Promise<Warehouse> {
    return new ClickHouseStore(
      this.location,
      this.target,
      client(this.target, this.target.url, this.target.database, this.spill),
      this.nodes.map((n) => ({
        url: n.url,
        client: client(this.target, n.url, this.target.database, this.spill),
      })),
      this.spill,
    );
  }

  /** ClickHouse reports no progress over this interface: -1 (unknown). */
  progress(): QueryProgress {
    return { percentage: -1 };
  }

  /** Run a query on each node by itself (its own local tables), one result per shard in shard order. */
  async rowsOnEachNode<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[][]> {
    const query = bindParams(sql, params);
    const out: T[][] = [];
    for (const node of this.nodes) {
      out.push(
        await run(node.url, async () => {
          const result = await node.client.query({
            query,
            format: 'JSONEachRow',
            clickhouse_settings: SETTINGS,
          });
          return (await result.json()) as T[];
        }),
      );
    }
    return out;
  }

  /** Run a statement on the entry node. */
  async exec(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    const query = bindParams(sql, params);
    await run(this.target.url, () => this.entry.command({ query, clickhouse_settings: SETTINGS }));
  }

  /**
   * Run a query on shard 1 by itself: the one place the model registry lives (clickhouse/model-store.ts),
   * whichever node a process enters through.
   */
  async rowsOnFirstShard<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const node = this.nodes[0]!;
    const query = bindParams(sql, params);
    return run(node.url, async () => {
      const result = await node.client.query({ query, format: 'JSONEachRow', clickhouse_settings: SETTINGS });
      return (await result.json()) as T[];
    });
  }

  /** Run a statement on shard 1 by itself (see rowsOnFirstShard). */
  async execOnFirstShard(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    const node = this.nodes[0]!;
    const query = bindParams(sql, params);
    await run(node.url, () => node.client.command({ query, clickhouse_settings: SETTINGS }));
  }

  /** Run a statement on every node (DDL, OPTIMIZE, writes to the replicated tables). */
  async execOnEachNode(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    const query = bindParams(sql, params);
    for (const node of this.nodes) {
      await run(node.url, () => node.client.command({ query, clickhouse_settings: SETTINGS }));
    }
  }

  /**
   * Insert TabSeparated text into `table` (through the entry node, so a Distributed table shards
   * it), or into the same table on every node with `everyNode` (the replicated tables), or on shard 1
   * only with `firstShard` (the model registry). `body`
   * yields TSV lines joined in chunks; it is called once per target node.
   */
  async insertTsv(
    table: string,
    columns: readonly string[],
    body: () => Iterable<string>,
    options: { everyNode?: boolean; firstShard?: boolean } = {},
  ): Promise<void> {
    const targets = options.everyNode
      ? this.nodes
      : options.firstShard
        ? [this.nodes[0]!]
        : [{ url: this.target.url, client: this.entry }];
    for (const node of targets) {
      await run(node.url, () =>
        node.client.insert({
          table,
          columns: columns as [string, ...string[]],
          values: Readable.from(body(), { objectMode: false }),
          format: 'TabSeparated',
          clickhouse_settings: SETTINGS,
        }),
      );
    }
  }

  /**
   * Insert a CSV file (RFC 4180 quoting, `\N` for NULL, no header) into `table`, streamed from disk:
   * through the entry node, or into the same table on every node with `everyNode`.
   */
  async insertCsvFile(
    table: string,
    columns: readonly string[],
    path: string,
    options: { everyNode?: boolean } = {},
  ): Promise<void> {
    const targets = options.everyNode ? this.nodes : [{ url: this.target.url, client: this.entry }];
    for (const node of targets) {
      await run(node.url, () =>
        node.client.insert({
          table,
          columns: columns as [string, ...string[]],
          values: createReadStream(path),
          format: 'CSV',
          // On by default: a field that starts with ' (a reason quoting a value) would be read as
          // a single-quoted string. The file quotes the RFC way only.
          clickhouse_settings: { ...SETTINGS, format_csv_allow_single_quotes: 0 },
        }),
      );
    }
  }

  /**
   * The shards that do not answer /ping now (within the location's timeout), in shard order: what a
   * failed write names, since the entry node's own error names a shard only by its native port.
   */
  async unreachableNodes(): Promise<{ shard: number; url: string; reason: string }[]> {
    const checks = await Promise.all(
      this.nodes.map(async (node, i) => {
        try {
          await ping(node.url, this.target.connectTimeoutMs);
          return null;
        } catch (err) {
          return { shard: i + 1, url: node.url, reason: (err as Error).message };
        }
      }),
    );
    return checks.filter((c): c is { shard: number; url: string; reason: string } => c !== null);
  }

  async close(): Promise<void> {
    await Promise.all([this.entry.close(), ...this.nodes.map((n) => n.client.close())]);
  }
}

/**
 * A GROUP BY or ORDER BY that outgrows the server's per-query memory limit spills to disk instead of
 * failing: at 100M events the funnel's GROUP BY over sessions needed more than the 2 GB a query may
 * use on the local cluster (docs/scaling.md). Spilling starts at half the limit, as ClickHouse's
 * documentation advises, and the entry node merges the shards' groups bucket by bucket
 * (distributed_aggregation_memory_efficient) rather than all at once. A server with no limit (0)
 * gets neither: nothing to stay under. Read from the entry node; the settings travel with each query
 * to the shards.
 */
async function spillSettings(admin: ClickHouseClient, url: string): Promise<ClickHouseSettings> {
  const r = await run(url, () =>
    admin.query({
      query: "SELECT value FROM system.settings WHERE name = 'max_memory_usage'",
      format: 'JSONEachRow',
      clickhouse_settings: SETTINGS,
    }),
  );
  const [row] = await r.json<{ value: string }>();
  const limit = Number(row?.value ?? 0);
  if (!Number.isFinite(limit) || limit <= 0) return {};
  const half = String(Math.floor(limit / 2));
  return {
    max_bytes_before_external_group_by: half,
    max_bytes_before_external_sort: half,
    distributed_aggregation_memory_efficient: 1,
  };
}

function client(
  target: ClickHouseLocation,
  url: string,
  database: string,
  spill: ClickHouseSettings = {},
): ClickHouseClient {
  return createClient({
    clickhouse_settings: spill,
    url,
    username: target.username,
    password: target.password,
    database,
    request_timeout: QUERY_TIMEOUT_MS,
    // Failures reach the caller as ClickHouseErrors; the client's own console logging would repeat them.
    log: { level: ClickHouseLogLevel.OFF },
    // Compressed responses are fine on 18.16; compressed requests are not needed on loopback.
    compression: { response: true, request: false },
  });
}

/** Runs one request, turning whatever fails into a ClickHouseError naming the node and the code. */
async function run<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await gateOf(where).run(fn);
  } catch (err) {
    throw toClickHouseError(err, where);
  }
}

/**
 * One gate per node URL for the whole process, shared by every handle on it (connect() makes new
 * clients, not a new server): at most the location's max_queries requests in flight to a node.
 * The first store opened on a node sets its limit.
 */
const gates = new Map<string, ConcurrencyGate>();

function gateNode(url: string, limit: number): void {
  if (!gates.has(url)) gates.set(url, new ConcurrencyGate(limit));
}

function gateOf(url: string): ConcurrencyGate {
  gateNode(url, DEFAULT_MAX_QUERIES);
  return gates.get(url)!;
}

/**
 * GET /ping within `timeoutMs`: the one check that never hangs on a server that does not answer.
 * node:http rather than fetch, which refuses some ports a server may well use (fetch's "bad ports").
 */
async function ping(url: string, timeoutMs: number): Promise<void> {
  const answer = await new Promise<string>((resolve, reject) => {
    const req = httpGet(`${url}/ping`, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body.trim()));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
  }).catch((err: Error & { code?: string }) => {
    throw new ClickHouseError(
      `cannot reach ClickHouse at ${url}: ${err.code ?? err.message}`,
      CH_CODES.NETWORK_ERROR,
      {
        cause: err,
      },
    );
  });
  if (answer !== 'Ok.') {
    throw new ClickHouseError(
      `${url} answered /ping with '${answer.slice(0, 80)}': not a ClickHouse server`,
      null,
    );
  }
}

/** Each shard's HTTP address, in shard order, checked against the cluster definition. */
async function shardUrls(entry: ClickHouseClient, target: ClickHouseLocation): Promise<string[]> {
  const rows = await run(target.url, async () => {
    const r = await entry.query({
      query:
        'SELECT cluster, shard_num, replica_num, host_address, port FROM system.clusters ORDER BY cluster, shard_num, replica_num',
      format: 'JSONEachRow',
      clickhouse_settings: SETTINGS,
    });
    return (await r.json()) as {
      cluster: string;
      shard_num: number;
      replica_num: number;
      host_address: string;
      port: number;
    }[];
  });
  const shards = rows.filter((r) => r.cluster === target.cluster);
  if (shards.length === 0) {
    const known = [...new Set(rows.map((r) => r.cluster))];
    throw new ClickHouseError(
      `ClickHouse at ${target.url} has no cluster '${target.cluster}' in its remote_servers` +
        (known.length ? ` (it knows: ${known.join(', ')})` : ' (it defines no cluster)'),
      CH_CODES.BAD_GET,
    );
  }
  if (shards.some((s) => s.replica_num !== 1)) {
    throw new ClickHouseError(
      `cluster '${target.cluster}' has replicas: Shopsight supports one replica per shard so far (docs/clickhouse.md)`,
      null,
    );
  }
  if (target.nodes) {
    if (target.nodes.length !== shards.length) {
      throw new ClickHouseError(
        `nodes= lists ${target.nodes.length} addresses but cluster '${target.cluster}' has ${shards.length} shards`,
        null,
      );
    }
    return [...target.nodes];
  }
  return shards.map((s) => `http://${s.host_address}:${s.port - 1}`);
}

/** The node at `url` is shard `shard` of the cluster by its own account (a guessed port could be another server). */
async function checkShard(
  node: ClickHouseClient,
  url: string,
  cluster: string,
  shard: number,
): Promise<void> {
  const local = await run(url, async () => {
    const r = await node.query({
      query: `SELECT shard_num FROM system.clusters WHERE cluster = ${chString(cluster)} AND is_local = 1`,
      format: 'JSONEachRow',
      clickhouse_settings: SETTINGS,
    });
    return (await r.json()) as { shard_num: number }[];
  });
  if (local.length !== 1 || Number(local[0]!.shard_num) !== shard) {
    throw new ClickHouseError(
      `${url} is not shard ${shard} of cluster '${cluster}' by its own remote_servers ` +
        `(pass every shard's HTTP address as nodes=host:port,host:port in the URL)`,
      null,
    );
  }
}
