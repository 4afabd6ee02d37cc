/**
 * @module warehouse/clickhouse/model-store
 * The model registry on a ClickHouse cluster: the same records as warehouse/model-store.ts, kept
 * in three plain MergeTree tables on shard 1 (schema.ts), whichever node a process enters through:
 * the registry is small, and one place is what makes its version numbers unique.
 *
 * Unique versions without transactions (claim, then check): a training reads the task's highest
 * claimed version, inserts a claim (task, version + 1, a random token) into `model_versions`, and
 * reads back the claims of that version. Alone, it owns the version and only then writes the model
 * into `models`. Not alone, it claimed at the same time as another training: BOTH give the number
 * up and claim again after a random pause. Two can never both be alone: an insert is visible once
 * it returns, so whichever checks second sees the first's claim. `models` therefore never holds two
 * rows of one version; a version given up leaves a gap in the numbers.
 *
 * Status without UPDATE (18.16's ALTER ... UPDATE is an asynchronous mutation): `model_promotions`
 * is an append-only log, and a model's status is derived from it: the version of the task's latest
 * entry is promoted, any other version the log names is retired, the rest are candidates, which is
 * what DuckDB's UPDATEs store. Artifacts are String columns holding base64 (18.16 has no unhex(),
 * and raw bytes would not survive the client's text stream), with their byte count beside them.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ModelRecord, ModelStatus, NewModel } from '../../schema/models.js';
import type { ClickHouseStore } from './clickhouse-store.js';
import { chDateTime, chLiteral, tsvField } from './format-value.js';
import { mutateEverywhere } from './personal-data.js';

interface ModelRow {
  model_id: string;
  task: string;
  version: number;
  kind: string;
  created_at: string;
  trained_on: string;
  params: string;
  metrics: string;
  bytes: number;
}

interface PromotionRow {
  task: string;
  seq: number;
  version: number;
  action: 'promote' | 'rollback';
  promoted_at: string;
}

/** How many times a training claims a version before giving up (each clash costs both a retry). */
const CLAIM_ATTEMPTS = 20;

const RECORD_COLUMNS = 'model_id, task, version, kind, created_at, trained_on, params, metrics, bytes';

/** A DateTime('UTC') as JSONEachRow prints it ('YYYY-MM-DD hh:mm:ss'). */
const utc = (s: string): Date => new Date(`${s.replace(' ', 'T')}Z`);

async function promotions(ch: ClickHouseStore, task?: string): Promise<PromotionRow[]> {
  const rows = await ch.rowsOnFirstShard<PromotionRow & Record<string, unknown>>(
    `SELECT task, seq, version, action, toString(promoted_at) AS promoted_at FROM model_promotions
     ${task ? 'WHERE task = ?' : ''} ORDER BY task, seq, claim`,
    task ? [task] : [],
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq), version: Number(r.version) }));
}

/** Each task's version statuses from the promotion log: task -> version -> status (candidates absent). */
function statuses(log: readonly PromotionRow[]): Map<string, Map<number, ModelStatus>> {
  const out = new Map<string, Map<number, ModelStatus>>();
  for (const p of log) {
    const task = out.get(p.task) ?? new Map<number, ModelStatus>();
    for (const [v, s] of task) if (s === 'promoted') task.set(v, 'retired');
    task.set(p.version, 'promoted');
    out.set(p.task, task);
  }
  return out;
}

function toRecord(r: ModelRow, status: ModelStatus): ModelRecord {
  return {
    modelId: r.model_id,
    task: r.task,
    version: Number(r.version),
    kind: r.kind,
    createdAt: utc(r.created_at),
    trainedOn: JSON.parse(r.trained_on) as Record<string, unknown>,
    params: JSON.parse(r.params) as Record<string, unknown>,
    metrics: JSON.parse(r.metrics) as Record<string, unknown>,
    status,
    bytes: Number(r.bytes),
  };
}

