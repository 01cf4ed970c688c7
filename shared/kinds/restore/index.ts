/** The restore part of every kind, by kind name; `../index.ts` joins them to the kinds' read part. */
import type { KindName } from '../types.js';
import { queuesRestore, routingProfilesRestore, securityProfilesRestore, usersRestore } from './described.js';
import { flowModulesRestore, flowsRestore } from './flows.js';
import { userHierarchyGroupsRestore, userHierarchyStructureRestore } from './hierarchy.js';
import {
  agentStatusesRestore,
  hoursOfOperationRestore,
  promptsRestore,
  quickConnectsRestore,
} from './simple.js';
import type { KindRestore } from './types.js';

export type {
  CreateCheckContext,
  DeclaredReference,
  ExternalReferenceKind,
  KindRestore,
  ResourceState,
  RestorePhase,
  TargetResource,
  WriteContext,
} from './types.js';
export { RESTORE_PHASES } from './types.js';

export const RESTORE_SPECS: Readonly<Record<KindName, KindRestore>> = {
  'user-hierarchy-structure': userHierarchyStructureRestore,
  'user-hierarchy-groups': userHierarchyGroupsRestore,
  'hours-of-operation': hoursOfOperationRestore,
  prompts: promptsRestore,
  'agent-statuses': agentStatusesRestore,
  'security-profiles': securityProfilesRestore,
  flows: flowsRestore,
  'flow-modules': flowModulesRestore,
  queues: queuesRestore,
  'routing-profiles': routingProfilesRestore,
  users: usersRestore,
  'quick-connects': quickConnectsRestore,
};
