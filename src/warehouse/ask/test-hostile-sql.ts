/**
 * @module warehouse/ask/test-hostile-sql
 * SQL a data question must never run, by family, with the words the guard's refusal must contain.
 * The guard's own test and the assistant's scripted-model test both walk this list.
 */
export interface HostileSql {
  readonly sql: string;
  readonly family: 'not a select' | 'disallowed table' | 'disallowed function' | 'several statements';
  /** A piece of the refusal message. */
  readonly because: RegExp;
}

const notSelect = (sql: string): HostileSql => ({
  sql,
  family: 'not a select',
  because: /only a SELECT statement may run/,
});
const table = (sql: string, because: RegExp): HostileSql => ({ sql, family: 'disallowed table', because });
const fn = (sql: string, because: RegExp): HostileSql => ({ sql, family: 'disallowed function', because });
const several = (sql: string): HostileSql => ({
  sql,
  family: 'several statements',
  because: /one statement only|only a SELECT/,
});

export const HOSTILE_SQL: readonly HostileSql[] = [
  notSelect("INSERT INTO orders (order_id, ordered_at, status) VALUES ('x', now(), 'placed')"),
  notSelect("UPDATE orders SET status = 'cancelled'"),
  notSelect('DELETE FROM orders'),
  notSelect('DROP TABLE orders'),
  notSelect('CREATE TABLE stolen AS SELECT * FROM customers'),
  notSelect('ALTER TABLE orders ADD COLUMN x INT'),
  notSelect("COPY (SELECT * FROM customers) TO '/tmp/customers.csv'"),
  notSelect("ATTACH '/tmp/other.duckdb' AS other"),
  notSelect('PRAGMA database_list'),
  notSelect("SET memory_limit = '100GB'"),
  notSelect('INSTALL httpfs'),
  notSelect('LOAD httpfs'),
  notSelect("EXPORT DATABASE '/tmp/dump'"),
  notSelect('CHECKPOINT'),
  notSelect('CALL pragma_version()'),
  table('SELECT * FROM orders', /reads orders, which is not one of the allowed views/),
  table('SELECT email FROM customers', /reads customers/),
  table('SELECT * FROM api_keys', /reads api_keys/),
  table('SELECT * FROM ask_orders o JOIN shopsight_meta m ON true', /reads shopsight_meta/),
  table('SELECT * FROM information_schema.tables', /other schemas and databases are not allowed/),
  table('SELECT * FROM other.main.orders', /other schemas and databases are not allowed/),
  table("SELECT * FROM '/etc/passwd'", /reads \/etc\/passwd/),
  table(
    'SELECT * FROM ask_orders WHERE customer_id IN (SELECT customer_id FROM customers)',
    /reads customers/,
  ),
  table('WITH x AS (SELECT * FROM orders) SELECT * FROM x', /reads orders/),
  table('DESCRIBE ask_orders', /uses show ref/),
  fn("SELECT * FROM read_csv('/etc/passwd')", /table function read_csv/),
  fn("SELECT * FROM read_parquet('/tmp/x.parquet')", /table function read_parquet/),
  fn("SELECT * FROM read_json_auto('/tmp/x.json')", /table function read_json_auto/),
  fn("SELECT * FROM read_text('/etc/hostname')", /table function read_text/),
  fn("SELECT * FROM glob('/home/*')", /table function glob/),
  fn("SELECT * FROM query('SELECT * FROM customers')", /table function query/),
  fn('SELECT * FROM duckdb_tables()', /table function duckdb_tables/),
  fn('SELECT * FROM range(1000000000)', /table function range/),
  fn(
    "SELECT count(*) FROM ask_orders WHERE order_id IN (SELECT * FROM read_csv('/tmp/x.csv'))",
    /table function read_csv/,
  ),
  fn("SELECT current_setting('home_directory')", /calls current_setting/),
  fn("SELECT getenv('SHOPSIGHT_LLM_API_KEY')", /calls getenv/),
  fn("SELECT nextval('seq')", /calls nextval/),
  several('SELECT 1; DROP TABLE orders'),
  several('SELECT 1; SELECT 2'),
  several('SELECT count(*) FROM ask_orders; DELETE FROM orders'),
];
