/**
 * @module ingest/parse-mapping
 * Reads a user's mapping file (YAML or JSON) into a checked Preset, so `--preset generic` works like
 * a built-in one. Every problem is reported with the file and the key path, before any data is read.
 *
 * @example mapping.yaml
 *   frame: order_lines
 *   format: { kind: csv, delimiter: ";" }
 *   columns:
 *     order_id: Order Number
 *     ordered_at: { column: Created At, format: "%d/%m/%Y %H:%M" }
 *     product_id: SKU
 *     quantity: Qty
 *     unit_price: { column: Price (cents), scale: 0.01 }
 *   unknown_products: quarantine
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ImportError } from './errors.js';
import { FRAMES, FRAME_NAMES, type FrameName } from './frames.js';
import type { Mapping, Preset, PresetFile, SourceExpr, SourceFormat, ValueCase } from './mapping.js';
import { closestName } from './suggest.js';

// Loaded on first use: only --preset generic reads a mapping file, and loading the YAML parser costs
// every `shopsight import` about 50 ms of start-up.
const require = createRequire(import.meta.url);
function parseYaml(text: string): unknown {
  return (require('yaml') as { parse: (source: string) => unknown }).parse(text);
}

const FORMAT_KINDS = ['csv', 'ndjson', 'parquet', 'whitespace', 'sequences', 'markdown'] as const;

type Json = unknown;

export function readMappingFile(path: string): Preset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ImportError({ file: path }, `cannot read mapping file: ${(err as Error).message}`);
  }
  let doc: Json;
  try {
    doc = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ImportError({ file: path }, `mapping file is not valid YAML/JSON: ${(err as Error).message}`);
  }
  return parseMapping(doc, path);
}

/** Check a parsed mapping document; `file` names it in errors. */
export function parseMapping(doc: Json, file: string): Preset {
  const fail = (path: string, reason: string): never => {
    throw new ImportError({ file }, `${path ? path + ': ' : ''}${reason}`);
  };
  if (!isObject(doc)) return fail('', 'a mapping must be an object with frame, format and columns');
  const entries: { match?: RegExp; doc: Record<string, Json>; path: string }[] = [];
  if (doc['files'] !== undefined) {
    if (!Array.isArray(doc['files']))
      return fail('files', 'must be a list of mappings, each with a match pattern');
    doc['files'].forEach((f: Json, i: number) => {
      if (!isObject(f)) return fail(`files[${i}]`, 'must be an object');
      if (typeof f['match'] !== 'string')
        return fail(`files[${i}].match`, 'a file name pattern such as "orders*.csv"');
      entries.push({ match: globToRegExp(f['match']), doc: f, path: `files[${i}]` });
    });
  } else {
    entries.push({ doc, path: '' });
  }
  const files: PresetFile[] = entries.map((e) => {
    const mapping = parseOne(e.doc, e.path, fail);
    return e.match ? { match: e.match, mapping } : { mapping };
  });
  return { name: 'generic', description: `mapping ${basename(file)}`, files };
}

function parseOne(
  doc: Record<string, Json>,
  at: string,
  fail: (path: string, reason: string) => never,
): Mapping {
  const p = (k: string): string => (at ? `${at}.${k}` : k);
  const frame = doc['frame'];
  if (typeof frame !== 'string' || !(FRAME_NAMES as string[]).includes(frame)) {
    return fail(p('frame'), `must be one of ${FRAME_NAMES.join(', ')} (got ${JSON.stringify(frame)})`);
  }
  const frameDef = FRAMES[frame as FrameName];
  const format = parseFormat(doc['format'] ?? 'csv', p('format'), fail);
  const columns = doc['columns'];
  if (!isObject(columns)) return fail(p('columns'), 'must map canonical column names to source columns');
  const known = frameDef.columns.map((c) => c.name);
  const out: Record<string, SourceExpr> = {};
  for (const [target, expr] of Object.entries(columns)) {
    if (!known.includes(target)) {
      const hint = closestName(target, known);
      fail(
        p(`columns.${target}`),
        `is not a column of frame ${frame}${hint ? ` (did you mean ${hint}?)` : ''}; columns: ${known.join(', ')}`,
      );
    }
    out[target] = parseExpr(expr, p(`columns.${target}`), fail);
  }
  const missing = [
    ...frameDef.columns.filter((c) => c.required && !(c.name in out)).map((c) => c.name),
    ...(frameDef.oneOf ?? []).filter((g) => !g.some((c) => c in out)).map((g) => g.join(' or ')),
  ];
  if (missing.length) fail(p('columns'), `frame ${frame} needs a mapping for: ${missing.join(', ')}`);
  const nulls = parseNulls(doc['nulls'], p('nulls'), fail);
  const unknownProducts = doc['unknown_products'] ?? 'create';
  if (unknownProducts !== 'create' && unknownProducts !== 'quarantine') {
    fail(p('unknown_products'), 'must be create or quarantine');
  }
  return {
    frame: frame as FrameName,
    format,
    columns: out,
    unknownProducts: unknownProducts as 'create' | 'quarantine',
    allowDuplicateRows: doc['allow_duplicate_rows'] === true,
    ...(nulls ? { nulls } : {}),
  };
}

