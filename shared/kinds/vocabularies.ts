/**
 * Custom vocabularies (Contact Lens): the words and phrases transcription should recognise.
 *
 * Read with SearchVocabularies (their only lister, 100 per page), then DescribeVocabulary per
 * vocabulary, as the summary has neither Content nor Tags. The document is the `Vocabulary`
 * DescribeVocabulary answers.
 *
 * No change signal: SearchVocabularies' LastModifiedTime would cover content and state, but not
 * tags, and every kind's signal must cover every change; so every run reads them in full (one
 * Search call per 100, one Describe each).
 *
 * Restore, matched by name: a missing vocabulary is created (CreateVocabulary, in the main phase);
 * Connect builds it asynchronously (CREATION_IN_PROGRESS, then ACTIVE or CREATION_FAILED), so in the
 * content phase, once every other kind is written, restore waits for it to be ACTIVE, polling
 * DescribeVocabulary within a bound ({@link vocabularyWaitMs}). A vocabulary still building at the
 * bound is a failed entry saying what to do: the next restore finds it by name and waits again
 * (also in mode create-missing), without creating it twice; one whose build failed is a failed
 * entry with Connect's FailureReason.
 *
 * A vocabulary is immutable: the API has CreateVocabulary and DeleteVocabulary but no update
 * (connect-api-facts.md, "Vocabularies"). So when the target's vocabulary of the same name has
 * other content or another language, restore does **not** delete and re-create it: DeleteVocabulary
 * is asynchronous (the name stays taken while DELETE_IN_PROGRESS, so the create would conflict), it
 * gives the vocabulary a new id, drops it as the default vocabulary of its language, and leaves
 * Contact Lens without it until the new one is built. The entry is reported instead, saying how to
 * do it by hand. Tags are the one thing restore updates (TagResource, UntagResource).
 */
import {
  CreateVocabularyCommand,
  DescribeVocabularyCommand,
  paginateSearchVocabularies,
  type Vocabulary,
  type VocabularyLanguageCode,
  type VocabularySummary,
} from '@aws-sdk/client-connect';
import { CONCURRENCY, notStored, opts } from './support/describe.js';
import { documentOf, itemsOf, mapUnordered } from './support/read.js';
import { entityOf, sendOptions, tagsMember, text, updateTags, userTags } from './support/restore.js';
import type {
  KindRestore,
  ReadContext,
  ResourceKind,
  StoredDocument,
  TargetResource,
  WriteContext,
} from './types.js';

/** SearchVocabularies pages hold at most 100 vocabularies. */
const PAGE = 100;

/** Default bound on waiting for one vocabulary to be ACTIVE, in seconds. */
export const DEFAULT_VOCABULARY_WAIT_SECONDS = 300;

/**
 * How long restore waits for one vocabulary to become ACTIVE, in ms: the environment variable
 * `CONNECT_VAULT_VOCABULARY_WAIT_SECONDS` (a positive number of seconds), else
 * {@link DEFAULT_VOCABULARY_WAIT_SECONDS}.
 * @throws Error when the variable is set to anything but a positive number.
 */
export function vocabularyWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CONNECT_VAULT_VOCABULARY_WAIT_SECONDS;
  if (raw === undefined || raw === '') return DEFAULT_VOCABULARY_WAIT_SECONDS * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(
      `CONNECT_VAULT_VOCABULARY_WAIT_SECONDS must be a positive number of seconds, not "${raw}"`,
    );
  return seconds * 1000;
}

/** First and longest pause between two DescribeVocabulary polls, in ms (doubling in between). */
const FIRST_POLL_MS = 100;
const LONGEST_POLL_MS = 5000;

function searchVocabularies(ctx: ReadContext): AsyncIterable<VocabularySummary> {
  return itemsOf(
    paginateSearchVocabularies(
      { client: ctx.connect, pageSize: PAGE },
      { InstanceId: ctx.instanceId, MaxResults: PAGE },
      opts(ctx),
    ),
    (page) => page.VocabularySummaryList,
  );
}

