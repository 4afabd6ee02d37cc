/**
 * Shopsight's own layout: a folder of CSV files named after the canonical tables
 * (customers.csv, products.csv, orders.csv, order_items.csv, events.csv, reviews.csv,
 * knowledge.csv, campaigns.csv, campaign_contacts.csv; .gz allowed) whose headers are the canonical column names. The synthetic store
 * generator writes it, and it is the simplest target for a shop's own export scripts.
 */
import { DATA_TABLES } from '../../schema/tables.js';
import { FRAMES, type FrameName } from '../frames.js';
import type { Preset, PresetFile } from '../mapping.js';

// One file per data table, named after it.
const CANONICAL_FILES = DATA_TABLES as readonly FrameName[];

export const shopsightPreset: Preset = {
  name: 'shopsight',
  description: 'a folder of canonical CSVs named after the tables (customers.csv, orders.csv, ...)',
  files: CANONICAL_FILES.map((frame): PresetFile => ({
    match: new RegExp(`^${frame}\\.(csv|tsv|txt)$`, 'i'),
    mapping: {
      frame,
      format: { kind: 'csv' },
      // Catalogue-first layout: a line naming a product the catalogue lacks is an error in the export.
      unknownProducts: 'quarantine',
      // Required columns must be there; any other canonical column is read when present.
      columns: Object.fromEntries(
        FRAMES[frame].columns.map((c) => [c.name, c.required ? c.name : { column: c.name, optional: true }]),
      ),
    },
  })),
};
