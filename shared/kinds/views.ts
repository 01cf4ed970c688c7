/**
 * Views (customer-managed only): read with ListViews (Type CUSTOMER_MANAGED), then DescribeView
 * `<id>:$SAVED` and DescribeView `<id>` (`$LATEST`, the published content) per view; restored with
 * CreateView, UpdateViewContent (Status PUBLISHED or SAVED) and UpdateViewMetadata, matched by Name.
 *
 * AWS-managed views (detail, list, form, confirmation, cards, after-contact-work) are neither backed
 * up nor restored: every instance has them, they cannot be created or changed, and flows name them
 * by an ARN (`arn:aws:connect:<region>:aws:view/<name>:<version>`) that restore moves to the target's
 * Region.
 *
 * The stored `resource` is the `$LATEST` View (Status PUBLISHED) when the view has been published,
 * else the `$SAVED` View (Status SAVED). When a published view also has saved changes not published
 * (its `$SAVED` content differs from `$LATEST`), `related.saved` holds the `$SAVED` View's Content
 * and ViewContentSha256. A `$LATEST` DescribeView answered ResourceNotFoundException means "never
 * published" (the API reference: without a qualifier, "an error is returned if there is no
 * published content available"; it does not name the error).
 *
 * Restore writes both: the published content (CreateView or UpdateViewContent with Status
 * PUBLISHED, which sets `$SAVED` too), then the saved content when it differs (Status SAVED, which
 * sets `$SAVED` only). Numbered versions (CreateViewVersion) are not restored: a flow that pins a
 * customer view to a version number would name a version the target lacks.
 *
 * No change signal: read in full on every run (ListViews has no LastModifiedTime).
 */
import {
  CreateViewCommand,
  DescribeViewCommand,
  paginateListViews,
  UpdateViewContentCommand,
  UpdateViewMetadataCommand,
  type View,
  type ViewInputContent,
  type ViewSummary,
} from '@aws-sdk/client-connect';
import { CONCURRENCY, notStored, opts } from './support/describe.js';
import { documentOf, fingerprint, itemsOf, mapUnordered, toPlain } from './support/read.js';
import {
  anyChanged,
  entityOf,
  sendOptions,
  tagsMember,
  text,
  updateTags,
  userTags,
} from './support/restore.js';
import type { KindRestore, ReadContext, ResourceKind, StoredDocument, WriteContext } from './types.js';

/** ListViews pages hold at most 100 views. */
const PAGE = 100;

function listViews(ctx: ReadContext): AsyncIterable<ViewSummary> {
  return itemsOf(
    paginateListViews(
      { client: ctx.connect, pageSize: PAGE },
      { InstanceId: ctx.instanceId, Type: 'CUSTOMER_MANAGED', MaxResults: PAGE },
      opts(ctx),
    ),
    (page) => page.ViewsSummaryList,
  );
}

async function describeView(ctx: ReadContext, viewId: string): Promise<View | undefined> {
  const { View: view } = await ctx.connect.send(
    new DescribeViewCommand({ InstanceId: ctx.instanceId, ViewId: viewId }),
    opts(ctx),
  );
  return view;
}

/** The content as the write operations take it (InputSchema is output-only). */
function inputContent(content: View['Content']): ViewInputContent {
  return { Template: content?.Template ?? '', Actions: content?.Actions ?? [] };
}

const sameContent = (a: unknown, b: unknown) => fingerprint(a ?? null) === fingerprint(b ?? null);

/**
 * Reads one view: `$SAVED`, and `$LATEST` (absent when never published).
 * @throws the SDK's service errors but the ResourceNotFoundException of `$LATEST`.
 */
