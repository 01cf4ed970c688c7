/**
 * Views: ListViews, DescribeView, CreateView, UpdateViewContent, UpdateViewMetadata, DeleteView
 * (connect-api-facts.md, "Views"; new-instance-defaults.md §10).
 *
 * A customer-managed view has two qualifiers (the API reference of CreateView and
 * UpdateViewContent): `$SAVED`, which every CreateView and UpdateViewContent sets, and `$LATEST`,
 * which only Status PUBLISHED sets. DescribeView takes `<id>`, `<arn>` or either with a qualifier
 * (`:$SAVED`, `:$LATEST`, `:<version>`); without one it means `$LATEST`, and a view never published
 * answers an error (ResourceNotFoundException here: the reference says only "an error is
 * returned"). Names are unique per instance (DuplicateResourceException, 409, as CreateView and
 * UpdateViewMetadata list). UpdateViewMetadata needs Name or Description (InvalidParameterException).
 *
 * AWS-managed views: every instance lists the six of new-instance-defaults.md §10 (ListViews without
 * a Type, or with AWS_MANAGED; sorted by type, then name, as the reference says), described by their
 * ARN (`arn:aws:connect:<region>:aws:view/<name>`, version 1); they cannot be changed
 * (InvalidRequestException) or deleted. Their content is a placeholder.
 *
 * Choices where the reference says nothing (failing loudly rather than guessing in the product's
 * favour):
 * - "Basic content validation" (SAVED) and "full content validation" (PUBLISHED) are not specified:
 *   the emulator checks, for both, that `Template` is a JSON object and the content is at most 400 kB
 *   (the documented limit); InvalidParameterException otherwise.
 * - A summary's and a `$LATEST` answer's Status is PUBLISHED once the view has been published, and
 *   SAVED before; a `$SAVED` answer's Status is SAVED.
 * - `ViewContentSha256` is the SHA-256 (hex) of the content's JSON; `InputSchema` is not generated.
 * - Content and metadata updates move LastModifiedTime; TagResource does not.
 * - CreateViewVersion and ListViewVersions are not implemented (restore does not use them).
 */
import type {
  CreateViewRequest,
  CreateViewResponse,
  DeleteViewRequest,
  DescribeViewRequest,
  DescribeViewResponse,
  ListViewsRequest,
  ListViewsResponse,
  UpdateViewContentRequest,
  UpdateViewContentResponse,
  UpdateViewMetadataRequest,
  View,
  ViewInputContent,
  ViewSummary,
} from '@aws-sdk/client-connect';
import { duplicate, invalidParameter, invalidRequest, notFound } from '../errors.js';
import type { InstanceState, ViewRecord, ViewVersionContent } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, sha256Hex } from './context.js';

const PAGE_MAX = 100;
/** "The total uncompressed content has a maximum file size of 400kB." */
export const MAX_CONTENT_BYTES = 400 * 1024;
/** The AWS-managed views of a current instance (new-instance-defaults.md §10). */
export const AWS_MANAGED_VIEWS = ['after-contact-work', 'cards', 'confirmation', 'detail', 'form', 'list'];

const managedArn = (instance: InstanceState, name: string) =>
  `arn:aws:connect:${instance.region}:aws:view/${name}`;

function managedView(instance: InstanceState, name: string): View {
  return {
    Id: name,
    Arn: managedArn(instance, name),
    Name: name,
    Type: 'AWS_MANAGED',
    Status: 'PUBLISHED',
    Version: 1,
    Content: { Template: '{}', Actions: [] },
  };
}

/**
 * The content as stored, after the checks of the module comment.
 * @throws ConnectError InvalidParameterException.
 */
function checkedContent(ctx: RequestContext, content: ViewInputContent): ViewVersionContent {
  const stored = { Template: content.Template ?? '', Actions: [...(content.Actions ?? [])] };
  const json = JSON.stringify(stored);
  if (Buffer.byteLength(json) > MAX_CONTENT_BYTES) {
    throw invalidParameter(`The view content is larger than ${MAX_CONTENT_BYTES} bytes.`);
  }
  let template: unknown;
  try {
    template = JSON.parse(stored.Template);
  } catch {
    template = undefined;
  }
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    throw invalidParameter('Content.Template must be a JSON object.');
  }
  return { Content: stored, ViewContentSha256: sha256Hex(json), LastModifiedTime: ctx.world.tick() };
}

/** `<id or ARN>[:qualifier]` split. */
function parseViewId(viewId: string): { id: string; qualifier?: string } {
  const match = /^(.*?)(?::(\$SAVED|\$LATEST|\d+))?$/.exec(viewId);
  return match?.[2] ? { id: match[1]!, qualifier: match[2] } : { id: viewId };
}

/**
 * The customer-managed view an identifier names.
 * @throws ConnectError InvalidRequestException for an AWS-managed view; ResourceNotFoundException.
 */
function customerView(instance: InstanceState, viewId: string): ViewRecord {
  const { id } = parseViewId(viewId);
  if (AWS_MANAGED_VIEWS.some((name) => id === name || id === managedArn(instance, name))) {
    throw invalidRequest(`View ${id} is AWS managed: it cannot be changed or deleted.`);
  }
  return instance.views.require(id);
}

