import { describe, expect, it } from 'vitest';
import { compileDenseKernels } from '../../../assembly/compile.js';
import { DENSE_KERNELS_WASM } from './kernels-wasm.js';

/** Ids of the top-level sections of a wasm binary (LEB128 sizes). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let i = 8;
  while (i < bytes.length) {
    ids.push(bytes[i++]!);
    let len = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[i++]!;
      len += (b & 127) * 2 ** shift;
      shift += 7;
    } while (b & 128);
    i += len;
  }
  return ids;
}

describe('kernels-wasm', () => {
  it('is the compiled assembly/dense-kernels.ts (run `npm run build:wasm` after editing it)', async () => {
    const wasm = await compileDenseKernels();
    expect(Buffer.from(wasm).toString('base64')).toBe(DENSE_KERNELS_WASM);
  }, 30_000);

  it('has no data segment: DenseWorkspace hands out linear memory from address 0', () => {
    // A library call such as AssemblyScript's Math.log brings lookup tables that would sit under
    // the workspace's matrices and be overwritten by them (section 11 is the data section).
    expect(sectionIds(Buffer.from(DENSE_KERNELS_WASM, 'base64'))).not.toContain(11);
  });
});
