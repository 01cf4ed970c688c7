/**
 * Behaviours a real account may show that the API Reference does not promise either way, switchable
 * so tests can prove the product copes (`startConnectEmulator({ quirks })`, `--quirk <name>`):
 *
 * - `search-omits-content`: SearchContactFlows and SearchContactFlowModules return flows and modules
 *   without `Content` (the model marks no member as always returned).
 * - `search-omits-drafts`: SearchContactFlows (and SearchContactFlowModules) with `StatusCondition:
 *   SAVED` return only what was never published, not the saved drafts of published ones
 *   (connect-api-facts.md §11.3 leaves open how the service exposes drafts).
 * - `describe-omits-content`: DescribeContactFlow and DescribeContactFlowModule answer without
 *   `Content`. No reading of the docs expects it; it lets tests prove a backup fails loudly rather
 *   than store a flow it could not restore.
 * - `search-lags-deletes`: Search keeps listing flows and modules after they are deleted (the Search
 *   index is eventually consistent), while Describe answers ResourceNotFoundException.
 */

export const QUIRKS = [
  'search-omits-content',
  'search-omits-drafts',
  'describe-omits-content',
  'search-lags-deletes',
] as const;

export type Quirk = (typeof QUIRKS)[number];
