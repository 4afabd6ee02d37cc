/**
 * @module cli/commands/risk-options
 * Options the risk commands share.
 */
import { InvalidArgumentError, Option } from 'commander';

export const reviewRateOption = (): Option =>
  new Option('--review-rate <share>', 'share of orders to hold for review, e.g. 0.02 for the riskiest 2%')
    .default(0.02)
    .argParser((v) => {
      const n = Number(v);
      if (!(n > 0 && n < 1))
        throw new InvalidArgumentError(`review rate must be a share in (0, 1), got '${v}'`);
      return n;
    });

export const labelsOption = (): Option =>
  new Option(
    '--labels <file|column>',
    "known fraud: a CSV of order_id and a 0/1 column (label, is_fraud, fraud or class), or the word 'column' for the store's orders.fraud_label",
  );
