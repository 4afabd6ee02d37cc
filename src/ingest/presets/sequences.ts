/**
 * Purchase sequences, one user per line: `user item item ...` in time order (the layout of the
 * SASRec/ICLRec Amazon files such as Beauty.txt). Each item becomes a `purchase` event. The files
 * carry order, not time, so the n-th item of a line gets the timestamp 2000-01-01 00:00:00 plus n
 * seconds: orders within a user are kept, nothing else about time is claimed.
 */
import type { Preset } from '../mapping.js';

export const sequencesPreset: Preset = {
  name: 'sequences',
  description: 'one line per user: `user item item ...`, time-ordered, as purchase events',
  files: [
    {
      mapping: {
        frame: 'events',
        format: { kind: 'sequences' },
        allowDuplicateRows: true,
        unknownProducts: 'create',
        columns: {
          event_id: { concat: ['user', 'position'], separator: ':' },
          customer_id: 'user',
          product_id: 'item',
          type: { value: 'purchase' },
          occurred_at: { column: 'position', format: 'sequence' },
        },
      },
    },
  ],
};