function parseNulls(
  v: Json,
  at: string,
  fail: (path: string, reason: string) => never,
): string[] | undefined {
  if (v === undefined) return undefined;
  // YAML reads a bare NA as the string "NA" but null/~ as null: both mean the text "null" here.
  const list = Array.isArray(v) ? v.map((x) => (x === null ? 'null' : x)) : undefined;
  if (!list || !list.every((x) => ['string', 'number'].includes(typeof x))) {
    return fail(at, 'must be a list of values that mean "no value", such as [NA, "N/A", "-"]');
  }
  return list.map(String);
}

function parseFormat(v: Json, at: string, fail: (path: string, reason: string) => never): SourceFormat {
  const obj = typeof v === 'string' ? { kind: v } : v;
  if (!isObject(obj) || !(FORMAT_KINDS as readonly Json[]).includes(obj['kind'])) {
    return fail(at, `must be one of ${FORMAT_KINDS.join(', ')} or { kind: csv, delimiter: ";" }`);
  }
  if (obj['kind'] === 'csv') {
    const delimiter = obj['delimiter'];
    if (delimiter !== undefined && (typeof delimiter !== 'string' || delimiter.length !== 1)) {
      return fail(`${at}.delimiter`, 'must be a single character');
    }
    const encoding = obj['encoding'];
    if (encoding !== undefined && !['utf-8', 'latin-1', 'utf-16'].includes(encoding as string)) {
      return fail(`${at}.encoding`, 'must be utf-8, latin-1 or utf-16');
    }
    const quote = obj['quote'];
    if (quote !== undefined && (typeof quote !== 'string' || quote.length !== 1)) {
      return fail(`${at}.quote`, 'must be a single character');
    }
    return {
      kind: 'csv',
      ...(typeof delimiter === 'string' ? { delimiter } : {}),
      ...(typeof quote === 'string' ? { quote } : {}),
      ...(typeof encoding === 'string' ? { encoding: encoding as 'utf-8' | 'latin-1' | 'utf-16' } : {}),
    };
  }
  return { kind: obj['kind'] as Exclude<SourceFormat['kind'], 'csv'> };
}

function parseExpr(v: Json, at: string, fail: (path: string, reason: string) => never): SourceExpr {
  if (typeof v === 'string' && v.length > 0) return v;
  if (!isObject(v))
    return fail(at, 'must be a source column name or an object with column, value, concat or object');
  if ('value' in v) {
    const value = v['value'];
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      return fail(`${at}.value`, 'must be a string, number, boolean or null');
    }
    return { value: value as string | number | boolean | null };
  }
  if ('concat' in v) {
    const parts = v['concat'];
    if (!Array.isArray(parts) || parts.length === 0 || !parts.every((x) => typeof x === 'string')) {
      return fail(`${at}.concat`, 'must be a list of source column names ($line for the line number)');
    }
    return {
      concat: parts as string[],
      separator: typeof v['separator'] === 'string' ? v['separator'] : '-',
    };
  }
  if ('object' in v) {
    const parts = v['object'];
    if (!Array.isArray(parts) || parts.length === 0 || !parts.every((x) => typeof x === 'string' && x)) {
      return fail(`${at}.object`, 'must be a list of source column names');
    }
    return { object: parts as string[] };
  }
  const column = v['column'];
  if (typeof column !== 'string' || !column) return fail(`${at}.column`, 'must name a source column');
  const format = v['format'];
  if (
    format !== undefined &&
    typeof format !== 'string' &&
    !(Array.isArray(format) && format.every((f) => typeof f === 'string'))
  ) {
    return fail(`${at}.format`, 'must be a strptime format such as "%d/%m/%Y" or a list of them');
  }
  const scale = v['scale'];
  if (scale !== undefined && (typeof scale !== 'number' || !Number.isFinite(scale))) {
    return fail(`${at}.scale`, 'must be a number');
  }
  let cases: ValueCase[] | undefined;
  if (v['cases'] !== undefined) {
    if (!Array.isArray(v['cases']))
      return fail(`${at}.cases`, 'must be a list of { prefix | equals, value }');
    cases = v['cases'].map((c: Json, i: number): ValueCase => {
      if (!isObject(c) || !('value' in c)) return fail(`${at}.cases[${i}]`, 'needs a value');
      const equals = c['equals'];
      return {
        value: c['value'] as ValueCase['value'],
        ...(typeof c['prefix'] === 'string' ? { prefix: c['prefix'] } : {}),
        ...(Array.isArray(equals) ? { equals: equals.map(String) } : {}),
      };
    });
  }
  const nulls = parseNulls(v['nulls'], `${at}.nulls`, fail);
  return {
    column,
    ...(nulls ? { nulls } : {}),
    ...(v['optional'] === true ? { optional: true } : {}),
    ...(format !== undefined ? { format: format as string | string[] } : {}),
    ...(scale !== undefined ? { scale: scale as number } : {}),
    ...(cases ? { cases } : {}),
    ...('else' in v ? { else: v['else'] as ValueCase['value'] } : {}),
  };
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
