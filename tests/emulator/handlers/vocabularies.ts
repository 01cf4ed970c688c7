/**
 * Custom vocabularies (Contact Lens): SearchVocabularies, DescribeVocabulary, CreateVocabulary,
 * DeleteVocabulary.
 *
 * The API model's rules (connect-2017-08-08.normal.json), checked by the model validation before a
 * handler runs: VocabularyName 1..140 `^[0-9a-zA-Z._-]+`, Content 1..60000, LanguageCode one of
 * the enum, Search pages at most 100. There is no List and no Update operation
 * (connect-api-facts.md, "Vocabularies"): a vocabulary cannot be changed once created.
 *
 * Rules from the docs: names are unique per instance (ResourceConflictException, the error
 * CreateVocabulary lists: connect-api-facts.md §"Name uniqueness"); creation is asynchronous
 * (connect-api-facts.md: CREATION_IN_PROGRESS → ACTIVE | CREATION_FAILED): CreateVocabulary answers
 * CREATION_IN_PROGRESS and the vocabulary becomes ACTIVE, or CREATION_FAILED with a FailureReason,
 * `World.vocabularyBuildMs` later; deletion too (DELETE_IN_PROGRESS, then gone, its name taken until
 * then). SearchVocabularies answers `VocabularySummary` (no Content, no Tags), filtered by State,
 * NameStartsWith and LanguageCode; DescribeVocabulary the whole `Vocabulary` with Content and Tags.
 *
 * Choices where the real service's behaviour is undocumented:
 * - The build fails (CREATION_FAILED) when the content is not a table as the docs describe it: a
 *   header row of TAB-separated columns among Phrase, IPA, SoundsLike, DisplayAs, with Phrase, and
 *   rows with a phrase each. The FailureReason text is the emulator's.
 * - No quota on vocabularies per instance, and no default vocabularies
 *   (AssociateDefaultVocabulary), are modelled.
 * - DeleteVocabulary of a vocabulary still being built or deleted is a ResourceInUseException.
 */
import type {
  CreateVocabularyRequest,
  CreateVocabularyResponse,
  DeleteVocabularyRequest,
  DeleteVocabularyResponse,
  DescribeVocabularyRequest,
  DescribeVocabularyResponse,
  SearchVocabulariesRequest,
  SearchVocabulariesResponse,
  VocabularySummary,
} from '@aws-sdk/client-connect';
import { ConnectError, inUse } from '../errors.js';
import type { InstanceState, VocabularyRecord, World } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, tagsOf } from './context.js';

const PAGE_MAX = 100;
/** The columns a vocabulary table may have (the CreateVocabulary docs). */
const COLUMNS = ['Phrase', 'IPA', 'SoundsLike', 'DisplayAs'];

/** Why a vocabulary's content does not build, or undefined when it does. */
export function contentProblem(content: string): string | undefined {
  const [header = '', ...rows] = content.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = header.split('\t').map((c) => c.trim());
  const unknown = columns.filter((c) => !COLUMNS.includes(c));
  if (unknown.length || !columns.includes('Phrase'))
    return `The vocabulary table's header must hold TAB-separated columns among ${COLUMNS.join(', ')}, with Phrase; found: ${header}`;
  const phrase = columns.indexOf('Phrase');
  const empty = rows.findIndex((row) => !(row.split('\t')[phrase] ?? '').trim());
  if (empty >= 0) return `Row ${empty + 2} of the vocabulary table has no Phrase.`;
  if (!rows.length) return 'The vocabulary table has no rows.';
  return undefined;
}

/** Brings asynchronous builds and deletions that are due to their end state. */
function settle(world: World, instance: InstanceState): void {
  const now = world.clock.now().getTime();
  for (const record of instance.vocabularies.all()) {
    if (!record.readyAt || record.readyAt.getTime() > now) continue;
    const { entity } = record;
    delete record.readyAt;
    if (entity.State === 'DELETE_IN_PROGRESS') {
      instance.vocabularies.remove(record);
      continue;
    }
    entity.State = record.failure ? 'CREATION_FAILED' : 'ACTIVE';
    if (record.failure) entity.FailureReason = record.failure;
    entity.LastModifiedTime = world.tick();
  }
}