async function readView(ctx: ReadContext, id: string): Promise<StoredDocument> {
  const [saved, published] = await Promise.all([
    describeView(ctx, `${id}:$SAVED`),
    describeView(ctx, id).catch((error: unknown) => {
      if ((error as Error).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }),
  ]);
  if (!saved) throw new Error(`DescribeView returned nothing for ${id}:$SAVED`);
  const view = published ?? saved;
  const draft =
    published && !sameContent(inputContent(saved.Content), inputContent(published.Content))
      ? { saved: toPlain({ Content: saved.Content, ViewContentSha256: saved.ViewContentSha256 }) }
      : undefined;
  return documentOf('views', view, { id: view.Id, arn: view.Arn, name: view.Name }, draft);
}

type Content = { Template: string; Actions: string[] };

/** Sends UpdateViewContent. @throws the SDK's service errors. */
async function writeContent(
  ctx: WriteContext,
  viewId: string,
  Status: 'PUBLISHED' | 'SAVED',
  Content: Content,
): Promise<void> {
  await ctx.connect.send(
    new UpdateViewContentCommand({ InstanceId: ctx.instanceId, ViewId: viewId, Status, Content }),
    sendOptions(ctx),
  );
}

const viewsRestore: KindRestore = {
  writeOperations: ['CreateView', 'UpdateViewContent', 'UpdateViewMetadata', 'TagResource', 'UntagResource'],
  // DeleteView exists; mirror does not use it yet (no removal here), so it keeps the target's extra ones.
  keptReason: 'kept: mirror does not remove views yet (connect-vault makes no DeleteView call)',
  nameMember: 'Name',
  state(document) {
    const view = entityOf<View>(document);
    const published = view.Status === 'PUBLISHED' ? inputContent(view.Content) : undefined;
    const saved = (document.related?.saved as { Content?: View['Content'] } | undefined)?.Content;
    return {
      Name: view.Name,
      Description: view.Description,
      Published: published,
      Saved: saved ? inputContent(saved) : inputContent(view.Content),
      Tags: userTags(view.Tags),
    };
  },
  cannotUpdate(changed, _current, desired) {
    if (changed.includes('Published') && desired.Published === undefined) {
      return "the target's view is published and the snapshot's never was: no operation unpublishes a view";
    }
    if (changed.includes('Description') && desired.Description === undefined) {
      return "UpdateViewMetadata cannot clear the target's description (a description is 1 to 4096 characters)";
    }
    return undefined;
  },
  async create(ctx, desired) {
    const name = text(desired, 'Name');
    if (!name) throw new Error('a view needs a name');
    const published = desired.Published as Content | undefined;
    const saved = desired.Saved as Content;
    const description = text(desired, 'Description');
    const { View: view } = await ctx.connect.send(
      new CreateViewCommand({
        InstanceId: ctx.instanceId,
        Name: name,
        ...(description ? { Description: description } : {}),
        Status: published ? 'PUBLISHED' : 'SAVED',
        Content: published ?? saved,
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!view?.Id || !view.Arn) throw new Error('CreateView returned no view id');
    if (published && !sameContent(saved, published)) await writeContent(ctx, view.Id, 'SAVED', saved);
    return { id: view.Id, arn: view.Arn };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    const published = desired.Published as Content | undefined;
    const saved = desired.Saved as Content;
    let savedNow = current?.Saved;
    if (changed.has('Published') && published) {
      await writeContent(ctx, target.id, 'PUBLISHED', published);
      savedNow = published;
    }
    if (!sameContent(saved, savedNow)) await writeContent(ctx, target.id, 'SAVED', saved);
    if (anyChanged(changed, 'Name', 'Description')) {
      const description = text(desired, 'Description');
      await ctx.connect.send(
        new UpdateViewMetadataCommand({
          InstanceId: ctx.instanceId,
          ViewId: target.id,
          ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
          ...(changed.has('Description') && description ? { Description: description } : {}),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const views: ResourceKind<'views'> = {
  name: 'views',
  label: 'view',
  readOperations: ['ListViews', 'DescribeView'],
  read(ctx) {
    const summaries = notStored(ctx, listViews(ctx), (s) => s.Id);
    return mapUnordered(summaries, CONCURRENCY, (s) => readView(ctx, s.Id ?? ''));
  },
  restore: viewsRestore,
};
