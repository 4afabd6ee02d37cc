/**
 * A shortened learning check for SASRec code changes: trains `EPOCHS` epochs on the first USERS
 * users of Amazon Beauty (each history without its last item; 1,000 of them have their last
 * training item held out for validation) and prints the validation NDCG@10 every 2 epochs as JSON,
 * so two source trees (this checkout and `git archive <commit> src package.json | tar -x -C <dir>`
 * with node_modules linked) can be compared at the same seed.
 *
 *   npx tsx bench/sasrec-learning.ts . 6000 6 2
 *
 * Used for the learning check in docs/sasrec.md "Where the epoch time stands" (issue 16).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beautyPrefix } from './beauty-prefix.js';

const [rootArg = '.', usersArg = '6000', epochsArg = '6', threadsArg = '2'] = process.argv.slice(2);
const root = resolve(rootArg);
const seqs = beautyPrefix(Number(usersArg));
const { users } = seqs;
const { trainSasrec } = (await import(`${root}/src/ml/recommend/sasrec/train.ts`)) as {
  trainSasrec: (
    s: typeof seqs,
    p: Record<string, unknown>,
  ) => Promise<{ epochs: { epoch: number; loss: number; ndcg10?: number }[] }>;
};
const { SASREC_DEFAULTS } = (await import(`${root}/src/ml/recommend/sasrec/params.ts`)) as {
  SASREC_DEFAULTS: Record<string, unknown>;
};
const model = await trainSasrec(seqs, {
  ...SASREC_DEFAULTS,
  epochs: Number(epochsArg),
  patience: 100,
  validationUsers: 1000,
  threads: Number(threadsArg),
});
process.stdout.write(
  JSON.stringify({
    root,
    users,
    epochs: model.epochs.map((e) => ({
      epoch: e.epoch,
      loss: Number(e.loss.toFixed(4)),
      ...(e.ndcg10 !== undefined ? { ndcg10: Number(e.ndcg10.toFixed(4)) } : {}),
    })),
    load: readFileSync('/proc/loadavg', 'utf8').trim(),
  }) + '\n',
);
