/**
 * Evaluation forms through backup and restore, demo-source into demo-target (another account and
 * Region): the snapshot holds each form's active version (and a later draft for the record); a
 * restore creates the forms and activates the version that was active; overwrite brings changed
 * content and activation back; and every second run writes nothing.
 */
import {
  ActivateEvaluationFormCommand,
  type ConnectClient,
  DescribeEvaluationFormCommand,
  type EvaluationForm,
  ListEvaluationFormsCommand,
  UpdateEvaluationFormCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredDocument } from '#shared/kinds/index.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { demoEvaluationForms } from '../emulator/seeds/demo.js';
import {
  demoKindFixture,
  instanceNamed,
  settledCrossAccountRestore,
  stopEmulatorAndFolder,
  type TempFolder,
  writeOperations,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let source: ConnectClient;
let target: ConnectClient;
let documents: StoredDocument[];

beforeAll(async () => {
  ({ emulator, folder, source, target, documents } = await demoKindFixture('evaluation-forms'));
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

const idOf = (alias: string) => instanceNamed(emulator, alias).id;

/** Each form of an instance by title: its active version (else latest) as Describe returns it, read through the SDK. */
async function formsOf(client: ConnectClient, alias: string) {
  const InstanceId = idOf(alias);
  const { EvaluationFormSummaryList = [] } = await client.send(
    new ListEvaluationFormsCommand({ InstanceId }),
  );
  const out: Record<string, { active?: number; latest?: number; form: EvaluationForm }> = {};
  for (const s of EvaluationFormSummaryList) {
    const { EvaluationForm } = await client.send(
      new DescribeEvaluationFormCommand({
        InstanceId,
        EvaluationFormId: s.EvaluationFormId,
        EvaluationFormVersion: s.ActiveVersion ?? s.LatestVersion,
      }),
    );
    out[s.Title ?? ''] = { active: s.ActiveVersion, latest: s.LatestVersion, form: EvaluationForm! };
  }
  return out;
}

/** What restore brings over, without ids, versions and times. */
const content = (form: EvaluationForm | undefined) => ({
  Title: form?.Title,
  Description: form?.Description,
  Items: form?.Items,
  ScoringStrategy: form?.ScoringStrategy,
  Tags: form?.Tags,
  Status: form?.Status,
});

const restore = (request: Parameters<typeof settledCrossAccountRestore>[2] = {}) =>
  settledCrossAccountRestore(emulator, folder, request);

describe('backing up evaluation forms', () => {
  it('stores the active version of each form, a later draft beside it, and the List summary', async () => {
    const byTitle = Object.fromEntries(documents.map((d) => [d.name, d]));
    const quality = byTitle['Customer Service Quality'];
    const sales = byTitle['Sales Call Review'];
    const [qualitySeed, salesSeed] = demoEvaluationForms();

    expect(Object.keys(byTitle).sort()).toEqual(['Customer Service Quality', 'Sales Call Review']);
    expect(quality?.resource).toMatchObject({
      EvaluationFormVersion: 1,
      Status: 'ACTIVE',
      Items: qualitySeed?.items,
    });
    expect(quality?.related?.summary).toEqual({
      LatestVersion: 2,
      ActiveVersion: 1,
      LastModifiedTime: expect.any(String),
    });
    expect(quality?.related?.latestDraft).toMatchObject({
      EvaluationFormVersion: 2,
      Status: 'DRAFT',
      Items: qualitySeed?.draft,
    });
    expect(sales?.resource).toMatchObject({
      EvaluationFormVersion: 1,
      Status: 'DRAFT',
      Items: salesSeed?.items,
    });
    expect(sales?.related?.latestDraft).toBeUndefined();
    const live = await formsOf(source, 'demo-source');
    expect(quality?.id).toBe(live['Customer Service Quality']?.form.EvaluationFormId);
    expect(quality?.arn).toBe(live['Customer Service Quality']?.form.EvaluationFormArn);
  });
});

describe('restoring evaluation forms', () => {
  it('creates the forms, activates the version that was active, and remaps the review recipient', async () => {
    // Overwrite: the target's own defaults (instance attributes, …) are brought to the snapshot's too.
    const report = await restore({ mode: 'overwrite' });

    expect(report.status).toBe('succeeded');
    // One form each, whatever the retries: a form created side by side with the users it names may
    // be retried while they propagate (write-retry.ts).
    expect(report.apiCalls.CreateEvaluationForm).toBeGreaterThanOrEqual(2);
    expect(
      report.entries.filter((e) => e.kind === 'evaluation-forms' && e.outcome === 'created'),
    ).toHaveLength(2);
    expect(emulator.world.instances.get(idOf('demo-target'))?.evaluationForms.all()).toHaveLength(2);
    expect(report.apiCalls.ActivateEvaluationForm).toBeGreaterThanOrEqual(1);
    const forms = await formsOf(target, 'demo-target');
    const origin = await formsOf(source, 'demo-source');
    expect(Object.keys(forms).sort()).toEqual(['Customer Service Quality', 'Sales Call Review']);
    for (const title of Object.keys(origin)) {
      expect(content(forms[title]?.form), title).toEqual(content(origin[title]?.form));
    }
    expect(forms['Customer Service Quality']).toMatchObject({ active: 1, latest: 1 });
    expect(forms['Sales Call Review']?.active).toBeUndefined();
    const recipient =
      forms['Customer Service Quality']?.form.ReviewConfiguration?.ReviewNotificationRecipients?.[0];
    const targetMaya = emulator.world.instances.get(idOf('demo-target'))?.users.findByName('maya.patel')?.id;
    expect(recipient?.Value?.UserId).toBe(targetMaya);
    expect(targetMaya).toBeDefined();
    expect(forms['Customer Service Quality']?.form.EvaluationFormArn).toContain(
      `instance/${idOf('demo-target')}/evaluation-form/`,
    );
  });

  it('writes nothing when run again', async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(
      report.entries
        .filter((e) => e.action === 'update' || e.action === 'create')
        .map((e) => `${e.kind} ${e.name}`),
    ).toEqual([]);
    expect(report.counts.create + report.counts.update).toBe(0);
    expect(writeOperations(report)).toEqual([]);
  });

  it('brings changed content and activation back in overwrite mode, and then writes nothing', async () => {
    const InstanceId = idOf('demo-target');
    const before = await formsOf(target, 'demo-target');
    const quality = before['Customer Service Quality']!.form;
    const sales = before['Sales Call Review']!.form;
    // Quality: a new version with other content, activated. Sales: activated.
    const updated = await target.send(
      new UpdateEvaluationFormCommand({
        InstanceId,
        EvaluationFormId: quality.EvaluationFormId,
        EvaluationFormVersion: 1,
        CreateNewVersion: true,
        Title: 'Customer Service Quality',
        Items: [
          {
            Section: {
              RefId: 'other',
              Title: 'Other',
              Items: [{ Question: { RefId: 'o1', Title: 'Other?', QuestionType: 'TEXT' } }],
            },
          },
        ],
      }),
    );
    await target.send(
      new ActivateEvaluationFormCommand({
        InstanceId,
        EvaluationFormId: quality.EvaluationFormId,
        EvaluationFormVersion: updated.EvaluationFormVersion,
      }),
    );
    await target.send(
      new ActivateEvaluationFormCommand({
        InstanceId,
        EvaluationFormId: sales.EvaluationFormId,
        EvaluationFormVersion: 1,
      }),
    );
    expect(content((await formsOf(target, 'demo-target'))['Customer Service Quality']?.form)).not.toEqual(
      content(quality),
    );

    const report = await restore({ mode: 'overwrite' });
    const again = await restore({ mode: 'overwrite' });

    expect(report.status).toBe('succeeded');
    expect(
      report.entries
        .filter((e) => e.action === 'update')
        .map((e) => `${e.kind} ${e.name}`)
        .sort(),
    ).toEqual(['evaluation-forms Customer Service Quality', 'evaluation-forms Sales Call Review']);
    expect(report.apiCalls.UpdateEvaluationForm).toBe(1);
    expect(report.apiCalls.ActivateEvaluationForm).toBe(1);
    expect(report.apiCalls.DeactivateEvaluationForm).toBe(1);
    const after = await formsOf(target, 'demo-target');
    const origin = await formsOf(source, 'demo-source');
    for (const title of Object.keys(origin)) {
      expect(content(after[title]?.form), title).toEqual(content(origin[title]?.form));
    }
    // The active version is locked: the content went into a new version (3), now the active one.
    expect(after['Customer Service Quality']).toMatchObject({ active: 3, latest: 3 });
    expect(after['Sales Call Review']?.active).toBeUndefined();
    expect(again.counts.create + again.counts.update).toBe(0);
    expect(writeOperations(again)).toEqual([]);
  });

  it('lists every evaluation-form write in a dry run, and writes nothing', async () => {
    const InstanceId = idOf('demo-target');
    const sales = (await formsOf(target, 'demo-target'))['Sales Call Review']!.form;
    await target.send(
      new ActivateEvaluationFormCommand({
        InstanceId,
        EvaluationFormId: sales.EvaluationFormId,
        EvaluationFormVersion: 1,
      }),
    );

    const report = await restore({ mode: 'overwrite', dryRun: true });

    expect(writeOperations(report)).toEqual([]);
    expect(
      report.entries
        .filter((e) => e.kind === 'evaluation-forms' && e.action === 'update')
        .map((e) => [e.name, e.changes]),
    ).toEqual([['Sales Call Review', ['Active']]]);
    expect((await formsOf(target, 'demo-target'))['Sales Call Review']?.active).toBe(1);
  });
});
