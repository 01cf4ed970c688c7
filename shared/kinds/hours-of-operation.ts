/**
 * Hours of operation: read with SearchHoursOfOperations (the whole entity, its parent hours
 * included) and ListHoursOfOperationOverrides per hours; restored with CreateHoursOfOperation
 * (parent hours as `ParentHoursOfOperationConfigs`), UpdateHoursOfOperation and the
 * Create/Update/DeleteHoursOfOperationOverride calls.
 *
 * Parent links of an hours that already exists in the target are not rewritten: that takes
 * Associate/DisassociateHoursOfOperations, and IAM Access Analyzer answers "The action
 * connect:AssociateHoursOfOperations does not exist" (as for UpdateUserConfig, issue 8), so no role
 * names them. A changed parent is reported instead, naming what to do.
 */
import {
  CreateHoursOfOperationCommand,
  CreateHoursOfOperationOverrideCommand,
  DeleteHoursOfOperationCommand,
  DeleteHoursOfOperationOverrideCommand,
  type HoursOfOperation,
  type HoursOfOperationConfig,
  type HoursOfOperationOverride,
  type HoursOfOperationOverrideConfig,
  paginateListHoursOfOperationOverrides,
  paginateSearchHoursOfOperations,
  type RecurrenceConfig,
  UpdateHoursOfOperationCommand,
  UpdateHoursOfOperationOverrideCommand,
} from '@aws-sdk/client-connect';
import { CONCURRENCY, notStored } from './support/describe.js';
import { collect, fingerprint, itemsOf, mapUnordered, toPlain } from './support/read.js';
import { deletion, instanceDefault } from './support/removal.js';
import {
  anyChanged,
  entityOf,
  sendOptions,
  tagsMember,
  text,
  updateTags,
  userTags,
} from './support/restore.js';
import { config, PAGE, request, searchKind } from './support/search.js';
import type {
  DeclaredReference,
  KindRestore,
  ReadContext,
  ResourceKind,
  ResourceState,
  StoredDocument,
  WriteContext,
} from './types.js';

/**
 * One override as stored (`related.overrides`) and restored: the ListHoursOfOperationOverrides
 * item without its ids (`HoursOfOperationOverrideId` is the target's own, the hours' id and ARN are
 * the document's). Overrides are matched by name, which is unique within their hours.
 */
export interface StoredOverride {
  Name: string;
  Description?: string;
  Config: HoursOfOperationOverrideConfig[];
  EffectiveFrom: string;
  EffectiveTill: string;
  RecurrenceConfig?: RecurrenceConfig;
  OverrideType?: string;
}

/** The overrides of one hours of operation (ListHoursOfOperationOverrides, 100 a page), by name. */
async function listOverrides(
  ctx: { connect: ReadContext['connect']; instanceId: string; signal?: AbortSignal },
  hoursId: string,
): Promise<HoursOfOperationOverride[]> {
  return collect(
    itemsOf(
      paginateListHoursOfOperationOverrides(
        { client: ctx.connect, pageSize: PAGE },
        { InstanceId: ctx.instanceId, HoursOfOperationId: hoursId },
        { abortSignal: ctx.signal },
      ),
      (page) => page.HoursOfOperationOverrideList,
    ),
  );
}

function storedOverride(item: HoursOfOperationOverride): StoredOverride {
  const {
    HoursOfOperationOverrideId: _id,
    HoursOfOperationId: _hours,
    HoursOfOperationArn: _arn,
    ...rest
  } = toPlain(item) as HoursOfOperationOverride & Record<string, unknown>;
  return rest as StoredOverride;
}

const byName = (a: { Name: string }, b: { Name: string }) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0);

/** The document with its overrides (`related.overrides`, by name; left out when there are none). */
async function withOverrides(ctx: ReadContext, document: StoredDocument): Promise<StoredDocument> {
  const overrides = (await listOverrides(ctx, document.id)).map(storedOverride).sort(byName);
  return overrides.length ? { ...document, related: { ...document.related, overrides } } : document;
}