function viewOf(
  record: ViewRecord,
  version: ViewVersionContent,
  status: 'PUBLISHED' | 'SAVED',
  n?: number,
): View {
  const { Tags, ...identity } = record.entity;
  return {
    ...identity,
    Status: status,
    ...(n !== undefined ? { Version: n } : {}),
    ...(version.VersionDescription ? { VersionDescription: version.VersionDescription } : {}),
    Content: structuredClone(version.Content),
    ViewContentSha256: version.ViewContentSha256,
    ...(Tags && Object.keys(Tags).length ? { Tags: { ...Tags } } : {}),
  };
}

function summary(record: ViewRecord): ViewSummary {
  const e = record.entity;
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.name,
    Type: 'CUSTOMER_MANAGED',
    Status: record.latest ? 'PUBLISHED' : 'SAVED',
    ...(e.Description ? { Description: e.Description } : {}),
  };
}

/** Handlers of the view operations (see the module comment for the rules). */
export const viewHandlers: HandlerTable = {
  ListViews(ctx: RequestContext, input: ListViewsRequest): ListViewsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const managed: ViewSummary[] =
      input.Type === 'CUSTOMER_MANAGED'
        ? []
        : AWS_MANAGED_VIEWS.map((name) => {
            const { Id, Arn, Name, Type, Status } = managedView(instance, name);
            return { Id, Arn, Name, Type, Status };
          });
    const customer =
      input.Type === 'AWS_MANAGED'
        ? []
        : instance.views
            .all()
            .map(summary)
            .sort((a, b) => (a.Name! < b.Name! ? -1 : 1));
    const { page, NextToken } = paginate(
      [...managed, ...customer],
      input,
      `ListViews/${instance.id}/${input.Type ?? ''}`,
      PAGE_MAX,
    );
    return { ViewsSummaryList: page, NextToken };
  },

  /** DescribeView: `$LATEST` by default (an error for a view never published), `$SAVED`, or a version. */
  DescribeView(ctx: RequestContext, input: DescribeViewRequest): DescribeViewResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { id, qualifier } = parseViewId(input.ViewId!);
    const managed = AWS_MANAGED_VIEWS.find((name) => id === managedArn(instance, name));
    if (managed) {
      if (qualifier && qualifier !== '1') throw notFound('View version', input.ViewId!);
      return { View: managedView(instance, managed) };
    }
    const record = instance.views.require(id);
    if (qualifier === '$SAVED') return { View: viewOf(record, record.saved, 'SAVED') };
    if (qualifier === undefined || qualifier === '$LATEST') {
      if (!record.latest) throw notFound('Published content of view', `${id} (describe ${id}:$SAVED)`);
      return { View: viewOf(record, record.latest, 'PUBLISHED') };
    }
    const n = Number(qualifier);
    const version = record.versions[n - 1];
    if (!version) throw notFound('View version', input.ViewId!);
    return { View: viewOf(record, version, 'PUBLISHED', n) };
  },

  /** CreateView: `$SAVED`, and `$LATEST` too when Status is PUBLISHED; a unique name (409). */
  CreateView(ctx: RequestContext, input: CreateViewRequest): CreateViewResponse {
    const instance = ctx.instance(input.InstanceId!);
    if (instance.views.findByName(input.Name!)) throw duplicate('View', input.Name!);
    const content = checkedContent(ctx, input.Content!);
    const id = ctx.world.newId();
    const arn = instance.arnFor('view', id);
    const now = content.LastModifiedTime;
    const record = instance.views.add({
      id,
      arn,
      name: input.Name!,
      entity: {
        Id: id,
        Arn: arn,
        Name: input.Name!,
        Type: 'CUSTOMER_MANAGED',
        ...(input.Description ? { Description: input.Description } : {}),
        ...(input.Tags && Object.keys(input.Tags).length ? { Tags: { ...input.Tags } } : {}),
        CreatedTime: now,
        LastModifiedTime: now,
      },
      saved: content,
      ...(input.Status === 'PUBLISHED' ? { latest: content } : {}),
      versions: [],
    });
    return { View: viewOf(record, content, input.Status!) };
  },

  /** UpdateViewContent: `$SAVED` always; `$LATEST` too when Status is PUBLISHED. */
  UpdateViewContent(ctx: RequestContext, input: UpdateViewContentRequest): UpdateViewContentResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = customerView(instance, input.ViewId!);
    const content = checkedContent(ctx, input.Content!);
    record.saved = content;
    if (input.Status === 'PUBLISHED') record.latest = content;
    record.entity.LastModifiedTime = content.LastModifiedTime;
    return { View: viewOf(record, content, input.Status!) };
  },

  /** UpdateViewMetadata: Name (unique, 409) or Description, at least one. */
  UpdateViewMetadata(ctx: RequestContext, input: UpdateViewMetadataRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = customerView(instance, input.ViewId!);
    if (input.Name === undefined && input.Description === undefined) {
      throw invalidParameter('UpdateViewMetadata needs Name or Description.');
    }
    if (input.Name !== undefined) {
      instance.views.rename(record, input.Name);
      record.entity.Name = input.Name;
    }
    if (input.Description !== undefined) record.entity.Description = input.Description;
    record.entity.LastModifiedTime = ctx.world.tick();
    return {};
  },

  DeleteView(ctx: RequestContext, input: DeleteViewRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    instance.views.remove(customerView(instance, input.ViewId!));
    return {};
  },
};
