/**
 * Kinds that one paginated Search call reads in full (the Search item has the same shape as the
 * Describe entity: connect-api-facts.md §5): prompts (metadata), hours of operation, quick connects,
 * agent statuses and user hierarchy groups. One Search call per 100 resources, no Describe.
 */
import {
  type AgentStatus,
  type HierarchyGroup,
  type HoursOfOperation,
  type Prompt,
  paginateSearchAgentStatuses,
  paginateSearchHoursOfOperations,
  paginateSearchPrompts,
  paginateSearchQuickConnects,
  paginateSearchUserHierarchyGroups,
  type QuickConnect,
} from '@aws-sdk/client-connect';
import { documentOf, itemsOf } from './read.js';
import type { KindName, ReadContext, ResourceKind, StoredDocument } from './types.js';

const PAGE = 100;

function searchKind<E extends object>(options: {
  name: KindName;
  label: string;
  operation: string;
  search: (ctx: ReadContext) => AsyncIterable<E>;
  identity: (entity: E) => { id: string | undefined; arn: string | undefined; name: string | undefined };
  keep?: (entity: E) => boolean;
}): ResourceKind {
  return {
    name: options.name,
    label: options.label,
    readOperations: [options.operation],
    async *read(ctx: ReadContext): AsyncIterable<StoredDocument> {
      for await (const entity of options.search(ctx)) {
        if (options.keep && !options.keep(entity)) continue;
        yield documentOf(options.name, entity, options.identity(entity));
      }
    },
  };
}

const config = (ctx: ReadContext) => ({ client: ctx.connect, pageSize: PAGE });
const request = (ctx: ReadContext) => ({ InstanceId: ctx.instanceId, MaxResults: PAGE });

export const prompts = searchKind<Prompt>({
  name: 'prompts',
  label: 'prompt',
  operation: 'SearchPrompts',
  search: (ctx) => itemsOf(paginateSearchPrompts(config(ctx), request(ctx)), (p) => p.Prompts),
  identity: (e) => ({ id: e.PromptId, arn: e.PromptARN, name: e.Name }),
});

export const hoursOfOperation = searchKind<HoursOfOperation>({
  name: 'hours-of-operation',
  label: 'hours of operation',
  operation: 'SearchHoursOfOperations',
  search: (ctx) =>
    itemsOf(paginateSearchHoursOfOperations(config(ctx), request(ctx)), (p) => p.HoursOfOperations),
  identity: (e) => ({ id: e.HoursOfOperationId, arn: e.HoursOfOperationArn, name: e.Name }),
});

export const quickConnects = searchKind<QuickConnect>({
  name: 'quick-connects',
  label: 'quick connect',
  operation: 'SearchQuickConnects',
  search: (ctx) => itemsOf(paginateSearchQuickConnects(config(ctx), request(ctx)), (p) => p.QuickConnects),
  identity: (e) => ({ id: e.QuickConnectId, arn: e.QuickConnectARN, name: e.Name }),
});

export const agentStatuses = searchKind<AgentStatus>({
  name: 'agent-statuses',
  label: 'agent status',
  operation: 'SearchAgentStatuses',
  search: (ctx) => itemsOf(paginateSearchAgentStatuses(config(ctx), request(ctx)), (p) => p.AgentStatuses),
  identity: (e) => ({ id: e.AgentStatusId, arn: e.AgentStatusARN, name: e.Name }),
});

export const userHierarchyGroups = searchKind<HierarchyGroup>({
  name: 'user-hierarchy-groups',
  label: 'user hierarchy group',
  operation: 'SearchUserHierarchyGroups',
  search: (ctx) =>
    itemsOf(paginateSearchUserHierarchyGroups(config(ctx), request(ctx)), (p) => p.UserHierarchyGroups),
  identity: (e) => ({ id: e.Id, arn: e.Arn, name: e.Name }),
  // Search also returns the hidden root group (LevelId "0"), which no API can create.
  keep: (e) => e.LevelId !== '0',
});