function overridesOf(state: ResourceState | undefined): StoredOverride[] {
  return (state?.Overrides as StoredOverride[] | undefined) ?? [];
}

function parentIdsOf(state: ResourceState | undefined): string[] {
  return (state?.ParentHoursOfOperationIds as string[] | undefined) ?? [];
}

/** The override members a create or update sends. */
function overrideMembers(override: StoredOverride) {
  return {
    Name: override.Name,
    ...(override.Description !== undefined ? { Description: override.Description } : {}),
    Config: override.Config,
    EffectiveFrom: override.EffectiveFrom,
    EffectiveTill: override.EffectiveTill,
    ...(override.RecurrenceConfig ? { RecurrenceConfig: override.RecurrenceConfig } : {}),
    ...(override.OverrideType ? { OverrideType: override.OverrideType as 'STANDARD' } : {}),
  };
}

async function createOverride(ctx: WriteContext, hoursId: string, override: StoredOverride): Promise<void> {
  await ctx.connect.send(
    new CreateHoursOfOperationOverrideCommand({
      InstanceId: ctx.instanceId,
      HoursOfOperationId: hoursId,
      ...overrideMembers(override),
    }),
    sendOptions(ctx),
  );
}

/** Equal whatever the key order (fingerprints of key-sorted JSON). */
const sameJson = (a: unknown, b: unknown) => fingerprint(a) === fingerprint(b);

/**
 * Brings the target hours' overrides to `desired`, matched by name: deletes those the snapshot
 * lacks (first, so that the 50-per-hours quota has room), updates the changed ones and creates the
 * missing ones. An override that loses its description or recurrence is deleted and created again:
 * UpdateHoursOfOperationOverride cannot clear them (Description must be 1..250 characters).
 */
async function updateOverrides(ctx: WriteContext, hoursId: string, desired: StoredOverride[]): Promise<void> {
  const existing = await listOverrides(ctx, hoursId);
  const want = new Map(desired.map((o) => [o.Name, o]));
  const base = { InstanceId: ctx.instanceId, HoursOfOperationId: hoursId };
  const recreate: StoredOverride[] = [];
  for (const item of existing) {
    const wanted = want.get(item.Name ?? '');
    const current = storedOverride(item);
    const clears =
      wanted !== undefined &&
      ((current.Description !== undefined && wanted.Description === undefined) ||
        (current.RecurrenceConfig !== undefined && wanted.RecurrenceConfig === undefined));
    if (wanted === undefined || clears) {
      await ctx.connect.send(
        new DeleteHoursOfOperationOverrideCommand({
          ...base,
          HoursOfOperationOverrideId: item.HoursOfOperationOverrideId,
        }),
        sendOptions(ctx),
      );
      if (wanted) recreate.push(wanted);
    }
  }
  for (const item of existing) {
    const wanted = want.get(item.Name ?? '');
    if (
      !wanted ||
      recreate.includes(wanted) ||
      sameJson(overrideMembers(storedOverride(item)), overrideMembers(wanted))
    )
      continue;
    await ctx.connect.send(
      new UpdateHoursOfOperationOverrideCommand({
        ...base,
        HoursOfOperationOverrideId: item.HoursOfOperationOverrideId,
        ...overrideMembers(wanted),
      }),
      sendOptions(ctx),
    );
  }
  const present = new Set(existing.map((o) => o.Name));
  for (const override of [...desired.filter((o) => !present.has(o.Name)), ...recreate])
    await createOverride(ctx, hoursId, override);
}

