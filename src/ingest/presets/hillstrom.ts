/**
 * Kevin Hillstrom's MineThatData e-mail test (2008): one row per customer with their features
 * before the campaign (recency, history_segment, history, mens, womens, zip_code, newbie, channel),
 * the randomly assigned segment (`Mens E-Mail`, `Womens E-Mail`, `No E-Mail`) and two weeks of
 * outcomes (visit, conversion, spend). Imported as the contacts of campaign `hillstrom`: variants
 * keep the segment names, `No E-Mail` is the control. The file has no customer id and no send date,
 * so the customer id is the line number in the file and sent_at stays null; the outcomes are the
 * file's own (the store's orders know nothing of these customers).
 */
import type { Preset } from '../mapping.js';

export const HILLSTROM_CAMPAIGN = 'hillstrom';
export const HILLSTROM_CONTROL = 'No E-Mail';
/** The features the uplift protocol uses (issue 11), and how each is read. */
export const HILLSTROM_NUMERIC_FEATURES = ['recency', 'history', 'mens', 'womens', 'newbie'] as const;
export const HILLSTROM_CATEGORICAL_FEATURES = ['zip_code', 'channel'] as const;

export const hillstromPreset: Preset = {
  name: 'hillstrom',
  description: `MineThatData e-mail test (hillstrom.csv): contacts of campaign '${HILLSTROM_CAMPAIGN}', control '${HILLSTROM_CONTROL}'`,
  files: [
    {
      mapping: {
        frame: 'campaign_contacts',
        format: { kind: 'csv' },
        // 5,021 lines repeat an earlier line exactly: different customers with the same features,
        // segment and outcomes (the file has no id), so every line is kept.
        allowDuplicateRows: true,
        columns: {
          campaign_id: { value: HILLSTROM_CAMPAIGN },
          customer_id: { concat: ['$line'], separator: '' },
          variant: 'segment',
          is_control: {
            column: 'segment',
            cases: [{ equals: [HILLSTROM_CONTROL], value: true }],
            else: false,
          },
          features: {
            object: [
              'recency',
              'history_segment',
              'history',
              'mens',
              'womens',
              'zip_code',
              'newbie',
              'channel',
            ],
          },
          visited: 'visit',
          converted: 'conversion',
          revenue: 'spend',
        },
      },
    },
  ],
};
