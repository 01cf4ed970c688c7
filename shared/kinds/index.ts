/**
 * The registry of resource kinds: every Connect type connect-vault backs up, described once.
 * The order is the restore order of DESIGN.md (dependencies first).
 */
import { queues, routingProfiles, securityProfiles, userHierarchyStructure, users } from './described.js';
import { flowModules, flows } from './flows.js';
import { agentStatuses, hoursOfOperation, prompts, quickConnects, userHierarchyGroups } from './simple.js';
import { KIND_NAMES, type KindName, type ResourceKind } from './types.js';

export type { DerivedObject, KindName, ReadContext, ResourceKind, StoredDocument } from './types.js';
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