/** @throws the SDK's service errors (DescribeVocabulary). */
async function describeVocabulary(ctx: ReadContext, id: string | undefined): Promise<StoredDocument> {
  const { Vocabulary: vocabulary } = await ctx.connect.send(
    new DescribeVocabularyCommand({ InstanceId: ctx.instanceId, VocabularyId: id }),
    opts(ctx),
  );
  if (!vocabulary) throw new Error(`DescribeVocabulary returned nothing for ${id}`);
  return documentOf('vocabularies', vocabulary, {
    id: vocabulary.Id,
    arn: vocabulary.Arn,
    name: vocabulary.Name,
  });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Waits until a target vocabulary is ACTIVE (DescribeVocabulary, polled with a doubling pause).
 * @throws Error when it failed to build (with Connect's FailureReason), is being deleted, or is
 *   still building after {@link vocabularyWaitMs}: each message says what to do.
 */
async function waitUntilActive(ctx: WriteContext, target: TargetResource, name: string): Promise<void> {
  const bound = vocabularyWaitMs();
  const started = Date.now();
  for (let pause = FIRST_POLL_MS; ; pause = Math.min(pause * 2, LONGEST_POLL_MS)) {
    const { Vocabulary: vocabulary } = await ctx.connect.send(
      new DescribeVocabularyCommand({ InstanceId: ctx.instanceId, VocabularyId: target.id }),
      sendOptions(ctx),
    );
    const state = vocabulary?.State;
    if (state === 'ACTIVE') return;
    if (state === 'CREATION_FAILED')
      throw new Error(
        `vocabulary ${name} failed to build in the target: ${vocabulary?.FailureReason ?? 'no reason given'}; delete it there (DeleteVocabulary), fix its content, and restore again`,
      );
    if (state === 'DELETE_IN_PROGRESS')
      throw new Error(`vocabulary ${name} is being deleted in the target; restore again once it is gone`);
    const waited = Date.now() - started;
    if (waited >= bound)
      throw new Error(
        `vocabulary ${name} is still ${state ?? 'not ACTIVE'} after ${Math.round(waited / 1000)} s: Connect builds vocabularies asynchronously. Restore again later: it finds the vocabulary by name and waits again without creating it twice (or raise CONNECT_VAULT_VOCABULARY_WAIT_SECONDS)`,
      );
    await sleep(Math.min(pause, bound - waited), ctx.signal);
  }
}

/** What to do about a vocabulary that differs and cannot be changed. */
const IMMUTABLE =
  "a vocabulary cannot be changed in Connect (there is no update operation); restore does not delete it, as that would give it a new id and drop it as its language's default until rebuilt. To replace it: delete it in the target (DeleteVocabulary or the console), wait until it is gone, and restore again; or restore it beside it under another name with mappings.names";

const vocabulariesRestore: KindRestore = {
  writeOperations: ['CreateVocabulary', 'TagResource', 'UntagResource'],
  // DeleteVocabulary exists; mirror does not use it yet (no removal here), so it keeps the target's extra ones.
  keptReason: 'kept: mirror does not remove vocabularies yet (connect-vault makes no DeleteVocabulary call)',
  nameMember: 'VocabularyName',
  // Waiting for the build comes last, once every other kind is written.
  phases: { State: 'content' },
  state(document) {
    const vocabulary = entityOf<Vocabulary>(document);
    return {
      VocabularyName: vocabulary.Name,
      LanguageCode: vocabulary.LanguageCode,
      Content: vocabulary.Content,
      Tags: userTags(vocabulary.Tags),
      // Restore waits for a created vocabulary to be ACTIVE (the content phase).
      State: vocabulary.State,
    };
  },
  comparable(current, desired) {
    // A vocabulary the snapshot caught while it was being built is built when the target's is ACTIVE.
    return desired.State === 'CREATION_IN_PROGRESS' && current.State === 'ACTIVE'
      ? { ...current, State: 'CREATION_IN_PROGRESS' }
      : current;
  },
  cannotCreate(source) {
    const vocabulary = entityOf<Vocabulary>(source);
    if (vocabulary.State === 'CREATION_FAILED')
      return `it had failed to build in the source (${vocabulary.FailureReason ?? 'no reason given'}): it would fail again; fix its content in the source and back up again`;
    if (vocabulary.State === 'DELETE_IN_PROGRESS') return 'it was being deleted when the snapshot was taken';
    return undefined;
  },
  // A target vocabulary still building (a restore that timed out) is waited for, in any mode.
  isBlank: (current) => current.State === 'CREATION_IN_PROGRESS',
  cannotUpdate(changed, current) {
    if (changed.includes('Content') || changed.includes('LanguageCode')) return IMMUTABLE;
    if (changed.includes('State') && current.State !== 'CREATION_IN_PROGRESS')
      return `it is ${String(current.State)} in the target; ${IMMUTABLE}`;
    return undefined;
  },
  async create(ctx, desired) {
    const created = await ctx.connect.send(
      new CreateVocabularyCommand({
        InstanceId: ctx.instanceId,
        VocabularyName: text(desired, 'VocabularyName'),
        LanguageCode: text(desired, 'LanguageCode') as VocabularyLanguageCode | undefined,
        Content: text(desired, 'Content'),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.VocabularyId || !created.VocabularyArn) throw new Error('CreateVocabulary returned no id');
    return { id: created.VocabularyId, arn: created.VocabularyArn };
  },
  async update(ctx, phase, target, { current, desired, changed }) {
    if (phase === 'content') {
      if (changed.has('State'))
        await waitUntilActive(ctx, target, text(desired, 'VocabularyName') ?? target.id);
      return;
    }
    // A target still building is filled in (isBlank) without cannotUpdate: it may differ too.
    if (current && (changed.has('Content') || changed.has('LanguageCode')))
      throw new Error(
        `vocabulary ${text(desired, 'VocabularyName') ?? target.id} differs from the snapshot: ${IMMUTABLE}`,
      );
    // A vocabulary created by this restore got its tags from CreateVocabulary.
    if (current && changed.has('Tags')) await updateTags(ctx, target, current.Tags, desired.Tags);
  },
};

export const vocabularies: ResourceKind<'vocabularies'> = {
  name: 'vocabularies',
  label: 'vocabulary',
  readOperations: ['SearchVocabularies', 'DescribeVocabulary'],
  read(ctx) {
    const found = notStored(ctx, searchVocabularies(ctx), (v) => v.Id);
    return mapUnordered(found, CONCURRENCY, (summary) => describeVocabulary(ctx, summary.Id));
  },
  restore: vocabulariesRestore,
};
