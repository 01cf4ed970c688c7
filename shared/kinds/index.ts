/**
 * The registry of resource kinds: every Connect type connect-vault backs up, described once, each in
 * its own module (read, change signal, derived objects, restore state, references, create and
 * update). The registry is a plain list of those modules, in the restore order of DESIGN.md
 * (dependencies first), and {@link KindName} is derived from their names. Adding a type is one file
 * and one line here.
 */
import { agentStatuses } from './agent-statuses.js';
import { emailAddresses } from './email-addresses.js';
import { evaluationForms } from './evaluation-forms.js';
import { flowModules } from './flow-modules.js';
import { flows } from './flows.js';
import { hoursOfOperation } from './hours-of-operation.js';
import { phoneNumbers } from './phone-numbers.js';
import { predefinedAttributes } from './predefined-attributes.js';
import { prompts } from './prompts.js';
import { queues } from './queues.js';
import { quickConnects } from './quick-connects.js';
import { routingProfiles } from './routing-profiles.js';
import { rules } from './rules.js';
import { securityProfiles } from './security-profiles.js';
import { taskTemplates } from './task-templates.js';
import type { KindRestore, ResourceKind } from './types.js';
import { userHierarchyGroups } from './user-hierarchy-groups.js';
import { userHierarchyStructure } from './user-hierarchy-structure.js';
import { users } from './users.js';
import { views } from './views.js';
import { vocabularies } from './vocabularies.js';

export type {
  ChangeDetection,
  CreateCheckContext,
  DeclaredReference,
  DerivedObject,
  DerivedObjectSummary,
  ExternalReferenceKind,
  IncrementalItem,
  KindRemoval,
  KindRestore,
  MatchContext,
  ReadContext,
  ResourceKind,
  ResourceState,
  RestorePhase,
  StoredDocument,
  TargetMatch,
  TargetResource,
  UpdateCheckContext,
  WriteContext,
} from './types.js';
export { RESTORE_PHASES } from './types.js';

/** The kinds' modules, in restore order. */
const REGISTRY = [
  userHierarchyStructure,
  userHierarchyGroups,
  hoursOfOperation,
  prompts,
  agentStatuses,
  securityProfiles,
  flows,
  flowModules,
  // E-mail addresses: before queues, which send from them.
  emailAddresses,
  queues,
  routingProfiles,
  predefinedAttributes,
  users,
  // Evaluation forms: after users (review recipients), before rules (which reference forms by id).
  evaluationForms,
  // Vocabularies: no references; their build is waited for in the content phase.
  vocabularies,
  quickConnects,
  // Task templates: after flows (ContactFlowId) and quick connects (QUICK_CONNECT fields' defaults).
  taskTemplates,
  // Views: customer-managed only; flows name them in their content (written last).
  views,
  // Rules: after the flows, users, evaluation forms and task templates their actions name.
  rules,
  phoneNumbers,
] as const;

/** The kinds a snapshot holds, named after Connect's own resource types. */
export type KindName = (typeof REGISTRY)[number]['name'];

/** Every kind, in restore order. */
export const KINDS: readonly ResourceKind[] = REGISTRY;

/** The kinds' names, in restore order. */
export const KIND_NAMES: readonly KindName[] = REGISTRY.map((kind) => kind.name);

const byName = Object.fromEntries(KINDS.map((kind) => [kind.name, kind])) as Record<KindName, ResourceKind>;

/** The kind of a name. */
export function kindNamed(name: KindName): ResourceKind {
  return byName[name];
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
  const restore = byName[name].restore;
  if (!restore) throw new Error(`kind ${name} has no restore part`);
  return restore;
}
