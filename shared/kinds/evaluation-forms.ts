/**
 * Evaluation forms: read with ListEvaluationForms, then DescribeEvaluationForm for one version per
 * form; restored with CreateEvaluationForm, UpdateEvaluationForm and ActivateEvaluationForm (or
 * DeactivateEvaluationForm), matched by Title. Rules (a later kind) reference forms by id: the
 * document's id is the EvaluationFormId, so the restore's id mapping remaps them like any other.
 *
 * Which version is stored: a form is versioned (connect-api-facts.md §6). The document's `resource`
 * is the **ACTIVE** version when the form has one, else the latest version (a form never
 * activated). When a later version than the active one exists (a draft in progress), it is stored
 * too, as `related.latestDraft`, for the record: restore does not write it (it restores what
 * evaluations were using, and activates it). `related.summary` holds what ListEvaluationForms
 * returned (LatestVersion, ActiveVersion, LastModifiedTime).
 *
 * No change signal: read in full on every run (one List call per 100 forms, one or two Describe
 * calls per form). ListEvaluationForms' LastModifiedTime, LatestVersion and ActiveVersion would
 * cover content and activation, but not tags (TagResource is not documented to move any of them),
 * and every kind's signal must cover every change. SearchEvaluationForms (which may return tags)
 * could complete such a signal later; it is not used yet.
 *
 * Restore writes the content as one full replacement (UpdateEvaluationForm is a PUT), into the
 * latest version of the target's form when it is not locked, else into a new version
 * (CreateNewVersion); then activates that version if the snapshot's was active, or deactivates the
 * target's active version if the snapshot's form had none, so that a re-run reads back the same
 * state and writes nothing.
 */
import {
  ActivateEvaluationFormCommand,
  CreateEvaluationFormCommand,
  type CreateEvaluationFormRequest,
  DeactivateEvaluationFormCommand,
  DeleteEvaluationFormCommand,
  DescribeEvaluationFormCommand,
  type EvaluationForm,
  type EvaluationFormSummary,
  type EvaluationFormVersionSummary,
  paginateListEvaluationForms,
  paginateListEvaluationFormVersions,
  UpdateEvaluationFormCommand,
} from '@aws-sdk/client-connect';
import { CONCURRENCY, notStored, opts } from './support/describe.js';
import { collect, documentOf, itemsOf, mapUnordered, toPlain } from './support/read.js';
import { deletion } from './support/removal.js';
import {
  anyChanged,
  entityOf,
  sendOptions,
  tagsMember,
  text,
  updateTags,
  userTags,
} from './support/restore.js';
import type {
  DeclaredReference,
  KindRestore,
  ReadContext,
  ResourceKind,
  ResourceState,
  StoredDocument,
  TargetResource,
  WriteContext,
} from './types.js';

/** ListEvaluationForms and ListEvaluationFormVersions pages hold at most 100 items. */
const PAGE = 100;

function listEvaluationForms(ctx: ReadContext) {
  return itemsOf(
    paginateListEvaluationForms(
      { client: ctx.connect, pageSize: PAGE },
      { InstanceId: ctx.instanceId, MaxResults: PAGE },
      opts(ctx),
    ),
    (page) => page.EvaluationFormSummaryList,
  );
}

async function describeVersion(ctx: ReadContext, id: string, version: number | undefined) {
  const { EvaluationForm: form } = await ctx.connect.send(
    new DescribeEvaluationFormCommand({
      InstanceId: ctx.instanceId,
      EvaluationFormId: id,
      ...(version !== undefined ? { EvaluationFormVersion: version } : {}),
    }),
    opts(ctx),
  );
  if (!form) throw new Error(`DescribeEvaluationForm returned nothing for ${id} version ${version}`);
  return form;
}

/**
 * Reads one form: its active version (else its latest), and the latest as `related.latestDraft`
 * when it is later than the active one.
 * @throws the SDK's service errors (DescribeEvaluationForm).
 */
async function describeEvaluationForm(
  ctx: ReadContext,
  s: Partial<EvaluationFormSummary>,
): Promise<StoredDocument> {
  const id = s.EvaluationFormId ?? '';
  const stored = s.ActiveVersion ?? s.LatestVersion;
  const draft = s.ActiveVersion !== undefined && (s.LatestVersion ?? 0) > s.ActiveVersion;
  const [form, latest] = await Promise.all([
    describeVersion(ctx, id, stored),
    draft ? describeVersion(ctx, id, s.LatestVersion) : undefined,
  ]);
  const summary = toPlain({
    LatestVersion: s.LatestVersion,
    ActiveVersion: s.ActiveVersion,
    LastModifiedTime: s.LastModifiedTime,
  });
  return documentOf(
    'evaluation-forms',
    form,
    { id: form.EvaluationFormId, arn: form.EvaluationFormArn, name: form.Title },
    { summary, ...(latest ? { latestDraft: toPlain(latest) } : {}) },
  );
}

/** The content members of a version: what CreateEvaluationForm and UpdateEvaluationForm take. */
const CONTENT = [
  'Title',
  'Description',
  'Items',
  'ScoringStrategy',
  'AutoEvaluationConfiguration',
  'ReviewConfiguration',
  'TargetConfiguration',
  'LanguageConfiguration',
  'AIVersion',
] as const;

type Content = Pick<CreateEvaluationFormRequest, (typeof CONTENT)[number]>;

function contentOf(desired: ResourceState): Content {
  return Object.fromEntries(
    CONTENT.filter((member) => desired[member] !== undefined).map((member) => [member, desired[member]]),
  ) as Content;
}

