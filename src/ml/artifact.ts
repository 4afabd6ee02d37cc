/**
 * @module ml/artifact
 * How a trained model is saved: a small JSON part (kind, hyper-parameters, sizes) plus named typed
 * arrays, packed into one byte buffer the registry stores as a BLOB. Arrays are copied byte for byte
 * (no JSON of floats), so a 22k x 64 factor table round-trips exactly and loads in milliseconds.
 */

export type ArtifactArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

export interface ModelArtifact {
  /** Which model this is, e.g. 'als', 'gbdt'; the loader checks it. */
  readonly kind: string;
  /** Artifact format version of that kind, bumped when its layout changes. */
  readonly version: number;
  /** Hyper-parameters and small metadata; must be JSON-serialisable. */
  readonly meta: Record<string, unknown>;
  readonly arrays: Record<string, ArtifactArray>;
}

const TYPES = { Float32Array, Float64Array, Int32Array, Uint8Array, Uint16Array, Uint32Array } as const;
type TypeName = keyof typeof TYPES;
const MAGIC = 0x53534d31; // "SSM1"

interface Header {
  kind: string;
  version: number;
  meta: Record<string, unknown>;
  arrays: { name: string; type: TypeName; offset: number; length: number }[];
}

/** Packs an artifact: [magic u32][header length u32][header JSON][pad to 8][array bytes, each 8-aligned]. */
export function encodeArtifact(a: ModelArtifact): Uint8Array {
  const entries: Header['arrays'] = [];
  let offset = 0;
  for (const [name, arr] of Object.entries(a.arrays)) {
    const type = arr.constructor.name as TypeName;
    if (!(type in TYPES)) throw new Error(`artifact array ${name}: unsupported type ${type}`);
    entries.push({ name, type, offset, length: arr.length });
    offset += Math.ceil(arr.byteLength / 8) * 8;
  }
  const header = new TextEncoder().encode(
    JSON.stringify({ kind: a.kind, version: a.version, meta: a.meta, arrays: entries } satisfies Header),
  );
  const start = Math.ceil((8 + header.length) / 8) * 8;
  const out = new Uint8Array(start + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  for (const e of entries) {
    const arr = a.arrays[e.name]!;
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), start + e.offset);
  }
  return out;
}

export function decodeArtifact(bytes: Uint8Array, expectKind?: string): ModelArtifact {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) {
    throw new Error('not a Shopsight model artifact (bad magic number)');
  }
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Header;
  if (expectKind !== undefined && header.kind !== expectKind) {
    throw new Error(`model artifact is a '${header.kind}' model, expected '${expectKind}'`);
  }
  const start = Math.ceil((8 + headerLength) / 8) * 8;
  const arrays: Record<string, ArtifactArray> = {};
  for (const e of header.arrays) {
    const Ctor = TYPES[e.type];
    const byteLength = e.length * Ctor.BYTES_PER_ELEMENT;
    // Copy into a fresh, aligned buffer: the source may be a BLOB view at any offset. Not
    // `bytes.slice`: on a Node Buffer (what DuckDB returns) that is a view, not a copy.
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(start + e.offset, start + e.offset + byteLength));
    arrays[e.name] = new Ctor(copy.buffer, 0, e.length);
  }
  return { kind: header.kind, version: header.version, meta: header.meta, arrays };
}

/**
 * Several artifacts as one (a deployable bundle: main model + neighbours + fallbacks): each part's
 * arrays are stored as `<part>.<array>` and its kind/version/meta under meta.parts.
 */
export function packArtifacts(
  kind: string,
  version: number,
  meta: Record<string, unknown>,
  parts: Record<string, ModelArtifact>,
): ModelArtifact {
  const arrays: Record<string, ArtifactArray> = {};
  const partMeta: Record<string, { kind: string; version: number; meta: Record<string, unknown> }> = {};
  for (const [name, part] of Object.entries(parts)) {
    if (name.includes('.')) throw new Error(`artifact part name '${name}' must not contain '.'`);
    partMeta[name] = { kind: part.kind, version: part.version, meta: part.meta };
    for (const [key, arr] of Object.entries(part.arrays)) arrays[`${name}.${key}`] = arr;
  }
  return { kind, version, meta: { ...meta, parts: partMeta }, arrays };
}

/** The parts `packArtifacts` stored, by name. */
export function unpackArtifacts(a: ModelArtifact): Record<string, ModelArtifact> {
  const parts = a.meta['parts'] as
    Record<string, { kind: string; version: number; meta: Record<string, unknown> }> | undefined;
  if (!parts) throw new Error(`artifact '${a.kind}' holds no parts`);
  const out: Record<string, ModelArtifact> = {};
  for (const [name, p] of Object.entries(parts)) {
    const arrays: Record<string, ArtifactArray> = {};
    const prefix = `${name}.`;
    for (const [key, arr] of Object.entries(a.arrays)) {
      if (key.startsWith(prefix)) arrays[key.slice(prefix.length)] = arr;
    }
    out[name] = { kind: p.kind, version: p.version, meta: p.meta, arrays };
  }
  return out;
}
