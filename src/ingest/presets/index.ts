/**
 * @module ingest/presets
 * The preset table: name -> how to read that layout. `generic` has no built-in mapping: it takes
 * the user's mapping file (see parse-mapping.ts). Adding a preset = one file here + one entry below.
 */
import type { Preset } from '../mapping.js';
import { readMappingFile } from '../parse-mapping.js';
import { bitextPreset } from './bitext.js';
import { cdnowPreset } from './cdnow.js';
import { faqPreset } from './faq.js';
import { hillstromPreset } from './hillstrom.js';
import { onlineRetailPreset } from './online-retail.js';
import { amazonReviewsPreset, labelledReviewsPreset } from './reviews.js';
import { sequencesPreset } from './sequences.js';
import { shopsightPreset } from './shopsight.js';

export const PRESETS: Readonly<Record<string, Preset>> = Object.freeze({
  [onlineRetailPreset.name]: onlineRetailPreset,
  [cdnowPreset.name]: cdnowPreset,
  [sequencesPreset.name]: sequencesPreset,
  [shopsightPreset.name]: shopsightPreset,
  [amazonReviewsPreset.name]: amazonReviewsPreset,
  [labelledReviewsPreset.name]: labelledReviewsPreset,
  [bitextPreset.name]: bitextPreset,
  [faqPreset.name]: faqPreset,
  [hillstromPreset.name]: hillstromPreset,
});

export const PRESET_NAMES = [...Object.keys(PRESETS), 'generic'] as const;

export function getPreset(name: string): Preset {
  const preset = PRESETS[name];
  if (!preset) {
    throw new Error(
      `unknown preset '${name}': choose one of ${PRESET_NAMES.join(', ')} ` +
        `(generic needs --mapping FILE)`,
    );
  }
  return preset;
}

/**
 * The preset an import reads with: a named layout, or `generic` with the user's mapping file. The
 * names are what both surfaces call them (CLI `--preset`/`--mapping`, API `preset`/`mapping`).
 */
export function presetFor(name: string, mappingFile?: string): Preset {
  if (name === 'generic') {
    if (!mappingFile) throw new Error('preset generic needs a mapping file (--mapping FILE)');
    return readMappingFile(mappingFile);
  }
  if (mappingFile) throw new Error('a mapping file goes with preset generic only');
  return getPreset(name);
}
