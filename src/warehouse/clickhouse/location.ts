/**
 * @module warehouse/clickhouse/location
 * Reads a ClickHouse warehouse URL:
 *   clickhouse://[user[:password]@]host:port/database?cluster=name[&nodes=h:p,h:p][&timeout=s][&max_queries=n]
 * `port` is the entry node's HTTP port (8123 by default). `nodes` lists every shard's HTTP address
 * for the per-node DDL (18.16 runs ON CLUSTER DDL only with ZooKeeper); without it a shard's HTTP
 * port is taken as its native port - 1, the layout scripts/clickhouse-cluster.sh starts.
 */

export interface ClickHouseLocation {
  /** The entry node, e.g. http://127.0.0.1:8123. */
  readonly url: string;
  readonly database: string;
  readonly cluster: string;
  readonly username: string;
  readonly password: string;
  /** Explicit shard HTTP addresses (http://host:port), in shard order, when given. */
  readonly nodes: readonly string[] | null;
  /** How long to wait for a node to answer before saying it is unreachable. */
  readonly connectTimeoutMs: number;
  /** Requests this process sends one node at a time, at most (the rest wait): see DEFAULT_MAX_QUERIES. */
  readonly maxQueries: number;
}

/**
 * Requests in flight to one node from one process. ClickHouse 18.16 (Debian's package, the version
 * this project is tested on) dies now and then under concurrent distributed queries: a segmentation
 * fault in std::_Rb_tree_rebalance_for_erase, on the entry node or a shard. Measured with ten
 * one-customer RFM lookups at a time against a local 2-shard cluster (rfm-of-customer.test.ts's
 * queries): a node died in 6 of 26 runs with no limit, 1 of 24 with 4 requests per node, 0 of 20
 * with 2 (docs/clickhouse.md). A newer server can take more: `max_queries=n` in the location.
 */
export const DEFAULT_MAX_QUERIES = 2;

export const CLICKHOUSE_SCHEME = 'clickhouse:';

export function isClickHouseLocation(location: string): boolean {
  return /^clickhouse:\/\//i.test(location);
}

/** The URL as shown in messages: without its password. */
export function redactedLocation(location: string): string {
  return location.replace(/^(clickhouse:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

export function parseClickHouseLocation(location: string): ClickHouseLocation {
  const bad = (why: string): Error =>
    new Error(
      `bad ClickHouse location '${redactedLocation(location)}': ${why} ` +
        `(expected clickhouse://host:8123/database?cluster=name)`,
    );
  let u: URL;
  try {
    u = new URL(location);
  } catch {
    throw bad('not a URL');
  }
  if (u.protocol.toLowerCase() !== CLICKHOUSE_SCHEME) throw bad('the scheme is not clickhouse://');
  if (!u.hostname) throw bad('no host');
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
    throw bad(
      database
        ? `the database name '${database}' is not a plain identifier`
        : 'no database name after the host',
    );
  }
  const cluster = u.searchParams.get('cluster');
  if (!cluster) throw bad('no ?cluster=name (the remote_servers cluster to shard over)');
  for (const key of u.searchParams.keys()) {
    if (!['cluster', 'nodes', 'timeout', 'max_queries'].includes(key)) {
      throw bad(`unknown parameter '${key}'`);
    }
  }
  const timeout = u.searchParams.get('timeout');
  const seconds = timeout === null ? 10 : Number(timeout);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw bad(`timeout must be a positive number of seconds, got '${timeout}'`);
  const maxParam = u.searchParams.get('max_queries');
  const maxQueries = maxParam === null ? DEFAULT_MAX_QUERIES : Number(maxParam);
  if (!Number.isInteger(maxQueries) || maxQueries < 1)
    throw bad(`max_queries must be a whole number >= 1, got '${maxParam}'`);
  const nodesParam = u.searchParams.get('nodes');
  const nodes = nodesParam
    ? nodesParam.split(',').map((n) => {
        if (!/^[\w.-]+:\d+$/.test(n.trim())) throw bad(`nodes entry '${n}' is not host:port`);
        return `http://${n.trim()}`;
      })
    : null;
  return {
    url: `http://${u.hostname}:${u.port || '8123'}`,
    database,
    cluster,
    username: decodeURIComponent(u.username) || 'default',
    password: decodeURIComponent(u.password),
    nodes,
    connectTimeoutMs: seconds * 1000,
    maxQueries,
  };
}
