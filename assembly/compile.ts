/** Compiles the dense kernels in memory (no files written): used by the build script and its test. */
import asc from 'assemblyscript/asc';
import { fileURLToPath } from 'node:url';

export const ASC_FLAGS = ['-O3', '--runtime', 'stub', '--enable', 'simd', '--noAssert'];

export async function compileDenseKernels(): Promise<Uint8Array> {
  const source = fileURLToPath(new URL('./dense-kernels.ts', import.meta.url));
  let wasm: Uint8Array | undefined;
  const { error, stderr } = await asc.main([source, ...ASC_FLAGS, '--outFile', 'kernels.wasm'], {
    writeFile(name: string, contents: Uint8Array | string) {
      if (name.endsWith('.wasm') && typeof contents !== 'string') wasm = contents;
    },
  });
  if (error || !wasm) throw new Error(`AssemblyScript failed: ${error?.message ?? ''}\n${stderr.toString()}`);
  return wasm;
}