async function records(
  ch: ClickHouseStore,
  where: string,
  params: readonly (string | number)[],
  task?: string,
) {
  const rows = await ch.rowsOnFirstShard<ModelRow & Record<string, unknown>>(
    `SELECT ${RECORD_COLUMNS.replace('created_at,', 'toString(created_at) AS created_at,')} FROM models
     ${where} ORDER BY task, version`,
    params,
  );
  const status = statuses(await promotions(ch, task));
  return rows.map((r) => toRecord(r, status.get(r.task)?.get(Number(r.version)) ?? 'candidate'));
}

/**
 * Claims the task's next version (see the module comment); returns it once this caller owns it.
 * Forecast runs claim theirs here too, as the task `forecast_runs` (forecasts-store-clickhouse.ts).
 */
export async function claimVersion(ch: ClickHouseStore, task: string): Promise<number> {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const [top] = await ch.rowsOnFirstShard<{ v: number }>(
      'SELECT max(version) AS v FROM model_versions WHERE task = ?',
      [task],
    );
    const version = Number(top?.v ?? 0) + 1;
    const claim = randomUUID();
    await ch.execOnFirstShard('INSERT INTO model_versions (task, version, claim) VALUES (?, ?, ?)', [
      task,
      version,
      claim,
    ]);
    const claims = await ch.rowsOnFirstShard<{ claim: string }>(
      'SELECT claim FROM model_versions WHERE task = ? AND version = ?',
      [task, version],
    );
    if (claims.length === 1 && claims[0]!.claim === claim) return version;
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 100 * (attempt + 1)));
  }
  throw new Error(
    `could not claim a version of ${task} in ${CLAIM_ATTEMPTS} attempts: too many trainings of it at once`,
  );
}

export async function chInsertModel(ch: ClickHouseStore, m: NewModel): Promise<ModelRecord> {
  const version = await claimVersion(ch, m.task);
  const modelId = `${m.task}@${version}`;
  // TabSeparated, not VALUES: an artifact runs to megabytes; 18.16 has no unhex(), so it is kept as base64.
  const fields = [
    modelId,
    m.task,
    String(version),
    m.kind,
    chDateTime(new Date()),
    JSON.stringify(m.trainedOn),
    JSON.stringify(m.params),
    JSON.stringify(m.metrics),
    Buffer.from(m.artifact).toString('base64'),
    String(m.artifact.length),
  ];
  await ch.insertTsv(
    'models',
    [
      'model_id',
      'task',
      'version',
      'kind',
      'created_at',
      'trained_on',
      'params',
      'metrics',
      'artifact',
      'bytes',
    ],
    () => [fields.map((f) => tsvField(f)).join('\t') + '\n'],
    { firstShard: true },
  );
  return (await chFindModel(ch, m.task, version))!;
}

export async function chListModels(ch: ClickHouseStore, task?: string): Promise<ModelRecord[]> {
  return task ? records(ch, 'WHERE task = ?', [task], task) : records(ch, '', []);
}

export async function chFindModel(
  ch: ClickHouseStore,
  task: string,
  version: number | 'promoted',
): Promise<ModelRecord | undefined> {
  const all = await records(ch, 'WHERE task = ?', [task], task);
  return all.find((r) => (version === 'promoted' ? r.status === 'promoted' : r.version === version));
}

export async function chReadArtifact(ch: ClickHouseStore, modelId: string): Promise<Uint8Array> {
  const [row] = await ch.rowsOnFirstShard<{ artifact: string }>(
    'SELECT artifact FROM models WHERE model_id = ?',
    [modelId],
  );
  if (!row) throw new Error(`no model ${modelId}`);
  return new Uint8Array(Buffer.from(row.artifact, 'base64'));
}

/**
 * Appends `version` to the task's promotion log (which makes it the promoted one and the one before
 * retired). Two promotions of one task at the same instant may take the same seq: the log orders
 * them by their random claim, the same order for every reader.
 */
