/**
 * Views through backup and restore, demo-source into demo-target (another account and Region): the
 * snapshot holds each customer-managed view's published content and its saved content when that
 * differs, and no AWS-managed view; a restore creates them published or saved as they were, with
 * the saved changes beside the published content; overwrite brings both contents, metadata and tags
 * back; and every second run writes nothing.
 */
import {
  type ConnectClient,
  DescribeViewCommand,
  ListViewsCommand,
  UntagResourceCommand,
  UpdateViewContentCommand,
  UpdateViewMetadataCommand,
  type View,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredDocument } from '#shared/kinds/index.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { DEMO_VIEWS } from '../emulator/seeds/demo.js';
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
  ({ emulator, folder, source, target, documents } = await demoKindFixture('views'));
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

const idOf = (alias: string) => instanceNamed(emulator, alias).id;

/** Each customer view of an instance by name: its published and saved views, through the SDK. */
async function viewsOf(client: ConnectClient, alias: string) {
  const InstanceId = idOf(alias);
  const { ViewsSummaryList = [] } = await client.send(
    new ListViewsCommand({ InstanceId, Type: 'CUSTOMER_MANAGED' }),
  );
  const out: Record<string, { published?: View; saved: View }> = {};
  for (const v of ViewsSummaryList) {
    const saved = (await client.send(new DescribeViewCommand({ InstanceId, ViewId: `${v.Id}:$SAVED` })))
      .View!;
    const published =
      v.Status === 'PUBLISHED'
        ? (await client.send(new DescribeViewCommand({ InstanceId, ViewId: v.Id }))).View
        : undefined;
    out[v.Name ?? ''] = { ...(published ? { published } : {}), saved };
  }
  return out;
}

/** What restore brings over, without ids and times. */
const content = (view: { published?: View; saved: View } | undefined) => ({
  Name: view?.saved.Name,
  Description: view?.saved.Description,
  Published: view?.published?.Content,
  Saved: view?.saved.Content,
  Tags: view?.saved.Tags,
});

const restore = (request: Parameters<typeof settledCrossAccountRestore>[2] = {}) =>
  settledCrossAccountRestore(emulator, folder, request);

describe('backing up views', () => {
  it('stores the published content, the saved changes beside it, and no AWS-managed view', async () => {
    const byName = Object.fromEntries(documents.map((d) => [d.name, d]));
    const [callback, refund] = DEMO_VIEWS;

    expect(Object.keys(byName).sort()).toEqual(DEMO_VIEWS.map((v) => v.name).sort());
    expect(byName[callback.name]?.resource).toMatchObject({
      Status: 'PUBLISHED',
      Type: 'CUSTOMER_MANAGED',
      Content: callback.published,
      Tags: { Owner: 'Contact Center Operations' },
    });
    expect(byName[callback.name]?.related).toEqual({
      saved: { Content: callback.saved, ViewContentSha256: expect.any(String) },
    });
    expect(byName[refund.name]?.resource).toMatchObject({ Status: 'SAVED', Content: refund.saved });
    expect(byName[refund.name]?.related).toBeUndefined();
    expect(documents.every((d) => !d.arn.includes(':aws:view/'))).toBe(true);
  });
});

describe('restoring views', () => {
  it('creates the views published or saved as they were, with unpublished changes saved', async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(report.status).toBe('succeeded');
    expect(report.apiCalls.CreateView).toBe(2);
    expect(report.apiCalls.UpdateViewContent).toBe(1);
    const restored = await viewsOf(target, 'demo-target');
    const origin = await viewsOf(source, 'demo-source');
    expect(Object.keys(restored).sort()).toEqual(Object.keys(origin).sort());
    for (const name of Object.keys(origin)) {
      expect(content(restored[name]), name).toEqual(content(origin[name]));
    }
    expect(restored['Refund Approval']?.published).toBeUndefined();
    expect(restored['Callback Details']?.saved.Arn).toContain(`instance/${idOf('demo-target')}/view/`);
  });

  it('writes nothing when run again', async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(report.counts.create + report.counts.update).toBe(0);
    expect(writeOperations(report)).toEqual([]);
  });

  it('brings both contents, the description and tags back in overwrite mode, and then writes nothing', async () => {
    const InstanceId = idOf('demo-target');
    const before = await viewsOf(target, 'demo-target');
    const callback = before['Callback Details']!.saved;
    const refund = before['Refund Approval']!.saved;
    const other = { Template: JSON.stringify({ Head: { Title: 'Other' } }), Actions: ['Close'] };
    await target.send(
      new UpdateViewContentCommand({ InstanceId, ViewId: callback.Id, Status: 'PUBLISHED', Content: other }),
    );
    await target.send(
      new UpdateViewContentCommand({ InstanceId, ViewId: refund.Id, Status: 'SAVED', Content: other }),
    );
    await target.send(
      new UpdateViewMetadataCommand({ InstanceId, ViewId: refund.Id, Description: 'Changed' }),
    );
    await target.send(new UntagResourceCommand({ resourceArn: callback.Arn, tagKeys: ['Owner'] }));

    const report = await restore({ mode: 'overwrite' });
    const again = await restore({ mode: 'overwrite' });

    expect(report.status).toBe('succeeded');
    expect(
      report.entries
        .filter((e) => e.action === 'update')
        .map((e) => [`${e.kind} ${e.name}`, e.changes])
        .sort(),
    ).toEqual([
      ['views Callback Details', ['Published', 'Saved', 'Tags']],
      ['views Refund Approval', ['Description', 'Saved']],
    ]);
    // Callback Details: publish, then save the changes; Refund Approval: save.
    expect(report.apiCalls.UpdateViewContent).toBe(3);
    expect(report.apiCalls.UpdateViewMetadata).toBe(1);
    const after = await viewsOf(target, 'demo-target');
    const origin = await viewsOf(source, 'demo-source');
    for (const name of Object.keys(origin)) {
      expect(content(after[name]), name).toEqual(content(origin[name]));
    }
    expect(again.counts.create + again.counts.update).toBe(0);
    expect(writeOperations(again)).toEqual([]);
  });

  it('is blocked, naming why, when the target published a view the snapshot never published', async () => {
    const InstanceId = idOf('demo-target');
    const refund = (await viewsOf(target, 'demo-target'))['Refund Approval']!.saved;
    await target.send(
      new UpdateViewContentCommand({
        InstanceId,
        ViewId: refund.Id,
        Status: 'PUBLISHED',
        Content: { Template: refund.Content!.Template!, Actions: refund.Content!.Actions! },
      }),
    );

    const report = await restore({ mode: 'overwrite', dryRun: true });

    const entry = report.entries.find((e) => e.kind === 'views' && e.name === 'Refund Approval');
    expect(entry).toMatchObject({ blocked: true, changes: ['Published'] });
    expect(entry?.reason).toContain('no operation unpublishes a view');
  });
});
