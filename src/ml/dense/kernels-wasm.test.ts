import { describe, expect, it } from 'vitest';
import { compileDenseKernels } from '../../../assembly/compile.js';
import { DENSE_KERNELS_WASM } from './kernels-wasm.js';

describe('kernels-wasm', () => {
  it('is the compiled assembly/dense-kernels.ts (run `npm run build:wasm` after editing it)', async () => {
    const wasm = await compileDenseKernels();
    expect(Buffer.from(wasm).toString('base64')).toBe(DENSE_KERNELS_WASM);
  }, 30_000);
});