export async function chSetPromoted(
  ch: ClickHouseStore,
  task: string,
  version: number,
  action: 'promote' | 'rollback',
): Promise<void> {
  const [top] = await ch.rowsOnFirstShard<{ s: number }>(
    'SELECT max(seq) AS s FROM model_promotions WHERE task = ?',
    [task],
  );
  await ch.execOnFirstShard(
    'INSERT INTO model_promotions (task, seq, claim, version, action, promoted_at) VALUES (?, ?, ?, ?, ?, ?)',
    [task, Number(top?.s ?? 0) + 1, randomUUID(), version, action, new Date()],
  );
}

export async function chPromotionLog(
  ch: ClickHouseStore,
  task: string,
): Promise<{ version: number; action: 'promote' | 'rollback'; at: Date }[]> {
  return (await promotions(ch, task)).map((p) => ({
    version: p.version,
    action: p.action,
    at: utc(p.promoted_at),
  }));
}

/**
 * Replaces a model's artifact (privacy forget) without UPDATE (its SQL would carry the whole
 * artifact, past max_query_size): the new row is inserted unless an identical one is already there,
 * then every other row of the model is deleted by a mutation, waited for (clickhouse/personal-data.ts).
 * Between the two, readers may see either copy; a re-run after a failure completes it.
 */
export async function chReplaceArtifact(
  ch: ClickHouseStore,
  modelId: string,
  artifact: Uint8Array,
): Promise<void> {
  const base64 = Buffer.from(artifact).toString('base64');
  const md5 = createHash('md5').update(base64).digest('hex').toUpperCase();
  const [row] = await ch.rowsOnFirstShard<ModelRow & Record<string, unknown>>(
    `SELECT ${RECORD_COLUMNS.replace('created_at,', 'toString(created_at) AS created_at,')} FROM models WHERE model_id = ? LIMIT 1`,
    [modelId],
  );
  if (!row) throw new Error(`no model ${modelId}`);
  const [same] = await ch.rowsOnFirstShard<{ n: number }>(
    'SELECT count() AS n FROM models WHERE model_id = ? AND hex(MD5(artifact)) = ?',
    [modelId, md5],
  );
  if (Number(same?.n ?? 0) === 0) {
    const fields = [
      row.model_id,
      row.task,
      String(row.version),
      row.kind,
      row.created_at,
      row.trained_on,
      row.params,
      row.metrics,
      base64,
      String(artifact.length),
    ];
    await ch.insertTsv(
      'models',
      RECORD_COLUMNS.split(', ').slice(0, 8).concat(['artifact', 'bytes']),
      () => [fields.map((f) => tsvField(f)).join('\t') + '\n'],
      { firstShard: true },
    );
  }
  await mutateEverywhere(
    ch,
    'models',
    false,
    `DELETE WHERE model_id = ${chLiteral(modelId)} AND hex(MD5(artifact)) != ${chLiteral(md5)}`,
  );
}

/** Marks models as trained on an erased person (kept once, with the first mark's time, as on DuckDB). */
export async function chMarkModelsErased(
  ch: ClickHouseStore,
  modelIds: readonly string[],
  at: Date,
): Promise<void> {
  const marked = await chErasedModelIds(ch);
  const fresh = [...new Set(modelIds)].filter((id) => !marked.has(id));
  if (!fresh.length) return;
  await ch.insertTsv(
    'model_erasures',
    ['model_id', 'marked_at'],
    () => fresh.map((id) => `${tsvField(id)}\t${chDateTime(at)}\n`),
    { firstShard: true },
  );
}

export async function chErasedModelIds(ch: ClickHouseStore): Promise<Set<string>> {
  const rows = await ch.rowsOnFirstShard<{ model_id: string }>(
    'SELECT DISTINCT model_id FROM model_erasures',
  );
  return new Set(rows.map((r) => r.model_id));
}
