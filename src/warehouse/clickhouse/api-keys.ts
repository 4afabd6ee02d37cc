/**
 * @module warehouse/clickhouse/api-keys
 * The API's keys when the store is a ClickHouse cluster: the same keys and records as
 * warehouse/api-keys.ts (mintApiKey, verifyApiKey), kept in `api_keys` on every node (schema.ts), so
 * each `shopsight serve` process in front of the cluster reads the same keys at its start.
 */
import { mintApiKey, type ApiKeyRecord, type ApiRole } from '../api-keys.js';
import type { ClickHouseStore } from './clickhouse-store.js';
import { chDateTime, tsvField } from './format-value.js';

const COLUMNS = ['key_id', 'name', 'role', 'secret_sha256', 'created_at', 'revoked_at'];

export async function chCreateApiKey(
  ch: ClickHouseStore,
  options: { role: ApiRole; name?: string },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const minted = mintApiKey(options);
  const r = minted.record;
  const line =
    [
      tsvField(r.keyId),
      tsvField(r.name),
      tsvField(r.role),
      tsvField(r.secretSha256),
      chDateTime(r.createdAt),
      '\\N',
    ].join('\t') + '\n';
  await ch.insertTsv('api_keys', COLUMNS, () => [line], { everyNode: true });
  return minted;
}

/** Every key, revoked ones included, oldest first (read from the entry node's copy). */
export async function chListApiKeys(ch: ClickHouseStore): Promise<ApiKeyRecord[]> {
  const rows = await ch.rows<{
    key_id: string;
    name: string;
    role: ApiRole;
    secret_sha256: string;
    created_at: string;
    revoked_at: string | null;
  }>('SELECT * FROM api_keys FINAL ORDER BY created_at, key_id');
  return rows.map((r) => ({
    keyId: r.key_id,
    name: r.name,
    role: r.role,
    secretSha256: r.secret_sha256,
    createdAt: new Date(`${r.created_at.replace(' ', 'T')}Z`),
    revokedAt: r.revoked_at ? new Date(`${r.revoked_at.replace(' ', 'T')}Z`) : null,
  }));
}
