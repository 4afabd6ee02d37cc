/**
 * @module cli/commands/keys
 * `shopsight keys create|list|revoke`: API keys for the HTTP API, made before the server starts (while
 * it runs, it owns a DuckDB file: use POST /v1/admin/keys). On a ClickHouse cluster it runs any time:
 * every `shopsight serve` process there re-reads the keys within 30 s. A key is printed once and
 * stored hashed.
 */
import { Command, Option } from 'commander';
import {
  API_ROLES,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiRole,
} from '../../warehouse/api-keys.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';

export function keysCommand(): Command {
  const keys = new Command('keys').description('API keys for `shopsight serve`: create, list, revoke');
  keys
    .command('create')
    .description('make a key (printed once; only its hash is stored)')
    .addOption(
      new Option('--role <role>', 'admin: everything; ingest: events and upserts; read: answers')
        .choices([...API_ROLES])
        .makeOptionMandatory(),
    )
    .option('--name <text>', 'who or what uses it (shown in keys list and the logs)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: { role: ApiRole; name?: string; db?: string; json?: boolean }) => {
      const { key, record } = await withWarehouse(
        opts.db,
        (wh) => createApiKey(wh, { role: opts.role, ...(opts.name ? { name: opts.name } : {}) }),
        { clickhouse: true },
      );
      if (opts.json) return printJson({ key });
      process.stdout.write(
        `${key}\n` +
          `(${record.role} key ${record.keyId}, "${record.name}": shown this once, keep it; send it as "Authorization: Bearer <key>")\n`,
      );
    });
  keys
    .command('list')
    .description('every key: id, name, role, created, revoked (never the keys themselves)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: { db?: string; json?: boolean }) => {
      const all = await withWarehouse(opts.db, listApiKeys, { clickhouse: true });
      const rows = all.map((k) => ({
        key_id: k.keyId,
        name: k.name,
        role: k.role,
        created_at: k.createdAt,
        revoked_at: k.revokedAt,
      }));
      if (opts.json) return printJson({ keys: rows });
      if (!rows.length)
        return void process.stdout.write('no API keys yet: npx shopsight keys create --role admin\n');
      process.stdout.write(
        formatTable(
          ['key id', 'name', 'role', 'created', 'revoked'],
          rows.map((r) => [r.key_id, r.name, r.role, r.created_at, r.revoked_at]),
        ) + '\n',
      );
    });
  keys
    .command('revoke')
    .description('revoke a key by its id (from keys list); requests with it get 401 from then on')
    .argument('<key-id>')
    .addOption(dbOption())
    .action(async (keyId: string, opts: { db?: string }) => {
      const done = await withWarehouse(opts.db, (wh) => revokeApiKey(wh, keyId), { clickhouse: true });
      if (!done) throw new Error(`no live API key with id ${keyId} (see npx shopsight keys list)`);
      process.stdout.write(`revoked ${keyId}\n`);
    });
  return keys;
}
