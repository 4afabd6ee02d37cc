/**
 * @module ml/recommend/sasrec/fit-cache
 * One SASRec fit per (sequences object, hyper-parameters, seed). Training is deterministic for
 * those, so when the registry evaluates both `sasrec` and `sasrec+transition` on the same training
 * data the blend reuses the fit instead of repeating minutes of identical work. Entries are keyed
 * weakly by the Sequences object and disappear with it.
 */
import type { Sequences } from '../types.js';
import type { SasrecParams } from './params.js';
import { trainSasrec, type SasrecModel } from './train.js';

const fits = new WeakMap<Sequences, Map<string, Promise<SasrecModel>>>();

export function fitSasrec(seqs: Sequences, p: SasrecParams): Promise<SasrecModel> {
  let byParams = fits.get(seqs);
  if (!byParams) {
    byParams = new Map();
    fits.set(seqs, byParams);
  }
  const key = JSON.stringify(p);
  let fit = byParams.get(key);
  if (!fit) {
    fit = trainSasrec(seqs, p);
    byParams.set(key, fit);
    fit.catch(() => byParams.delete(key)); // a failed fit is not remembered
  }
  return fit;
}
