/**
 * @module tasks/recommend/forget-users
 * A recommendation bundle without some users (privacy forget): their id, their history (items,
 * weights, times) and the main model's per-user rows (ALS and BPR user factors and trained lengths)
 * are cut out and the other users' indices closed up, so the bundle answers them as before and the
 * forgotten users as unknown visitors. Item-level parts (neighbours, popularity, transitions,
 * SASRec weights) hold no person; they were learnt with the users, which is why the registry marks
 * the model for replacement by the next training.
 *
 * @example
 *   const next = bundleWithoutUsers(artifact, new Set(['c42'])); // null: c42 is not in it
 */
import { packArtifacts, unpackArtifacts, type ArtifactArray, type ModelArtifact } from '../../ml/artifact.js';
import { BUNDLE_KIND } from './bundle.js';

/**
 * Arrays of a main model with one row per user, by artifact kind. A main part of another kind that
 * declares `meta.users` is refused rather than passed through with its users' rows in it.
 */
export const PER_USER_ARRAYS: Readonly<Record<string, readonly string[]>> = {
  als: ['userFactors', 'trainedLength'],
  bpr: ['userFactors', 'trainedLength'],
};

function withoutRows<A extends ArtifactArray>(arr: A, rows: number, drop: ReadonlySet<number>): A {
  const width = arr.length / rows;
  if (!Number.isInteger(width)) throw new Error(`array of ${arr.length} is not ${rows} rows`);
  const Ctor = arr.constructor as new (n: number) => A;
  const out = new Ctor((rows - drop.size) * width);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    if (drop.has(r)) continue;
    out.set(arr.subarray(r * width, (r + 1) * width), at);
    at += width;
  }
  return out;
}

function historyWithout(h: ModelArtifact, drop: ReadonlySet<number>): ModelArtifact {
  const offsets = h.arrays['offsets'] as Int32Array;
  const users = offsets.length - 1;
  const keep: number[] = [];
  for (let u = 0; u < users; u++) if (!drop.has(u)) keep.push(u);
  const nextOffsets = new Int32Array(keep.length + 1);
  for (let i = 0; i < keep.length; i++) {
    const u = keep[i]!;
    nextOffsets[i + 1] = nextOffsets[i]! + (offsets[u + 1]! - offsets[u]!);
  }
  const arrays: Record<string, ArtifactArray> = { ...h.arrays, offsets: nextOffsets };
  for (const name of ['itemIds', 'weights', 'times']) {
    const arr = h.arrays[name];
    if (!arr) continue;
    const Ctor = arr.constructor as new (n: number) => ArtifactArray;
    const out = new Ctor(nextOffsets[keep.length]!);
    for (let i = 0; i < keep.length; i++) {
      const u = keep[i]!;
      out.set(arr.subarray(offsets[u]!, offsets[u + 1]!), nextOffsets[i]!);
    }
    arrays[name] = out;
  }
  return { ...h, meta: { ...h.meta, users: keep.length }, arrays };
}

function mainWithout(main: ModelArtifact, users: number, drop: ReadonlySet<number>): ModelArtifact {
  const perUser = PER_USER_ARRAYS[main.kind];
  if (!perUser) {
    if ('users' in main.meta) {
      throw new Error(
        `recommend model '${main.kind}' keeps per-user data of a layout forget does not know: ` +
          `add its per-user arrays to PER_USER_ARRAYS (tasks/recommend/forget-users.ts)`,
      );
    }
    return main;
  }
  const arrays = { ...main.arrays };
  for (const name of perUser) {
    const arr = main.arrays[name];
    if (arr) arrays[name] = withoutRows(arr, users, drop);
  }
  return { ...main, meta: { ...main.meta, users: users - drop.size }, arrays };
}

/** The bundle without the given users, or null when it holds none of them. */
export function bundleWithoutUsers(a: ModelArtifact, forget: ReadonlySet<string>): ModelArtifact | null {
  if (a.kind !== BUNDLE_KIND) throw new Error(`expected a ${BUNDLE_KIND} artifact, got '${a.kind}'`);
  const userIds = a.meta['userIds'] as string[];
  const drop = new Set<number>();
  userIds.forEach((u, i) => {
    if (forget.has(u)) drop.add(i);
  });
  if (drop.size === 0) return null;
  const parts = unpackArtifacts(a);
  const next: Record<string, ModelArtifact> = {};
  for (const [name, part] of Object.entries(parts)) {
    if (name === 'history') next[name] = historyWithout(part, drop);
    else next[name] = mainWithout(part, userIds.length, drop);
  }
  const { parts: _parts, ...meta } = a.meta;
  return packArtifacts(a.kind, a.version, { ...meta, userIds: userIds.filter((_, i) => !drop.has(i)) }, next);
}
