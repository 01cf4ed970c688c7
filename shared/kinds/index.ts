/**
 * The registry of resource kinds: every Connect type connect-vault backs up, described once.
 * The order is the restore order of DESIGN.md (dependencies first).
 */
import { queues, routingProfiles, securityProfiles, userHierarchyStructure, users } from './described.js';
import { flowModules, flows } from './flows.js';
import { RESTORE_SPECS } from './restore/index.js';
import type { KindRestore } from './restore/types.js';
import { agentStatuses, hoursOfOperation, prompts, quickConnects, userHierarchyGroups } from './simple.js';
import { KIND_NAMES, type KindName, type ResourceKind } from './types.js';

export type {
  ChangeDetection,
  DerivedObject,
  IncrementalItem,
  KindName,
  ReadContext,
  ResourceKind,
  StoredDocument,
} from './types.js';
export { KIND_NAMES } from './types.js';

const registry: Record<KindName, ResourceKind> = {
  'user-hierarchy-structure': userHierarchyStructure,
  'user-hierarchy-groups': userHierarchyGroups,
  'hours-of-operation': hoursOfOperation,
  prompts,
  'agent-statuses': agentStatuses,
  'security-profiles': securityProfiles,
  flows,
  'flow-modules': flowModules,
  queues,
  'routing-profiles': routingProfiles,
  users,
  'quick-connects': quickConnects,
};

// Each kind is its read part (above) joined to its restore part (restore/).
for (const name of KIND_NAMES) registry[name] = { ...registry[name], restore: RESTORE_SPECS[name] };

/** Every kind, in restore order. */
export const KINDS: readonly ResourceKind[] = KIND_NAMES.map((name) => registry[name]);

/** The kind of a name. */
export function kindNamed(name: KindName): ResourceKind {
  return registry[name];
}

/**
 * Parses a list of kind names (e.g. from `--kinds flows,users`).
 * @throws Error naming the unknown kinds and listing the known ones.
 */
export function parseKinds(names: readonly string[]): KindName[] {
  const unknown = names.filter((n) => !(KIND_NAMES as readonly string[]).includes(n));
  if (unknown.length) {
    throw new Error(`Unknown kind(s): ${unknown.join(', ')}. Known kinds: ${KIND_NAMES.join(', ')}`);
  }
  return [...new Set(names)] as KindName[];
}

/**
 * The restore part of a kind.
 * @throws Error when the kind has none (every kind of the registry has one).
 */
export function restoreOf(name: KindName): KindRestore {
  const restore = registry[name].restore;
  if (!restore) throw new Error(`kind ${name} has no restore part`);
  return restore;
}
