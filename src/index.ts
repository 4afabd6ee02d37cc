/**
 * @module shopsight
 * The library's public face: open a warehouse, import a store, read its analytics.
 *
 * @example
 *   import { openWarehouse, importSource, getPreset, kpis } from 'shopsight';
 *   const wh = await openWarehouse('shop.duckdb');
 *   await importSource(wh, { target: 'online_retail.csv.gz', preset: getPreset('online-retail') });
 *   (await kpis(wh)).orders; // 22064 sales orders (plus 3836 cancellations)
 */
export * from './schema/tables.js';
export { FRAMES, type FrameName } from './ingest/frames.js';
export type { Mapping, Preset, SourceExpr, SourceFormat } from './ingest/mapping.js';
export { PRESETS, PRESET_NAMES, getPreset } from './ingest/presets/index.js';
export { parseMapping, readMappingFile } from './ingest/parse-mapping.js';
export { ImportError } from './ingest/errors.js';
export { expandKey, hmacPseudonym, pseudonymKeyFromEnv, PSEUDONYM_KEY_ENV } from './ingest/pseudonymise.js';
export type { ImportSummary, FileImportSummary } from './ingest/summary.js';
export type { Warehouse, Row, SqlValue } from './warehouse/warehouse.js';
export { openWarehouse, resolveDbLocation, DEFAULT_DB } from './warehouse/open.js';
export { importSource, type ImportOptions } from './warehouse/import/import-source.js';
export { warehouseStatus, listQuarantine } from './warehouse/inspect.js';
export { updateOrderStatus, type StatusChange } from './warehouse/order-status.js';
export * from './warehouse/analytics/index.js';
export { generateStore, type GenerateOptions, type GenerateSummary } from './generate/index.js';
export type { ColumnKind, Columns } from './warehouse/warehouse.js';
export { MODEL_STATUSES, type ModelRecord, type ModelStatus } from './schema/models.js';
export { encodeArtifact, decodeArtifact, type ModelArtifact } from './ml/artifact.js';
export { saveModel, loadModel, listModels, promoteModel, rollbackModel } from './registry/registry.js';
export * from './ml/gbdt/index.js';
export {
  trainLogistic,
  predictLogistic,
  type LogisticModel,
  type TrainLogisticInput,
} from './ml/linear/logistic.js';
export {
  rocAuc,
  prAuc,
  brier,
  liftAtTop,
  calibrationTable,
  type CalibrationBin,
} from './ml/metrics/classification.js';
export { customerFeatures, type FeatureMatrix } from './features/customer-features.js';
export { CUSTOMER_FEATURES, type CustomerFeatureDef } from './features/customer-feature-defs.js';
export {
  trainCustomerModels,
  type CustomerEvaluation,
  type TrainedCustomerModels,
} from './tasks/customers/train.js';
export { predictCustomers, type CustomerModels } from './tasks/customers/predict.js';
export { NotEnoughDataError } from './tasks/customers/eligibility.js';
export { RISK_BANDS, SPEND_TIERS, MIN_CUSTOMERS } from './tasks/customers/params.js';
export type { CustomerPrediction } from './schema/predictions.js';
export { readCustomerPredictions, replaceCustomerPredictions } from './warehouse/predictions-store.js';
export * from './ml/clv/bg-nbd.js';
export * from './ml/clv/pareto-nbd.js';
export * from './ml/clv/gamma-gamma.js';
export * from './ml/clv/lifetime-value.js';
export type * from './ml/clv/types.js';
export { ClvInputError, MIN_REPEAT_CUSTOMERS, type SummaryColumn } from './ml/clv/validate.js';
export { type Baskets, basketsFromLists, basketsFromNames, minCountFor } from './ml/basket/baskets.js';
export { fpGrowth, type FpGrowthOptions, type FrequentItemsets } from './ml/basket/fpgrowth.js';
export {
  associationRules,
  ruleAt,
  formatRule,
  type AssociationRules,
  type Rule as AssociationRule,
  type RuleOptions,
} from './ml/basket/rules.js';
export { CoOccurrence } from './ml/basket/co-occurrence.js';
export { tokenise, STOP_WORDS } from './ml/text/tokenise.js';
export { fitTfIdf, transformTfIdf, type TfIdf, type TfIdfOptions } from './ml/text/tfidf.js';
export { segmentWords, spacedWords, wordNgrams, type SegmentOptions } from './ml/text/segment.js';
export { charNgrams, type CharNgramOptions } from './ml/text/char-ngrams.js';
export * from './ml/text/text-vectoriser.js';
export * from './ml/linear/sparse-logistic.js';
export { CosineNeighbours } from './ml/text/cosine-neighbours.js';
export { contentScorer, loadContentScorer } from './ml/text/content-scorer.js';
export { loadBaskets, type BasketData, type BasketOptions } from './features/baskets.js';
export { loadProductText, productDocument, type ProductText } from './features/product-text.js';
export {
  BoughtTogether,
  type BoughtTogetherOptions,
  type RelatedProduct,
} from './tasks/recommend/bought-together.js';
export { ContentSimilar, type ContentOptions, type SimilarProduct } from './tasks/recommend/content.js';
export { LlmClient, type UsageTotals } from './assistant/llm/client.js';
export { readLlmConfig, type LlmConfig } from './assistant/llm/config.js';
export { chatWithTools, type Tool, type ToolLoopResult } from './assistant/llm/tool-loop.js';
export {
  LlmError,
  type ChatMessage,
  type ChatReply,
  type ChatRequest,
  type ToolSpec,
} from './assistant/llm/messages.js';
export { askData, AskError, type AskAnswer, type AskOptions } from './assistant/ask/ask.js';
export {
  detectPii,
  maskPii,
  redactPii,
  PII_KINDS,
  type PiiKind,
  type PiiSpan,
  type PiiOptions,
} from './ml/text/pii.js';
export { isChineseResidentId, luhnValid } from './ml/text/check-digits.js';
