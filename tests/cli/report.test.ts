/**
 * `connect-vault report`: a snapshot's static HTML page, rendered in a real headless Chromium
 * (Debian's /usr/bin/chromium through playwright-core, one launch for the file): its numbers are
 * the manifest's, the flow graph has a node per flow, names are text (never markup), and the page
 * asks for nothing. Bad input exits 2 having written nothing; a damaged snapshot is reported, exit 1.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KIND_NAMES } from '#shared/kinds/index.js';
import { renderSnapshotReport } from '#shared/report/snapshot-report.js';
import { type Manifest, snapshotObjectKey } from '#shared/snapshot/format.js';
import { readVerifiedManifest } from '#shared/snapshot/verify.js';
import { connectCall } from '../backup/incremental-support.js';
import type { ConnectEmulator, SeededInstance } from '../emulator/index.js';
import {
  backupOf,
  emulatorClient,
  instanceNamed,
  runBackup,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from '../restore/support.js';
import { runCli } from '../support/cli.js';

const CHROMIUM = '/usr/bin/chromium';
/** Where the screenshot goes (git-ignored): a person can look at the page a test rendered. */
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
/** A name that is markup if anything forgets to escape it: a script, and an image that would load. */
const HOSTILE = '<script>window.pwned = 1</script><img src="https://example.invalid/x.png"> & Co';
const RENAMED_FLOW = 'Escalation <b>Transfer</b> & "more"';

let emulator: ConnectEmulator;
let folder: TempFolder;
let source: SeededInstance;
let first: string;
let second: string;
let manifest: Manifest;
let page: string;

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  source = instanceNamed(emulator, 'demo-source');
  first = await backupOf(emulator, source, folder.store, '');
  // Between the two snapshots: a queue with a hostile name, and a flow renamed.
  const hours = emulator.world.instances.get(source.id)?.hoursOfOperations.all()[0];
  await connectCall(emulator, source, 'CreateQueue', { Name: HOSTILE, HoursOfOperationId: hours?.id });
  const flow = emulator.world.instances
    .get(source.id)
    ?.flows.all()
    .find((f) => f.name === 'Escalation Transfer');
  await connectCall(emulator, source, 'UpdateContactFlowName', {
    ContactFlowId: flow?.id,
    Name: RENAMED_FLOW,
  });
  emulator.propagation.settle();
  second = await backupOf(emulator, source, folder.store, '');
  manifest = await readVerifiedManifest(folder.store, '', source.id, second);
  page = join(folder.root, 'report.html');
}, 120_000);

