/**
 * @module ml/basket/mine-worker
 * Worker-thread entry for mineRulesOffThread (mine-off-thread.ts): FP-growth then rule generation
 * on the baskets it was started with; posts the rules back and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fpGrowth } from './fpgrowth.js';
import type { MineJob } from './mine-off-thread.js';
import { associationRules } from './rules.js';

const job = workerData as MineJob;
parentPort!.postMessage(associationRules(fpGrowth(job.baskets, job.itemsets), job.rules));
