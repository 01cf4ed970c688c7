/**
 * Contact flow modules: ListContactFlowModules, DescribeContactFlowModule, SearchContactFlowModules,
 * CreateContactFlowModule, UpdateContactFlowModuleContent, UpdateContactFlowModuleMetadata,
 * DeleteContactFlowModule.
 *
 * A module's `entity` is its published view; content saved with `<id>:$SAVED` is kept apart as
 * `savedDraft` until the next publish. Modules carry no timestamps (the API entity has none).
 */
import type {
  ContactFlowModule,
  ContactFlowModuleSearchCriteria,
  ContactFlowModuleSummary,
  CreateContactFlowModuleRequest,
  CreateContactFlowModuleResponse,
  DeleteContactFlowModuleRequest,
  DescribeContactFlowModuleRequest,
  DescribeContactFlowModuleResponse,
  ListContactFlowModulesRequest,
  ListContactFlowModulesResponse,
  SearchContactFlowModulesRequest,
  SearchContactFlowModulesResponse,
  UpdateContactFlowModuleContentRequest,
  UpdateContactFlowModuleMetadataRequest,
} from '@aws-sdk/client-connect';
import { ConnectError, invalidRequest, notFound } from '../errors.js';
import type { FlowModuleRecord, InstanceState } from '../state.js';
import {
  type HandlerTable,
  paginate,
  type RequestContext,
  searchPage,
  sha256Hex,
  tagsOf,
} from './context.js';
import { assertModuleContentPublishable, splitQualifier } from './flow-content.js';
import {
  assertSearchFields,
  matchesCriteria,
  matchesFilter,
  type SearchCriteria,
  type SearchFilter,
} from './search.js';

/** Under the quirk search-lags-deletes: deleted records Search still lists, per instance. */
const deletedButListed = new WeakMap<InstanceState, FlowModuleRecord[]>();

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 100;
const SEARCH_FIELDS = ['name', 'description', 'resourceID'] as const;
const SAVED = '$SAVED';

/** CreateContactFlowModule `ClientToken`s seen per instance: the request they answered and its result. */
const clientTokens = new WeakMap<InstanceState, Map<string, { request: string; id: string; arn: string }>>();

/**
 * Finds the module a `ContactFlowModuleId` (id or ARN, optionally `:$SAVED`) names.
 * @throws ConnectError ResourceNotFoundException (404) for an unknown module, a module of another
 *   instance, a version or alias qualifier (not modelled) or, unless `allowSaved`, any qualifier.
 */
function resolveModule(
  instance: InstanceState,
  moduleId: string,
  allowSaved: boolean,
): { record: FlowModuleRecord; saved: boolean } {
  const { base, qualifier } = splitQualifier(moduleId);
  const saved = qualifier === SAVED;
  const record = instance.flowModules.find(base);
  if (
    !record ||
    (base.startsWith('arn:') && record.arn !== base) ||
    (qualifier !== undefined && !(saved && allowSaved))
  ) {
    throw notFound(instance.flowModules.label, moduleId);
  }
  return { record, saved };
}

/** @throws ConnectError InvalidContactFlowModuleException (400) when Settings is not a JSON document. */
function assertSettingsValid(settings: string | undefined): void {
  if (settings === undefined) return;
  try {
    JSON.parse(settings);
  } catch (error) {
    throw new ConnectError('InvalidContactFlowModuleException', 'The flow module settings are not valid.', {
      Problems: [{ message: `Settings is not valid JSON: ${(error as Error).message}`.slice(0, 256) }],
    });
  }
}

function summary(record: FlowModuleRecord): ContactFlowModuleSummary {
  return { Id: record.id, Arn: record.arn, Name: record.name, State: record.entity.State };
}

/** The SAVED version of a module: its draft where it has one (Status SAVED), else the module (see flows.ts). */
function savedView(record: FlowModuleRecord): ContactFlowModule {
  const module: ContactFlowModule = structuredClone(record.entity);
  if (record.savedDraft) {
    module.Content = record.savedDraft.Content;
    module.FlowModuleContentSha256 = sha256Hex(record.savedDraft.Content);
    if (record.savedDraft.Settings !== undefined) module.Settings = record.savedDraft.Settings;
    module.Status = 'SAVED';
  }
  return module;
}