afterAll(async () => {
  await stopEmulatorAndFolder(emulator, folder);
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const report = (...args: string[]) =>
  runCli('report', '--from', folder.root, '--instance-id', source.id, ...args);

describe('connect-vault report', () => {
  it('writes the latest snapshot as one page, compared with the snapshot before it', async () => {
    const result = await report('--out', page);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^wrote .*report.html: snapshot ${second}, intact, 3 change\\(s\\) since ${first}`),
    );
    const html = await readFile(page, 'utf8');
    // Same bytes as the function a backup calls (no clock in the page).
    expect(html).toBe(await renderSnapshotReport(folder.store, '', source.id, second));
    // Names are text: the hostile name never appears as markup, anywhere.
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain(
      '&lt;script&gt;window.pwned = 1&lt;/script&gt;&lt;img src=&quot;https://example.invalid/x.png&quot;&gt; &amp; Co',
    );
    // No external asset of any kind.
    expect(html).not.toMatch(/\s(src|href)="/);
    expect(html).not.toMatch(/url\((?!#arrow\))/);
  });

  it('renders for a backup: the snapshot to compare with given, a graph too large left out', async () => {
    const given = await renderSnapshotReport(folder.store, '', source.id, second, {
      previousSnapshotId: first,
    });
    expect(given).toBe(await renderSnapshotReport(folder.store, '', source.id, second));
    const small = await renderSnapshotReport(folder.store, '', source.id, second, { maxGraphNodes: 10 });
    const nodes =
      (manifest.counts.flows ?? 0) + (manifest.counts['flow-modules'] ?? 0) + (manifest.counts.queues ?? 0);
    expect(small).toContain(
      `Not drawn: ${nodes} flows, flow modules and queues are more than one picture shows legibly (at most 10).`,
    );
    expect(small).not.toContain('<svg');
  });

  it('reports the first snapshot with nothing to compare with', async () => {
    const out = join(folder.root, 'first.html');
    const result = await report('--snapshot', first, '--out', out);
    expect(result.code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain(`No complete snapshot of ${source.id} before ${first}: nothing to compare with.`);
    expect(html).not.toContain('id="changes-summary"');
  });

  it('exits 2 having written nothing for an unknown snapshot, a folder as --out or a missing folder', async () => {
    const out = join(folder.root, 'never.html');
    const missing = await report('--snapshot', '2020-01-01T00-00-00.000Z', '--out', out);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/has no manifest/);
    const asFolder = await report('--out', folder.root);
    expect(asFolder.code).toBe(2);
    expect(asFolder.stderr).toContain('is a folder');
    const noFolder = await report('--out', join(folder.root, 'no-such-folder', 'r.html'));
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain('does not exist');
    const unknown = await runCli('report', '--from', folder.root, '--instance-id', 'nope', '--out', out);
    expect(unknown.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the report in headless Chromium', () => {
  let browser: Browser;
  let view: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Every request the page makes is recorded and refused: it must make none.
    await context.route('**/*', async (route) => {
      requests.push(route.request().url());
      await route.abort();
    });
    view = await context.newPage();
    view.on('request', (request) => requests.push(request.url()));
    view.on('pageerror', (error) => errors.push(error.message));
    view.on('console', (message) => errors.push(`console ${message.type()}: ${message.text()}`));
    if (!existsSync(page)) await report('--out', page);
    await view.setContent(await readFile(page, 'utf8'), { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the manifest counts for every kind, and the verify status', async () => {
    const shown = await view.$$eval('#counts tr[data-kind]', (rows) =>
      rows.map((row) => [row.getAttribute('data-kind'), row.querySelector('.count')?.textContent]),
    );
    expect(shown).toEqual(KIND_NAMES.map((kind) => [kind, String(manifest.counts[kind] ?? 0)]));
    expect(await view.textContent('#verify-status')).toBe('intact');
    expect(await view.textContent('#snapshot-id')).toBe(second);
    expect(await view.textContent('#object-count')).toBe(String(manifest.objects.length));
  });

  it('draws one node per flow, module and queue, and the references between them', async () => {
    for (const kind of ['flows', 'flow-modules', 'queues'] as const) {
      const ids = await view.$$eval(`svg g.node[data-kind="${kind}"]`, (nodes) =>
        nodes.map((n) => n.getAttribute('data-id')),
      );
      expect(ids.sort()).toEqual(
        manifest.objects
          .filter((o) => o.kind === kind)
          .map((o) => o.id)
          .sort(),
      );
    }
    const idOf = (kind: string, name: string) =>
      manifest.objects.find((o) => o.kind === kind && o.name === name)?.id;
    const edges = await view.$$eval('svg path.edge', (lines) =>
      lines.map((l) => `${l.getAttribute('data-from')}→${l.getAttribute('data-to')}`),
    );
    // A flow's SetQueue, and its event hook's flow.
    expect(edges).toContain(`${idOf('flows', 'Support Queue Flow')}→${idOf('queues', 'Customer Support')}`);
    expect(edges).toContain(`${idOf('flows', 'Support Queue Flow')}→${idOf('flows', 'Support Queue Music')}`);
    const renamed = await view.$$eval('svg g.node title', (titles) => titles.map((t) => t.textContent));
    expect(renamed).toContain(`${RENAMED_FLOW} (flow, QUEUE_TRANSFER)`);
    // Every node is inside the drawing.
    const box = await view.$eval('#flow-graph-svg', (svg) => svg.getBoundingClientRect().width);
    expect(box).toBeGreaterThan(100);
  });

  it('lists the changes by name, as text, and asks for nothing', async () => {
    const added = await view.$$eval('#changes .kind-changes[data-kind="queues"] li.added', (items) =>
      items.map((i) => i.textContent),
    );
    expect(added).toEqual([HOSTILE]);
    const flows = await view.$$eval('#changes .kind-changes[data-kind="flows"] li', (items) =>
      items.map((i) => `${i.className} ${i.firstChild?.textContent?.trim()}`),
    );
    expect(flows).toEqual([`added ${RENAMED_FLOW}`, 'removed Escalation Transfer']);
    expect(await view.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await view.$$eval('script, img', (found) => found.length)).toBe(0);
    await mkdir(ARTIFACTS, { recursive: true });
    await view.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('connect-vault report of partial and later snapshots', () => {
  it('compares a partial snapshot on its kinds only, and passes over it for the next complete one', async () => {
    const client = emulatorClient(emulator, source);
    const partial = (await runBackup(client, folder.store, source.id, { kinds: ['queues'], prefix: '' }))
      .snapshotId;
    const third = await backupOf(emulator, source, folder.store, '');
    const partialPage = join(folder.root, 'partial.html');
    expect((await report('--snapshot', partial, '--out', partialPage)).code).toBe(0);
    const html = await readFile(partialPage, 'utf8');
    expect(html).toContain('<dd id="snapshot-type">partial</dd>');
    expect(html).toContain(`<span class="mono" id="previous-snapshot">${second}</span>`);
    expect(html).toContain('<p id="no-changes">No change.</p>');
    expect(html).toContain(
      '<tr data-kind="flows" class="not-read"><th>flows</th><td class="num count">—</td></tr>',
    );
    const queues = manifest.counts.queues;
    expect(html).toContain(
      `<tr data-kind="queues" class=""><th>queues</th><td class="num count">${queues}</td></tr>`,
    );
    const later = await report('--snapshot', third, '--out', join(folder.root, 'third.html'));
    expect(later.stdout).toContain(`snapshot ${third}, intact, 0 change(s) since ${second}`);
  });
});

describe('connect-vault report of a damaged snapshot', () => {
  it('writes the page saying NOT INTACT and what is wrong, and exits 1', async () => {
    const object = manifest.objects.find((o) => o.kind === 'queues' && o.name === 'Customer Support');
    const key = snapshotObjectKey('', source.id, second, object?.key ?? '');
    await writeFile(join(folder.root, key), '{"tampered": true}');
    const out = join(folder.root, 'damaged.html');
    try {
      const result = await report('--snapshot', second, '--out', out);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('NOT INTACT');
      const html = await readFile(out, 'utf8');
      expect(html).toContain('<span class="status bad" id="verify-status">NOT INTACT</span>');
      expect(html).toContain(`Snapshot object ${object?.key} no longer matches the manifest`);
      expect(html).toContain('Not drawn: the snapshot is not intact.');
    } finally {
      await rm(out, { force: true });
    }
  });
});