const hoursOfOperationRestore: KindRestore = {
  // Connect refuses (ResourceInUseException) while a queue uses the hours or other hours inherit
  // from them; queues are removed first and updated before any removal.
  remove: deletion(
    'DeleteHoursOfOperation',
    (ctx, target) =>
      ctx.connect.send(
        new DeleteHoursOfOperationCommand({ InstanceId: ctx.instanceId, HoursOfOperationId: target.id }),
        sendOptions(ctx),
      ),
    (target) => instanceDefault('hours of operation', ['Basic Hours'], target.name),
  ),
  writeOperations: [
    'CreateHoursOfOperation',
    'UpdateHoursOfOperation',
    'CreateHoursOfOperationOverride',
    'UpdateHoursOfOperationOverride',
    'DeleteHoursOfOperationOverride',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Name',
  unordered: ['Config', 'ParentHoursOfOperationIds'],
  /** Parents before their children, so that a child is created with its parents' target ids. */
  order: (document) => (entityOf<HoursOfOperation>(document).ParentHoursOfOperations?.length ? 1 : 0),
  state(document) {
    const hours = entityOf<HoursOfOperation>(document);
    const parents = (hours.ParentHoursOfOperations ?? []).map((p) => p.Id ?? '').filter(Boolean);
    const overrides = (document.related?.overrides as StoredOverride[] | undefined) ?? [];
    return {
      Name: hours.Name,
      Description: hours.Description,
      TimeZone: hours.TimeZone,
      Config: hours.Config,
      ...(parents.length ? { ParentHoursOfOperationIds: parents } : {}),
      ...(overrides.length ? { Overrides: overrides } : {}),
      Tags: userTags(hours.Tags),
    };
  },
  references(state) {
    return parentIdsOf(state).map(
      (value): DeclaredReference => ({
        member: 'ParentHoursOfOperations.Id',
        kind: 'hours-of-operation',
        value,
      }),
    );
  },
  cannotUpdate(changed) {
    return changed.includes('ParentHoursOfOperationIds')
      ? 'its parent hours of operation differ in the target, and relinking them takes AssociateHoursOfOperations/DisassociateHoursOfOperations, which IAM does not list as actions; link the parents in the console (hours of operation, "Link overrides"), or delete the hours there and restore again'
      : undefined;
  },
  async create(ctx, desired) {
    const parents = parentIdsOf(desired);
    const created = await ctx.connect.send(
      new CreateHoursOfOperationCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        Description: text(desired, 'Description'),
        TimeZone: text(desired, 'TimeZone'),
        Config: (desired.Config as HoursOfOperationConfig[] | undefined) ?? [],
        ...(parents.length
          ? { ParentHoursOfOperationConfigs: parents.map((HoursOfOperationId) => ({ HoursOfOperationId })) }
          : {}),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.HoursOfOperationId || !created.HoursOfOperationArn)
      throw new Error('CreateHoursOfOperation returned no id');
    for (const override of overridesOf(desired))
      await createOverride(ctx, created.HoursOfOperationId, override);
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
    if (changed.has('Overrides')) await updateOverrides(ctx, target.id, overridesOf(desired));
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

const searched = searchKind({
  name: 'hours-of-operation',
  label: 'hours of operation',
  operation: 'SearchHoursOfOperations',
  search: (ctx) =>
    itemsOf(paginateSearchHoursOfOperations(config(ctx), request(ctx)), (p) => p.HoursOfOperations),
  identity: (e) => ({ id: e.HoursOfOperationId, arn: e.HoursOfOperationArn, name: e.Name }),
  searchOnly: {
    why: 'SearchHoursOfOperations returns the whole HoursOfOperation, as DescribeHoursOfOperation does (connect-api-facts.md §5): 100 per call; the overrides come from ListHoursOfOperationOverrides',
    requires: ['Name', 'TimeZone', 'Config'],
  },
  restore: hoursOfOperationRestore,
});

/**
 * Hours of operation, read in full on every run: one SearchHoursOfOperations call per 100 hours and
 * one ListHoursOfOperationOverrides call per hours (overrides have no change signal of their own:
 * they move no timestamp of the hours and have no tags).
 */
export const hoursOfOperation: ResourceKind<'hours-of-operation'> = {
  ...searched,
  readOperations: ['SearchHoursOfOperations', 'ListHoursOfOperationOverrides'],
  read: (ctx) =>
    mapUnordered(
      notStored(ctx, searched.read(ctx), (d) => d.id),
      CONCURRENCY,
      (document) => withOverrides(ctx, document),
    ),
};