/** ContactFlowModuleSearchCriteria: string conditions plus StateCondition/StatusCondition. */
function matchesModuleCriteria(
  record: FlowModuleRecord,
  criteria: ContactFlowModuleSearchCriteria | undefined,
  entity: ContactFlowModule = record.entity,
): boolean {
  return matchesCriteria(record, criteria, {
    own: (c) =>
      (!c.StateCondition || entity.State === c.StateCondition) &&
      (!c.StatusCondition || entity.Status === c.StatusCondition),
  });
}

/** One Search result: a copy of the view, without `Content` under the quirk search-omits-content. */
function searchResult<T extends { Content?: string }>(ctx: RequestContext, view: T): T {
  const result = structuredClone(view);
  if (ctx.world.quirks.has('search-omits-content')) delete result.Content;
  return result;
}

export const flowModuleHandlers: HandlerTable = {
  /** ListContactFlowModules: summaries in creation order, optionally filtered by `state`. */
  ListContactFlowModules(
    ctx: RequestContext,
    input: ListContactFlowModulesRequest,
  ): ListContactFlowModulesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const state = input.ContactFlowModuleState;
    const all = instance.flowModules
      .all()
      .filter((r) => state === undefined || r.entity.State === state)
      .map(summary);
    const { page, NextToken } = paginate(
      all,
      input,
      `ListContactFlowModules/${instance.id}/${state ?? ''}`,
      LIST_PAGE_MAX,
    );
    return { ContactFlowModulesSummaryList: page, NextToken };
  },

  /**
   * DescribeContactFlowModule: the published module for `<id>`; for `<id>:$SAVED` the saved draft
   * when there is one (Status SAVED), else the module as it is.
   */
  DescribeContactFlowModule(
    ctx: RequestContext,
    input: DescribeContactFlowModuleRequest,
  ): DescribeContactFlowModuleResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { record, saved } = resolveModule(instance, input.ContactFlowModuleId!, true);
    const answer = saved ? savedView(record) : structuredClone(record.entity);
    // Quirk describe-omits-content: Describe answers without the content.
    if (ctx.world.quirks.has('describe-omits-content')) delete answer.Content;
    return { ContactFlowModule: answer };
  },

  /** SearchContactFlowModules: whole modules (with Content and Tags) matching criteria and filter. */
  SearchContactFlowModules(
    ctx: RequestContext,
    input: SearchContactFlowModulesRequest,
  ): SearchContactFlowModulesResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(input.SearchCriteria as SearchCriteria | undefined, SEARCH_FIELDS);
    // Quirk search-omits-drafts: a SAVED search finds only what was never published.
    const wantsSaved =
      input.SearchCriteria?.StatusCondition === 'SAVED' && !ctx.world.quirks.has('search-omits-drafts');
    const matches = [...instance.flowModules.searchable(), ...(deletedButListed.get(instance) ?? [])]
      .map((r) => ({ r, view: wantsSaved ? savedView(r) : r.entity }))
      .filter(
        ({ r, view }) =>
          matchesModuleCriteria(r, input.SearchCriteria, view) &&
          matchesFilter(r.entity.Tags, input.SearchFilter as SearchFilter | undefined),
      );
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchContactFlowModules',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return {
      ContactFlowModules: page.map(({ view }) => searchResult(ctx, view)),
      NextToken,
      ApproximateTotalCount,
    };
  },

  /**
   * CreateContactFlowModule: validates and publishes the content. A repeated `ClientToken` with the
   * same request answers the first result again; with a different request it is an IdempotencyException.
   * @throws ConnectError DuplicateResourceException (409), InvalidContactFlowModuleException (400),
   *   IdempotencyException (409).
   */
  CreateContactFlowModule(
    ctx: RequestContext,
    input: CreateContactFlowModuleRequest,
  ): CreateContactFlowModuleResponse {
    const instance = ctx.instance(input.InstanceId!);
    const tokens = clientTokens.get(instance) ?? new Map();
    clientTokens.set(instance, tokens);
    const { ClientToken, InstanceId: _instance, ...request } = input;
    const fingerprint = JSON.stringify(request);
    const earlier = ClientToken === undefined ? undefined : tokens.get(ClientToken);
    if (earlier) {
      if (earlier.request !== fingerprint) {
        throw new ConnectError(
          'IdempotencyException',
          `ClientToken ${ClientToken} was already used for a different request.`,
        );
      }
      return { Id: earlier.id, Arn: earlier.arn };
    }
    instance.flowModules.assertNameFree(input.Name!);
    assertModuleContentPublishable(instance, input.Content!);
    assertSettingsValid(input.Settings);
    const id = ctx.world.newId();
    const arn = instance.arnFor('flow-module', id);
    instance.flowModules.add({
      id,
      arn,
      name: input.Name!,
      entity: {
        Arn: arn,
        Id: id,
        Name: input.Name!,
        Content: input.Content!,
        ...(input.Description !== undefined ? { Description: input.Description } : {}),
        State: 'ACTIVE',
        Status: 'PUBLISHED',
        Tags: tagsOf(input.Tags),
        FlowModuleContentSha256: sha256Hex(input.Content!),
        ...(input.Settings !== undefined ? { Settings: input.Settings } : {}),
        ...(input.ExternalInvocationConfiguration !== undefined
          ? { ExternalInvocationConfiguration: input.ExternalInvocationConfiguration }
          : {}),
      },
    });
    if (ClientToken !== undefined) tokens.set(ClientToken, { request: fingerprint, id, arn });
    return { Id: id, Arn: arn };
  },

  /**
   * UpdateContactFlowModuleContent: Content and/or Settings. For `<id>` validates and publishes (any
   * saved draft dropped); for `<id>:$SAVED` saves a draft without validation.
   * @throws ConnectError InvalidContactFlowModuleException (400), InvalidRequestException (400) when
   *   neither Content nor Settings is given.
   */
  UpdateContactFlowModuleContent(
    ctx: RequestContext,
    input: UpdateContactFlowModuleContentRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const { record, saved } = resolveModule(instance, input.ContactFlowModuleId!, true);
    if (input.Content === undefined && input.Settings === undefined) {
      throw invalidRequest('Give Content, Settings or both.');
    }
    if (saved) {
      const settings = input.Settings ?? record.savedDraft?.Settings;
      record.savedDraft = {
        Content: input.Content ?? record.savedDraft?.Content ?? record.entity.Content!,
        ...(settings !== undefined ? { Settings: settings } : {}),
      };
      return {};
    }
    const content = input.Content ?? record.entity.Content!;
    assertModuleContentPublishable(instance, content);
    assertSettingsValid(input.Settings);
    record.entity.Content = content;
    record.entity.FlowModuleContentSha256 = sha256Hex(content);
    if (input.Settings !== undefined) record.entity.Settings = input.Settings;
    record.entity.Status = 'PUBLISHED';
    delete record.savedDraft;
    return {};
  },

  /**
   * UpdateContactFlowModuleMetadata: Name, Description and State.
   * @throws ConnectError DuplicateResourceException (409) for a taken name.
   */
  UpdateContactFlowModuleMetadata(
    ctx: RequestContext,
    input: UpdateContactFlowModuleMetadataRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const { record } = resolveModule(instance, input.ContactFlowModuleId!, false);
    if (input.Name !== undefined) {
      instance.flowModules.rename(record, input.Name);
      record.entity.Name = input.Name;
    }
    if (input.Description !== undefined) record.entity.Description = input.Description;
    if (input.State !== undefined) record.entity.State = input.State;
    return {};
  },

  /** DeleteContactFlowModule: removes the module (the API lists no ResourceInUseException). */
  DeleteContactFlowModule(ctx: RequestContext, input: DeleteContactFlowModuleRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const { record } = resolveModule(instance, input.ContactFlowModuleId!, false);
    instance.flowModules.remove(record);
    // Quirk search-lags-deletes: the Search index keeps listing what was deleted.
    if (ctx.world.quirks.has('search-lags-deletes'))
      deletedButListed.set(instance, [...(deletedButListed.get(instance) ?? []), record]);
    return {};
  },
};
