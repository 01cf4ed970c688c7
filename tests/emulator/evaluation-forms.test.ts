/**
 * The emulator's evaluation forms: versions, activation, and each rule the handlers enforce,
 * through the unmodified SDK client.
 */
import {
  ActivateEvaluationFormCommand,
  CreateEvaluationFormCommand,
  DeactivateEvaluationFormCommand,
  DeleteEvaluationFormCommand,
  DescribeEvaluationFormCommand,
  type EvaluationFormItem,
  ListEvaluationFormsCommand,
  ListEvaluationFormVersionsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateEvaluationFormCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { MAX_QUESTIONS, MAX_SECTIONS } from './handlers/evaluation-forms.js';
import { expectError, type Harness, startWithInstance } from './testing.js';

const question = (RefId: string): EvaluationFormItem => ({
  Question: { RefId, Title: `Question ${RefId}`, QuestionType: 'TEXT' },
});
const section = (RefId: string, Items: EvaluationFormItem[]): EvaluationFormItem => ({
  Section: { RefId, Title: `Section ${RefId}`, Items },
});
const ITEMS = [section('s1', [question('q1'), question('q2')])];

const create = (h: Harness, Title = 'Quality', Items: EvaluationFormItem[] = ITEMS) =>
  h.connect.send(
    new CreateEvaluationFormCommand({
      InstanceId: h.InstanceId,
      Title,
      Items,
      ScoringStrategy: { Mode: 'QUESTION_ONLY', Status: 'ENABLED' },
      Tags: { Owner: 'QA' },
    }),
  );

const update = (
  h: Harness,
  id: string,
  version: number,
  extra: { CreateNewVersion?: boolean; Title?: string; Items?: EvaluationFormItem[] } = {},
) =>
  h.connect.send(
    new UpdateEvaluationFormCommand({
      InstanceId: h.InstanceId,
      EvaluationFormId: id,
      EvaluationFormVersion: version,
      Title: extra.Title ?? 'Quality',
      Items: extra.Items ?? [section('s1', [question('q1')])],
      ...(extra.CreateNewVersion !== undefined ? { CreateNewVersion: extra.CreateNewVersion } : {}),
    }),
  );

const activate = (h: Harness, id: string, version: number) =>
  h.connect.send(
    new ActivateEvaluationFormCommand({
      InstanceId: h.InstanceId,
      EvaluationFormId: id,
      EvaluationFormVersion: version,
    }),
  );

const describeForm = (h: Harness, id: string, version?: number) =>
  h.connect.send(
    new DescribeEvaluationFormCommand({
      InstanceId: h.InstanceId,
      EvaluationFormId: id,
      ...(version !== undefined ? { EvaluationFormVersion: version } : {}),
    }),
  );

describe('evaluation forms', () => {
  it('creates version 1 as a draft, lists it, describes it with its tags', async () => {
    const h = await startWithInstance();
    const created = await create(h);

    const { EvaluationForm } = await describeForm(h, created.EvaluationFormId!);
    const list = await h.connect.send(new ListEvaluationFormsCommand({ InstanceId: h.InstanceId }));

    expect(EvaluationForm).toMatchObject({
      EvaluationFormId: created.EvaluationFormId,
      EvaluationFormArn: `${h.instance.arn}/evaluation-form/${created.EvaluationFormId}`,
      EvaluationFormVersion: 1,
      Status: 'DRAFT',
      Locked: false,
      Title: 'Quality',
      Items: ITEMS,
      ScoringStrategy: { Mode: 'QUESTION_ONLY', Status: 'ENABLED' },
      Tags: { Owner: 'QA' },
    });
    expect(list.EvaluationFormSummaryList).toEqual([
      expect.objectContaining({
        EvaluationFormId: created.EvaluationFormId,
        Title: 'Quality',
        LatestVersion: 1,
      }),
    ]);
    expect(list.EvaluationFormSummaryList?.[0]?.ActiveVersion).toBeUndefined();
  });

  it('activates a version (locked, ACTIVE), then a new version leaves the active one and describes either', async () => {
    const h = await startWithInstance();
    const id = (await create(h)).EvaluationFormId!;
    await activate(h, id, 1);
    const updated = await update(h, id, 1, { CreateNewVersion: true });

    const list = await h.connect.send(new ListEvaluationFormsCommand({ InstanceId: h.InstanceId }));
    const versions = await h.connect.send(
      new ListEvaluationFormVersionsCommand({ InstanceId: h.InstanceId, EvaluationFormId: id }),
    );

    expect(updated.EvaluationFormVersion).toBe(2);
    expect(list.EvaluationFormSummaryList?.[0]).toMatchObject({ LatestVersion: 2, ActiveVersion: 1 });
    expect(
      versions.EvaluationFormVersionSummaryList?.map((v) => [v.EvaluationFormVersion, v.Status, v.Locked]),
    ).toEqual([
      [1, 'ACTIVE', true],
      [2, 'DRAFT', false],
    ]);
    expect((await describeForm(h, id, 1)).EvaluationForm?.Items).toEqual(ITEMS);
    expect((await describeForm(h, id)).EvaluationForm?.Items).toEqual([section('s1', [question('q1')])]);

    await activate(h, id, 2);
    const after = await h.connect.send(
      new ListEvaluationFormVersionsCommand({ InstanceId: h.InstanceId, EvaluationFormId: id }),
    );
    expect(after.EvaluationFormVersionSummaryList?.map((v) => v.Status)).toEqual(['DRAFT', 'ACTIVE']);
  });

  it('rejects an update of a stale version, and of a locked version without CreateNewVersion', async () => {
    const h = await startWithInstance();
    const id = (await create(h)).EvaluationFormId!;
    await update(h, id, 1, { CreateNewVersion: true });

    await expectError(update(h, id, 1, { CreateNewVersion: true }), 'ResourceConflictException', 409);
    await activate(h, id, 2);
    await expectError(update(h, id, 2), 'ResourceConflictException', 409);
    expect((await update(h, id, 2, { CreateNewVersion: true })).EvaluationFormVersion).toBe(3);
    await expectError(describeForm(h, id, 4), 'ResourceNotFoundException', 404);
  });

  it('updates an unlocked draft in place', async () => {
    const h = await startWithInstance();
    const id = (await create(h)).EvaluationFormId!;
    expect((await update(h, id, 1, { Title: 'Quality v2' })).EvaluationFormVersion).toBe(1);
    expect((await describeForm(h, id)).EvaluationForm).toMatchObject({
      Title: 'Quality v2',
      EvaluationFormVersion: 1,
      Items: [section('s1', [question('q1')])],
    });
  });

  it('keeps titles unique (ResourceConflictException), on create and on update', async () => {
    const h = await startWithInstance();
    await create(h, 'Quality');
    const other = (await create(h, 'Sales')).EvaluationFormId!;
    await expectError(create(h, 'Quality'), 'ResourceConflictException', 409);
    await expectError(update(h, other, 1, { Title: 'Quality' }), 'ResourceConflictException', 409);
  });

  it('rejects items that break the rules: union, nesting, unique RefIds, at most 100 sections and questions', async () => {
    const h = await startWithInstance();
    const bad = (items: EvaluationFormItem[]) =>
      expectError(create(h, 'Bad', items), 'InvalidParameterException', 400);

    await bad([
      {
        Section: { RefId: 's', Title: 'S', Items: [] },
        Question: { RefId: 'q', Title: 'Q', QuestionType: 'TEXT' },
      } as unknown as EvaluationFormItem,
    ]);
    await bad([{} as EvaluationFormItem]);
    await bad([question('q-top')]);
    await bad([section('dup', [question('dup')])]);
    await bad([section('s1', [question('q1')]), section('s2', [question('q1')])]);
    await bad(Array.from({ length: MAX_SECTIONS + 1 }, (_, i) => section(`s${i}`, [])));
    await bad([
      section(
        's',
        Array.from({ length: MAX_QUESTIONS + 1 }, (_, i) => question(`q${i}`)),
      ),
    ]);
    // At the limits it is fine.
    await create(h, 'Limits', [
      ...Array.from({ length: MAX_SECTIONS - 1 }, (_, i) => section(`s${i}`, [])),
      section(
        'last',
        Array.from({ length: MAX_QUESTIONS }, (_, i) => question(`q${i}`)),
      ),
    ]);
  });

  it('checks required members from the model (Title, Items, a question type, a section title)', async () => {
    const h = await startWithInstance();
    await expectError(
      h.connect.send(new CreateEvaluationFormCommand({ InstanceId: h.InstanceId, Title: 'X' } as never)),
      'InvalidParameterException',
      400,
    );
    await expectError(
      create(h, 'X', [{ Section: { RefId: 's', Items: [] } } as unknown as EvaluationFormItem]),
      'InvalidParameterException',
      400,
    );
    await expectError(
      create(h, 'X', [
        section('s', [{ Question: { RefId: 'q', Title: 'Q' } } as unknown as EvaluationFormItem]),
      ]),
      'InvalidParameterException',
      400,
    );
  });

  it('activates and deactivates only what makes sense (409), and 404s an unknown version', async () => {
    const h = await startWithInstance();
    const id = (await create(h)).EvaluationFormId!;
    const deactivate = (version: number) =>
      h.connect.send(
        new DeactivateEvaluationFormCommand({
          InstanceId: h.InstanceId,
          EvaluationFormId: id,
          EvaluationFormVersion: version,
        }),
      );
    await expectError(deactivate(1), 'ResourceConflictException', 409);
    await expectError(activate(h, id, 2), 'ResourceNotFoundException', 404);
    await activate(h, id, 1);
    await expectError(activate(h, id, 1), 'ResourceConflictException', 409);
    await deactivate(1);
    const { EvaluationForm } = await describeForm(h, id, 1);
    expect(EvaluationForm).toMatchObject({ Status: 'DRAFT', Locked: true });
    const list = await h.connect.send(new ListEvaluationFormsCommand({ InstanceId: h.InstanceId }));
    expect(list.EvaluationFormSummaryList?.[0]?.ActiveVersion).toBeUndefined();
  });

  it('deletes a version (not the active one) or the whole form', async () => {
    const h = await startWithInstance();
    const id = (await create(h)).EvaluationFormId!;
    await activate(h, id, 1);
    await update(h, id, 1, { CreateNewVersion: true });
    const remove = (version?: number) =>
      h.connect.send(
        new DeleteEvaluationFormCommand({
          InstanceId: h.InstanceId,
          EvaluationFormId: id,
          ...(version !== undefined ? { EvaluationFormVersion: version } : {}),
        }),
      );
    await expectError(remove(1), 'ResourceConflictException', 409);
    await remove(2);
    expect((await describeForm(h, id)).EvaluationForm?.EvaluationFormVersion).toBe(1);
    await remove();
    await expectError(describeForm(h, id), 'ResourceNotFoundException', 404);
  });

  it('tags a form by its ARN; TagResource moves no LastModifiedTime', async () => {
    const h = await startWithInstance();
    const created = await create(h);
    const before = (await h.connect.send(new ListEvaluationFormsCommand({ InstanceId: h.InstanceId })))
      .EvaluationFormSummaryList?.[0]?.LastModifiedTime;
    await h.connect.send(
      new TagResourceCommand({ resourceArn: created.EvaluationFormArn, tags: { Team: 'A' } }),
    );
    const { tags } = await h.connect.send(
      new ListTagsForResourceCommand({ resourceArn: created.EvaluationFormArn }),
    );
    const after = (await h.connect.send(new ListEvaluationFormsCommand({ InstanceId: h.InstanceId })))
      .EvaluationFormSummaryList?.[0]?.LastModifiedTime;
    expect(tags).toEqual({ Owner: 'QA', Team: 'A' });
    expect(after).toEqual(before);
  });
});
