/**
 * The emulator's custom vocabularies: the asynchronous build, and each rule the handlers enforce,
 * through the unmodified SDK client.
 */
import {
  CreateVocabularyCommand,
  DeleteVocabularyCommand,
  DescribeVocabularyCommand,
  SearchVocabulariesCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { contentProblem } from './handlers/vocabularies.js';
import { expectError, type Harness, startWithInstance } from './testing.js';

const CONTENT = 'Phrase\tIPA\tSoundsLike\tDisplayAs\nAnyCompany\t\t\tAnyCompany\n';

const create = (h: Harness, VocabularyName = 'Products', Content = CONTENT) =>
  h.connect.send(
    new CreateVocabularyCommand({
      InstanceId: h.InstanceId,
      VocabularyName,
      LanguageCode: 'en-US',
      Content,
      Tags: { Team: 'QA' },
    }),
  );
const describeIt = (h: Harness, VocabularyId: string | undefined) =>
  h.connect.send(new DescribeVocabularyCommand({ InstanceId: h.InstanceId, VocabularyId }));
/** Moves the emulator's clock past every build in progress. */
const finishBuilds = (h: Harness) => {
  for (const record of h.instance.vocabularies.all()) if (record.readyAt) record.readyAt = new Date(0);
};

describe('vocabularies', () => {
  it('creates a vocabulary CREATION_IN_PROGRESS, ACTIVE only once its build is over', async () => {
    const h = await startWithInstance({ emulator: { vocabularyBuildMs: 60_000 } });
    const created = await create(h);

    const building = await describeIt(h, created.VocabularyId);
    finishBuilds(h);
    const built = await describeIt(h, created.VocabularyId);

    expect(created.State).toBe('CREATION_IN_PROGRESS');
    expect(created.VocabularyArn).toBe(`${h.instance.arn}/vocabulary/${created.VocabularyId}`);
    expect(building.Vocabulary?.State).toBe('CREATION_IN_PROGRESS');
    expect(built.Vocabulary).toMatchObject({
      Name: 'Products',
      LanguageCode: 'en-US',
      State: 'ACTIVE',
      Content: CONTENT,
      Tags: { Team: 'QA' },
    });
    expect(built.Vocabulary?.LastModifiedTime?.getTime()).toBeGreaterThan(
      building.Vocabulary?.LastModifiedTime?.getTime() ?? 0,
    );
  });

  it('fails the build of content that is not a vocabulary table, with a reason', async () => {
    const h = await startWithInstance({ emulator: { vocabularyBuildMs: 0 } });
    const created = await create(h, 'Broken', 'Word\nAnyCompany\n');

    const { Vocabulary } = await describeIt(h, created.VocabularyId);

    expect(created.State).toBe('CREATION_IN_PROGRESS');
    expect(Vocabulary?.State).toBe('CREATION_FAILED');
    expect(Vocabulary?.FailureReason).toContain('Phrase');
    expect(contentProblem('Phrase\n\n')).toBe('The vocabulary table has no rows.');
    expect(contentProblem('Phrase\tDisplayAs\nA\tB\n\tC\n')).toContain('Row 3');
  });

  it('searches summaries without content or tags, by state, language and name prefix', async () => {
    const h = await startWithInstance({ emulator: { vocabularyBuildMs: 60_000 } });
    await create(h, 'Products');
    finishBuilds(h);
    await create(h, 'Product-Codes');
    const search = (extra: Record<string, string> = {}) =>
      h.connect.send(new SearchVocabulariesCommand({ InstanceId: h.InstanceId, ...extra }));

    const every = await search();
    const active = await search({ State: 'ACTIVE' });
    const british = await search({ LanguageCode: 'en-GB' });
    const codes = await search({ NameStartsWith: 'Product-' });

    expect(every.VocabularySummaryList?.map((v) => v.Name)).toEqual(['Products', 'Product-Codes']);
    expect(every.VocabularySummaryList?.[0]).not.toHaveProperty('Content');
    expect(every.VocabularySummaryList?.[0]).not.toHaveProperty('Tags');
    expect(active.VocabularySummaryList?.map((v) => v.Name)).toEqual(['Products']);
    expect(british.VocabularySummaryList).toEqual([]);
    expect(codes.VocabularySummaryList?.map((v) => v.Name)).toEqual(['Product-Codes']);
  });

  it('refuses a name taken (ResourceConflictException), also while its deletion is in progress, and a bad name (model pattern)', async () => {
    const h = await startWithInstance({ emulator: { vocabularyBuildMs: 60_000 } });
    const created = await create(h);

    await expectError(create(h), 'ResourceConflictException', 409);
    // Deleting one still being built is refused; once built, deletion is asynchronous too.
    await expectError(
      h.connect.send(
        new DeleteVocabularyCommand({ InstanceId: h.InstanceId, VocabularyId: created.VocabularyId }),
      ),
      'ResourceInUseException',
      409,
    );
    finishBuilds(h);
    const deleted = await h.connect.send(
      new DeleteVocabularyCommand({ InstanceId: h.InstanceId, VocabularyId: created.VocabularyId }),
    );
    expect(deleted.State).toBe('DELETE_IN_PROGRESS');
    await expectError(create(h), 'ResourceConflictException', 409);
    finishBuilds(h);
    await expectError(describeIt(h, created.VocabularyId), 'ResourceNotFoundException', 404);
    await expect(create(h)).resolves.toMatchObject({ State: 'CREATION_IN_PROGRESS' });
    // The model's pattern `^[0-9a-zA-Z._-]+` is anchored at the start only.
    await expectError(create(h, ' Products'), 'InvalidParameterException', 400);
  });
});
