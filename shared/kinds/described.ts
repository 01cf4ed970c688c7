/**
 * Kinds whose Search result is not the full object (connect-api-facts.md §5), read with List, then
 * Describe per item plus the extra list calls that hold the rest:
 * - users: DescribeUser (Search drops e-mail, secondary e-mail and mobile);
 * - routing profiles: DescribeRoutingProfile + ListRoutingProfileQueues (priority and delay);
 * - security profiles: DescribeSecurityProfile + ListSecurityProfilePermissions;
 * - queues: lossless Search, plus ListQueueQuickConnects per queue.
 * And the hierarchy structure, a singleton (DescribeUserHierarchyStructure).
 */
import {
  DescribeRoutingProfileCommand,
  DescribeSecurityProfileCommand,
  DescribeUserCommand,
  DescribeUserHierarchyStructureCommand,
  paginateListQueueQuickConnects,
  paginateListRoutingProfileQueues,
  paginateListRoutingProfiles,
  paginateListSecurityProfilePermissions,
  paginateListSecurityProfiles,
  paginateListUsers,
  paginateSearchQueues,
  type Queue,
} from '@aws-sdk/client-connect';
import { collect, documentOf, itemsOf, mapConcurrent, toPlain } from './read.js';
import type { ReadContext, ResourceKind, StoredDocument } from './types.js';

/** Describe calls in flight per kind; the per-operation rate limiters set the real pace. */
const CONCURRENCY = 16;
const LIST_PAGE = 1000;

function opts(ctx: ReadContext) {
  return { abortSignal: ctx.signal };
}

export const users: ResourceKind = {
  name: 'users',
  label: 'user',
  readOperations: ['ListUsers', 'DescribeUser'],
  read(ctx) {
    const summaries = itemsOf(
      paginateListUsers({ client: ctx.connect, pageSize: LIST_PAGE }, { InstanceId: ctx.instanceId }),
      (page) => page.UserSummaryList,
    );
    return mapConcurrent(summaries, CONCURRENCY, async (summary): Promise<StoredDocument> => {
      const { User } = await ctx.connect.send(
        new DescribeUserCommand({ InstanceId: ctx.instanceId, UserId: summary.Id }),
        opts(ctx),
      );
      if (!User) throw new Error(`DescribeUser returned no user for ${summary.Id}`);
      return documentOf('users', User, { id: User.Id, arn: User.Arn, name: User.Username });
    });
  },
};

export const routingProfiles: ResourceKind = {
  name: 'routing-profiles',
  label: 'routing profile',
  readOperations: ['ListRoutingProfiles', 'DescribeRoutingProfile', 'ListRoutingProfileQueues'],
  read(ctx) {
    const summaries = itemsOf(
      paginateListRoutingProfiles(
        { client: ctx.connect, pageSize: LIST_PAGE },
        { InstanceId: ctx.instanceId },
      ),
      (page) => page.RoutingProfileSummaryList,
    );
    return mapConcurrent(summaries, CONCURRENCY, async (summary): Promise<StoredDocument> => {
      const [{ RoutingProfile }, queueConfigs] = await Promise.all([
        ctx.connect.send(
          new DescribeRoutingProfileCommand({ InstanceId: ctx.instanceId, RoutingProfileId: summary.Id }),
          opts(ctx),
        ),
        collect(
          itemsOf(
            paginateListRoutingProfileQueues(
              { client: ctx.connect, pageSize: 100 },
              { InstanceId: ctx.instanceId, RoutingProfileId: summary.Id },
            ),
            (page) => page.RoutingProfileQueueConfigSummaryList,
          ),
        ),
      ]);
      if (!RoutingProfile) throw new Error(`DescribeRoutingProfile returned nothing for ${summary.Id}`);
      return documentOf(
        'routing-profiles',
        RoutingProfile,
        {
          id: RoutingProfile.RoutingProfileId,
          arn: RoutingProfile.RoutingProfileArn,
          name: RoutingProfile.Name,
        },
        { queueConfigs: queueConfigs.map(toPlain) },
      );
    });
  },
};

export const securityProfiles: ResourceKind = {
  name: 'security-profiles',
  label: 'security profile',
  readOperations: ['ListSecurityProfiles', 'DescribeSecurityProfile', 'ListSecurityProfilePermissions'],
  read(ctx) {
    const summaries = itemsOf(
      paginateListSecurityProfiles(
        { client: ctx.connect, pageSize: LIST_PAGE },
        { InstanceId: ctx.instanceId },
      ),
      (page) => page.SecurityProfileSummaryList,
    );
    return mapConcurrent(summaries, CONCURRENCY, async (summary): Promise<StoredDocument> => {
      const [{ SecurityProfile }, permissions] = await Promise.all([
        ctx.connect.send(
          new DescribeSecurityProfileCommand({ InstanceId: ctx.instanceId, SecurityProfileId: summary.Id }),
          opts(ctx),
        ),
        collect(
          itemsOf(
            paginateListSecurityProfilePermissions(
              { client: ctx.connect, pageSize: LIST_PAGE },
              { InstanceId: ctx.instanceId, SecurityProfileId: summary.Id },
            ),
            (page) => page.Permissions,
          ),
        ),
      ]);
      if (!SecurityProfile) throw new Error(`DescribeSecurityProfile returned nothing for ${summary.Id}`);
      return documentOf(
        'security-profiles',
        SecurityProfile,
        { id: SecurityProfile.Id, arn: SecurityProfile.Arn, name: SecurityProfile.SecurityProfileName },
        { permissions },
      );
    });
  },
};

export const queues: ResourceKind = {
  name: 'queues',
  label: 'queue',
  readOperations: ['SearchQueues', 'ListQueueQuickConnects'],
  read(ctx) {
    // SearchQueues returns STANDARD queues only; AGENT queues are created with their users.
    const found: AsyncIterable<Queue> = itemsOf(
      paginateSearchQueues(
        { client: ctx.connect, pageSize: 100 },
        { InstanceId: ctx.instanceId, MaxResults: 100 },
      ),
      (page) => page.Queues,
    );
    return mapConcurrent(found, CONCURRENCY, async (queue): Promise<StoredDocument> => {
      const quickConnects = await collect(
        itemsOf(
          paginateListQueueQuickConnects(
            { client: ctx.connect, pageSize: 100 },
            { InstanceId: ctx.instanceId, QueueId: queue.QueueId },
          ),
          (page) => page.QuickConnectSummaryList,
        ),
      );
      return documentOf(
        'queues',
        queue,
        { id: queue.QueueId, arn: queue.QueueArn, name: queue.Name },
        { quickConnectIds: quickConnects.map((q) => q.Id) },
      );
    });
  },
};

export const userHierarchyStructure: ResourceKind = {
  name: 'user-hierarchy-structure',
  label: 'user hierarchy structure',
  readOperations: ['DescribeUserHierarchyStructure'],
  async *read(ctx) {
    const { HierarchyStructure } = await ctx.connect.send(
      new DescribeUserHierarchyStructureCommand({ InstanceId: ctx.instanceId }),
      opts(ctx),
    );
    yield {
      kind: 'user-hierarchy-structure',
      id: 'user-hierarchy-structure',
      arn: `${ctx.instanceArn}/user-hierarchy-structure`,
      name: 'user hierarchy structure',
      resource: toPlain(HierarchyStructure ?? {}),
    };
  },
};