function summary(record: VocabularyRecord): VocabularySummary {
  const { Name, Id, Arn, LanguageCode, State, LastModifiedTime, FailureReason } = record.entity;
  return { Name, Id, Arn, LanguageCode, State, LastModifiedTime, FailureReason };
}

/** Handlers of the vocabulary operations (see the module comment for the rules). */
export const vocabularyHandlers: HandlerTable = {
  SearchVocabularies(ctx: RequestContext, input: SearchVocabulariesRequest): SearchVocabulariesResponse {
    const instance = ctx.instance(input.InstanceId!);
    settle(ctx.world, instance);
    const matches = instance.vocabularies
      .searchable()
      .filter((r) => input.State === undefined || r.entity.State === input.State)
      .filter((r) => input.LanguageCode === undefined || r.entity.LanguageCode === input.LanguageCode)
      .filter((r) => input.NameStartsWith === undefined || r.name.startsWith(input.NameStartsWith));
    const { page, NextToken } = paginate(
      matches.map(summary),
      input,
      `SearchVocabularies/${instance.id}/${input.State}/${input.LanguageCode}/${input.NameStartsWith}`,
      PAGE_MAX,
    );
    return { VocabularySummaryList: structuredClone(page), NextToken };
  },

  DescribeVocabulary(ctx: RequestContext, input: DescribeVocabularyRequest): DescribeVocabularyResponse {
    const instance = ctx.instance(input.InstanceId!);
    settle(ctx.world, instance);
    return { Vocabulary: structuredClone(instance.vocabularies.require(input.VocabularyId!).entity) };
  },

  /** CreateVocabulary: a unique name (409); the build finishes `vocabularyBuildMs` later. */
  CreateVocabulary(ctx: RequestContext, input: CreateVocabularyRequest): CreateVocabularyResponse {
    const instance = ctx.instance(input.InstanceId!);
    settle(ctx.world, instance);
    const name = input.VocabularyName!;
    if (instance.vocabularies.findByName(name)) {
      throw new ConnectError(
        'ResourceConflictException',
        `A resource already has that name: vocabulary ${name}`,
      );
    }
    const id = ctx.world.newId();
    const arn = instance.arnFor('vocabulary', id);
    const now = ctx.world.tick();
    const failure = contentProblem(input.Content!);
    instance.vocabularies.add({
      id,
      arn,
      name,
      readyAt: new Date(ctx.world.clock.now().getTime() + ctx.world.vocabularyBuildMs),
      ...(failure ? { failure } : {}),
      entity: {
        Name: name,
        Id: id,
        Arn: arn,
        LanguageCode: input.LanguageCode,
        State: 'CREATION_IN_PROGRESS',
        LastModifiedTime: now,
        Content: input.Content,
        Tags: tagsOf(input.Tags),
      },
    });
    settle(ctx.world, instance);
    return { VocabularyArn: arn, VocabularyId: id, State: 'CREATION_IN_PROGRESS' };
  },

  /** DeleteVocabulary: asynchronous too; not while a build or a deletion is in progress (409). */
  DeleteVocabulary(ctx: RequestContext, input: DeleteVocabularyRequest): DeleteVocabularyResponse {
    const instance = ctx.instance(input.InstanceId!);
    settle(ctx.world, instance);
    const record = instance.vocabularies.require(input.VocabularyId!);
    const state = record.entity.State;
    if (state === 'CREATION_IN_PROGRESS' || state === 'DELETE_IN_PROGRESS')
      throw inUse('Vocabulary', record.id, `its ${state.toLowerCase().replaceAll('_', ' ')}`);
    record.entity.State = 'DELETE_IN_PROGRESS';
    record.entity.LastModifiedTime = ctx.world.tick();
    record.readyAt = new Date(ctx.world.clock.now().getTime() + ctx.world.vocabularyBuildMs);
    settle(ctx.world, instance);
    return { VocabularyArn: record.arn, VocabularyId: record.id, State: 'DELETE_IN_PROGRESS' };
  },
};