/**
 * The versions of a target form (ListEvaluationFormVersions): the latest, and the active one.
 * @throws the SDK's service errors; Error when the form has no version.
 */
async function versionsOf(
  ctx: WriteContext,
  target: TargetResource,
): Promise<{ latest: EvaluationFormVersionSummary; active?: EvaluationFormVersionSummary }> {
  const versions = await collect(
    itemsOf(
      paginateListEvaluationFormVersions(
        { client: ctx.connect, pageSize: PAGE },
        { InstanceId: ctx.instanceId, EvaluationFormId: target.id, MaxResults: PAGE },
        sendOptions(ctx),
      ),
      (page) => page.EvaluationFormVersionSummaryList,
    ),
  );
  const latest = versions.reduce<EvaluationFormVersionSummary | undefined>(
    (best, v) => ((v.EvaluationFormVersion ?? 0) > (best?.EvaluationFormVersion ?? 0) ? v : best),
    undefined,
  );
  if (!latest) throw new Error(`ListEvaluationFormVersions returned no version for ${target.id}`);
  const active = versions.find((v) => v.Status === 'ACTIVE');
  return active ? { latest, active } : { latest };
}

/**
 * Makes a version of a target form the active one (ActivateEvaluationForm), or no longer active
 * (DeactivateEvaluationForm).
 * @throws the SDK's service errors.
 */
async function setActive(
  ctx: WriteContext,
  target: TargetResource,
  version: number,
  active: boolean,
): Promise<void> {
  const input = { InstanceId: ctx.instanceId, EvaluationFormId: target.id, EvaluationFormVersion: version };
  await ctx.connect.send(
    active ? new ActivateEvaluationFormCommand(input) : new DeactivateEvaluationFormCommand(input),
    sendOptions(ctx),
  );
}

const evaluationFormsRestore: KindRestore = {
  // Without a version, DeleteEvaluationForm deletes the whole form, every version.
  remove: deletion('DeleteEvaluationForm', (ctx, target) =>
    ctx.connect.send(
      new DeleteEvaluationFormCommand({ InstanceId: ctx.instanceId, EvaluationFormId: target.id }),
      sendOptions(ctx),
    ),
  ),
  writeOperations: [
    'CreateEvaluationForm',
    'UpdateEvaluationForm',
    'ActivateEvaluationForm',
    'DeactivateEvaluationForm',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Title',
  state(document) {
    const form = entityOf<EvaluationForm>(document);
    return {
      ...Object.fromEntries(CONTENT.map((member) => [member, form[member]])),
      Active: form.Status === 'ACTIVE' ? true : undefined,
      Tags: userTags(form.Tags),
    };
  },
  references(state) {
    const review = state.ReviewConfiguration as EvaluationForm['ReviewConfiguration'];
    return (review?.ReviewNotificationRecipients ?? []).flatMap((recipient, i): DeclaredReference[] =>
      recipient.Value?.UserId
        ? [
            {
              member: `ReviewConfiguration.ReviewNotificationRecipients[${i}].Value.UserId`,
              kind: 'users',
              value: recipient.Value.UserId,
            },
          ]
        : [],
    );
  },
  async create(ctx, desired) {
    const title = text(desired, 'Title');
    if (!title) throw new Error('an evaluation form needs a title');
    const created = await ctx.connect.send(
      new CreateEvaluationFormCommand({
        InstanceId: ctx.instanceId,
        ...contentOf(desired),
        Title: title,
        Items: (desired.Items as Content['Items']) ?? [],
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.EvaluationFormId || !created.EvaluationFormArn) {
      throw new Error('CreateEvaluationForm returned no id');
    }
    const target = { id: created.EvaluationFormId, arn: created.EvaluationFormArn };
    // CreateEvaluationForm makes version 1, a draft.
    if (desired.Active === true) await setActive(ctx, target, 1, true);
    return target;
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    if (anyChanged(changed, ...CONTENT, 'Active')) {
      const { latest, active } = await versionsOf(ctx, target);
      let version = latest.EvaluationFormVersion ?? 1;
      if (anyChanged(changed, ...CONTENT)) {
        const updated = await ctx.connect.send(
          new UpdateEvaluationFormCommand({
            InstanceId: ctx.instanceId,
            EvaluationFormId: target.id,
            EvaluationFormVersion: version,
            CreateNewVersion: latest.Locked === true,
            ...contentOf(desired),
            Title: text(desired, 'Title'),
            Items: (desired.Items as Content['Items']) ?? [],
          }),
          sendOptions(ctx),
        );
        version = updated.EvaluationFormVersion ?? version;
      }
      if (desired.Active === true) {
        if (active?.EvaluationFormVersion !== version) await setActive(ctx, target, version, true);
      } else if (active?.EvaluationFormVersion !== undefined) {
        await setActive(ctx, target, active.EvaluationFormVersion, false);
      }
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const evaluationForms: ResourceKind<'evaluation-forms'> = {
  name: 'evaluation-forms',
  label: 'evaluation form',
  readOperations: ['ListEvaluationForms', 'DescribeEvaluationForm', 'ListEvaluationFormVersions'],
  read(ctx) {
    const summaries = notStored(ctx, listEvaluationForms(ctx), (s) => s.EvaluationFormId);
    return mapUnordered(summaries, CONCURRENCY, (summary) => describeEvaluationForm(ctx, summary));
  },
  restore: evaluationFormsRestore,
};
