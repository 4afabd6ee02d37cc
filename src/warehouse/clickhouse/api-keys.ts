/**
 * @module warehouse/clickhouse/api-keys
 * The API's keys when the store is a ClickHouse cluster: the same records as warehouse/api-keys.ts
 * (which mints and verifies them and calls these for a ClickHouseStore), kept in `api_keys` on every
 * node (schema.ts), so each `shopsight serve` process in front of the cluster reads the same keys.
 * `api_keys` is a ReplacingMergeTree by key_id without a version column: the row inserted last wins
 * under FINAL, so a revocation is the same record inserted again with revoked_at set.
 */
import type { ApiKeyRecord, ApiRole } from '../api-keys.js';
import type { ClickHouseStore } from './clickhouse-store.js';
import { chDateTime, tsvField } from './format-value.js';

const COLUMNS = ['key_id', 'name', 'role', 'secret_sha256', 'created_at', 'revoked_at'];

/** Stores a key's record (or a later state of it) on every node. */
export async function chInsertApiKey(ch: ClickHouseStore, r: ApiKeyRecord): Promise<void> {
  const line =
    [
      tsvField(r.keyId),
      tsvField(r.name),
      tsvField(r.role),
      tsvField(r.secretSha256),
      chDateTime(r.createdAt),
      r.revokedAt ? chDateTime(r.revokedAt) : '\\N',
    ].join('\t') + '\n';
  await ch.insertTsv('api_keys', COLUMNS, () => [line], { everyNode: true });
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

/** Revokes a live key by its id; false when there is no such key or it was revoked already. */
export async function chRevokeApiKey(ch: ClickHouseStore, keyId: string): Promise<boolean> {
  const live = (await chListApiKeys(ch)).find((k) => k.keyId === keyId && !k.revokedAt);
  if (!live) return false;
  await chInsertApiKey(ch, { ...live, revokedAt: new Date() });
  return true;
}
