/**
 * @module ml/pricing/category-prior-worker
 * Worker-thread entry for categoryPriorOffThread: fits every product of the panel it was started
 * with, posts the category prior back and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CategoryPriorJob } from './category-prior-off-thread.js';
import { categoryPrior } from './category-prior.js';

const job = workerData as CategoryPriorJob;
parentPort!.postMessage(categoryPrior(job.panel, job.options));
