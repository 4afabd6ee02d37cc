import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact, packArtifacts, unpackArtifacts } from './artifact.js';

describe('model artifacts', () => {
  it('round-trips meta and every array type exactly, at any alignment', () => {
    const a = {
      kind: 'test',
      version: 2,
      meta: { factors: 3, names: ['a', 'b'] },
      arrays: {
        f32: new Float32Array([1.5, -2.25, Math.PI]),
        f64: new Float64Array([Math.E, -0]),
        i32: new Int32Array([1, -7, 2 ** 31 - 1]),
        u8: new Uint8Array([1, 2, 3, 4, 5]),
      },
    };
    const bytes = encodeArtifact(a);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const back = decodeArtifact(shifted.subarray(3), 'test');
    expect(back.meta).toEqual(a.meta);
    expect(back.version).toBe(2);
    expect(Array.from(back.arrays['f32']!)).toEqual(Array.from(a.arrays.f32));
    expect(Array.from(back.arrays['f64']!)).toEqual([Math.E, -0]);
    expect(Array.from(back.arrays['i32']!)).toEqual([1, -7, 2 ** 31 - 1]);
    expect(Array.from(back.arrays['u8']!)).toEqual([1, 2, 3, 4, 5]);
    expect(back.arrays['f32']).toBeInstanceOf(Float32Array);
  });

  it('decodes from a Node Buffer view into a shared pool (what a database BLOB arrives as)', () => {
    const bytes = encodeArtifact({
      kind: 'k',
      version: 1,
      meta: {},
      arrays: { w: new Float64Array([2, -2]) },
    });
    const pooled = Buffer.concat([Buffer.from([9, 9, 9]), Buffer.from(bytes)]).subarray(3);
    expect(Array.from(decodeArtifact(pooled).arrays['w']!)).toEqual([2, -2]);
  });

  it('refuses bytes that are not an artifact, or the wrong kind', () => {
    expect(() => decodeArtifact(new Uint8Array(16))).toThrow(/bad magic/);
    const bytes = encodeArtifact({ kind: 'als', version: 1, meta: {}, arrays: {} });
    expect(() => decodeArtifact(bytes, 'gbdt')).toThrow(/'als' model, expected 'gbdt'/);
  });

  it('packs several artifacts into one and unpacks them intact', () => {
    const a = { kind: 'als', version: 1, meta: { k: 2 }, arrays: { items: new Float32Array([1, 2]) } };
    const b = { kind: 'popularity', version: 3, meta: {}, arrays: { scores: new Float32Array([5]) } };
    const packed = decodeArtifact(
      encodeArtifact(packArtifacts('bundle', 1, { model: 'als' }, { main: a, pop: b })),
    );
    expect(packed.meta['model']).toBe('als');
    const parts = unpackArtifacts(packed);
    expect(parts['main']!.kind).toBe('als');
    expect(parts['main']!.meta).toEqual({ k: 2 });
    expect(Array.from(parts['main']!.arrays['items']!)).toEqual([1, 2]);
    expect(parts['pop']!.version).toBe(3);
    expect(Array.from(parts['pop']!.arrays['scores']!)).toEqual([5]);
    expect(() => packArtifacts('x', 1, {}, { 'a.b': a })).toThrow(/must not contain/);
  });
});
