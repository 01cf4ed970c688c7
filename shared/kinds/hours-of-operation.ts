/**
 * Hours of operation: read with SearchHoursOfOperations, restored with CreateHoursOfOperation and
 * UpdateHoursOfOperation.
 */
import {
  CreateHoursOfOperationCommand,
  type HoursOfOperation,
  type HoursOfOperationConfig,
  paginateSearchHoursOfOperations,
  UpdateHoursOfOperationCommand,
} from '@aws-sdk/client-connect';
import { itemsOf } from './support/read.js';
import {
  anyChanged,
  entityOf,
  sendOptions,
  tagsMember,
  text,
  updateTags,
  userTags,
} from './support/restore.js';
import { config, request, searchKind } from './support/search.js';
import type { KindRestore, ResourceKind } from './types.js';

const hoursOfOperationRestore: KindRestore = {
  writeOperations: ['CreateHoursOfOperation', 'UpdateHoursOfOperation', 'TagResource', 'UntagResource'],
  nameMember: 'Name',
  unordered: ['Config'],
  state(document) {
    const hours = entityOf<HoursOfOperation>(document);
    return {
      Name: hours.Name,
      Description: hours.Description,
      TimeZone: hours.TimeZone,
      Config: hours.Config,
      Tags: userTags(hours.Tags),
    };
  },
  async create(ctx, desired) {
    const created = await ctx.connect.send(
      new CreateHoursOfOperationCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        Description: text(desired, 'Description'),
        TimeZone: text(desired, 'TimeZone'),
        Config: (desired.Config as HoursOfOperationConfig[] | undefined) ?? [],
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.HoursOfOperationId || !created.HoursOfOperationArn)
      throw new Error('CreateHoursOfOperation returned no id');
    return { id: created.HoursOfOperationId, arn: created.HoursOfOperationArn };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    if (anyChanged(changed, 'Name', 'Description', 'TimeZone', 'Config')) {
      await ctx.connect.send(
        new UpdateHoursOfOperationCommand({
          InstanceId: ctx.instanceId,
          HoursOfOperationId: target.id,
          Name: text(desired, 'Name'),
          Description: text(desired, 'Description') ?? '',
          TimeZone: text(desired, 'TimeZone'),
          Config: (desired.Config as HoursOfOperationConfig[] | undefined) ?? [],
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const hoursOfOperation: ResourceKind<'hours-of-operation'> = searchKind({
  name: 'hours-of-operation',
  label: 'hours of operation',
  operation: 'SearchHoursOfOperations',
  search: (ctx) =>
    itemsOf(paginateSearchHoursOfOperations(config(ctx), request(ctx)), (p) => p.HoursOfOperations),
  identity: (e) => ({ id: e.HoursOfOperationId, arn: e.HoursOfOperationArn, name: e.Name }),
  searchOnly: {
    why: 'SearchHoursOfOperations returns the whole HoursOfOperation, as DescribeHoursOfOperation does (connect-api-facts.md §5): 100 per call',
    requires: ['Name', 'TimeZone', 'Config'],
  },
  restore: hoursOfOperationRestore,
});
