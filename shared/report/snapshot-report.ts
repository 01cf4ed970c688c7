/**
 * The report of one snapshot, as one static HTML page: what it holds per kind (the manifest's
 * counts), what changed since the previous complete snapshot (the project's diff,
 * `shared/snapshot/diff.ts`), whether it is intact (`shared/snapshot/verify.ts`), the manifest's
 * warnings, and a picture of its flow graph (`flow-graph.ts`). `connect-vault report` writes it to a
 * file; {@link renderSnapshotReport} is what a backup can call to write it beside the snapshot.
 *
 * @packageDocumentation
 */
import { KIND_NAMES, type KindName, type StoredDocument } from '#shared/kinds/index.js';
import { storedDocumentSchema } from '#shared/restore/snapshot-source.js';
import { changeLogAsDiff, readChangeLog } from '#shared/snapshot/changes.js';
import { diffSnapshots, type SnapshotDiff } from '#shared/snapshot/diff.js';
import {
  isSnapshotId,
  latestKey,
  type Manifest,
  snapshotsRoot,
  warningSentence,
} from '#shared/snapshot/format.js';
import type { SnapshotStore, StoreCallOptions } from '#shared/snapshot/store.js';
import {
  readLatestPointer,
  readVerifiedManifest,
  SnapshotIntegrityError,
  snapshotType,
  verifyProblems,
  verifySnapshotObjects,
} from '#shared/snapshot/verify.js';
import { FLOW_GRAPH_KINDS, flowGraph, layoutFlowGraph, type PlacedGraph } from './flow-graph.js';
import { reportHtml } from './template.js';

/** Options of {@link collectSnapshotReport} and {@link renderSnapshotReport}. */
export interface SnapshotReportOptions extends StoreCallOptions {
  /**
   * The snapshot to compare with. Default: the newest complete (not partial) snapshot of the
   * instance that started before this one, found by listing the instance's snapshot folders and
   * reading manifests newest first until one is complete.
   */
  previousSnapshotId?: string | undefined;
  /**
   * The flow graph is drawn only when it has at most this many nodes (flows, flow modules and
   * queues together); a larger one would not be legible in one picture. Default 600.
   */
  maxGraphNodes?: number | undefined;
}

/** The resources of one kind in the snapshot. */
export interface KindCount {
  kind: KindName;
  /** The manifest's count (0 when the manifest does not count the kind). */
  count: number;
  /** A partial snapshot that did not read this kind: the count means "not in this snapshot". */
  notRead: boolean;
}

/** What changed since the previous snapshot, or why that is not shown. */
export interface ReportChanges {
  /** The snapshot compared with, when there is one. */
  previous?: { snapshotId: string; startedAt: string };
  /** The diff, previous → this one; absent when there is nothing to compare with or it failed. */
  diff?: SnapshotDiff;
  /** Why no diff is shown (first snapshot, not intact, previous snapshot not intact), one sentence. */
  note?: string;
}

/** Everything the report page shows, computed from the store. */
export interface SnapshotReport {
  snapshotId: string;
  instance: Manifest['instance'];
  type: 'full' | 'incremental' | 'partial';
  startedAt: string;
  finishedAt: string;
  /** Where the snapshot is, for people (`s3://…/<instance>/snapshots/<id>/` or a folder). */
  location: string;
  /** Objects the manifest lists. */
  objects: number;
  /** Every kind of the registry, in restore order. */
  counts: KindCount[];
  /** Connect API calls the backup made, in total, and the throttling responses it saw. */
  apiCalls: number;
  throttles: number;
  /** The manifest's warnings, as sentences. */
  warnings: string[];
  /** The result of verifying every object, as `connect-vault verify` does. */
  verify: { ok: boolean; checked: number; problems: string[] };
  changes: ReportChanges;
  /** The flow graph, laid out; absent when not drawn (see `graphNote`). */
  graph?: PlacedGraph;
  /** Nodes per drawn kind and edges, whether drawn or not. */
  graphSize: { nodes: Record<string, number>; edges: number };
  /** Why the graph is not drawn, one sentence. */
  graphNote?: string;
}

const DEFAULT_MAX_GRAPH_NODES = 600;

/**
 * The newest complete snapshot of the instance that started before `snapshotId`: snapshot folders
 * listed (no objects), manifests read newest first until one is complete (partial snapshots,
 * folders without a manifest and unreadable manifests are passed over).
 */
async function previousComplete(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  snapshotId: string,
  options: StoreCallOptions,
): Promise<Manifest | undefined> {
  const root = snapshotsRoot(prefix, instanceId);
  const ids: string[] = [];
  for await (const folder of store.listFolders(root, options)) {
    const id = folder.slice(root.length, -1);
    // Snapshot ids are fixed-width UTC times: they sort as they happened.
    if (isSnapshotId(id) && id < snapshotId) ids.push(id);
  }
  for (const id of ids.sort().reverse()) {
    try {
      const manifest = await readVerifiedManifest(store, prefix, instanceId, id, options);
      if (!manifest.partial) return manifest;
    } catch (error) {
      if (!(error instanceof SnapshotIntegrityError)) throw error;
    }
  }
  return undefined;
}

/**
 * Computes everything the report of a snapshot shows. Reads only the store: the manifest, every
 * object it lists (verified against its SHA-256, as `connect-vault verify` does; the resource
 * documents of the verified objects feed the flow graph), the snapshot folder's listing, and for the
 * changes the snapshot's `changes.json` (and the manifest of the snapshot it compares with) when it
 * lists one that compared something; otherwise, or with `previousSnapshotId`, the previous complete
 * snapshot (its manifest and objects, through `diffSnapshots`, which also reads this snapshot's
 * objects again). A snapshot that is not intact is reported, not thrown:
 * its problems are listed, and its changes and graph are left out.
 *
 * @param snapshotId - A snapshot id, or `latest` (the snapshot `latest.json` names).
 * @throws SnapshotIntegrityError when the snapshot has no manifest (`missing`, also `latest` of an
 *   instance with no complete snapshot), or its manifest is invalid, of a newer format or of another
 *   snapshot.
 * @throws Whatever the store throws.
 */
export async function collectSnapshotReport(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  snapshotId: string,
  options: SnapshotReportOptions = {},
): Promise<SnapshotReport> {
  const call: StoreCallOptions = { abortSignal: options.abortSignal };
  let id = snapshotId;
  if (id === 'latest') {
    const latest = await readLatestPointer(store, prefix, instanceId, call);
    if (!latest)
      throw new SnapshotIntegrityError(
        'missing',
        latestKey(prefix, instanceId),
        `instance ${instanceId} has no complete snapshot at ${store.describe()}`,
      );
    id = latest.snapshotId;
  }
  const manifest = await readVerifiedManifest(store, prefix, instanceId, id, call);
  const documents = new Map<KindName, StoredDocument[]>(KIND_NAMES.map((kind) => [kind, []]));
  const unreadable: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const verified = await verifySnapshotObjects(store, prefix, manifest, {
    ...call,
    onObject: (object, bytes) => {
      if (!(KIND_NAMES as readonly string[]).includes(object.kind)) return;
      let parsed: ReturnType<typeof storedDocumentSchema.safeParse>;
      try {
        parsed = storedDocumentSchema.safeParse(JSON.parse(decoder.decode(bytes)));
      } catch {
        unreadable.push(`Snapshot object ${object.key} is not UTF-8 JSON`);
        return;
      }
      if (!parsed.success || parsed.data.kind !== object.kind || parsed.data.id !== object.id) {
        unreadable.push(`Snapshot object ${object.key} is not the stored document its manifest entry says`);
        return;
      }
      documents.get(parsed.data.kind)?.push(parsed.data as StoredDocument);
    },
  });
  const problems = [...verifyProblems(verified), ...unreadable];
  const intact = verified.ok && unreadable.length === 0;
  const type = snapshotType(manifest);
  const read = new Set(manifest.kinds.read);

  const changes: ReportChanges = {};
  // The backup's change log already holds the diff against the snapshot latest.json named when it
  // started: used when no other snapshot is asked for, so the previous snapshot is not read again.
  const logged = intact && !options.previousSnapshotId ? await loggedChanges() : undefined;
  const previous = options.previousSnapshotId
    ? await readVerifiedManifest(store, prefix, instanceId, options.previousSnapshotId, call)
    : logged
      ? logged.previous
      : await previousComplete(store, prefix, instanceId, id, call);
  if (previous) changes.previous = { snapshotId: previous.snapshotId, startedAt: previous.startedAt };
  if (logged) {
    changes.diff = logged.diff;
  } else if (!previous) {
    changes.note = `No complete snapshot of ${instanceId} before ${id}: nothing to compare with.`;
  } else if (!intact) {
    changes.note = `Not compared with ${previous.snapshotId}: this snapshot is not intact.`;
  } else {
    const ref = (snapshot: string) => ({ store, prefix, instanceId, snapshotId: snapshot });
    try {
      changes.diff = await diffSnapshots(ref(previous.snapshotId), ref(id), {
        // A partial snapshot holds some kinds only: the others did not go away.
        ...(manifest.partial ? { kinds: manifest.kinds.read } : {}),
      });
    } catch (error) {
      if (!(error instanceof SnapshotIntegrityError)) throw error;
      changes.note = `Not compared with ${previous.snapshotId}: ${error.message}.`;
    }
  }

  /**
   * The change log's diff and the manifest of the snapshot it compares with, when the manifest lists
   * a change log that compared something and that snapshot's manifest is still readable.
   */
  async function loggedChanges(): Promise<{ previous: Manifest; diff: SnapshotDiff } | undefined> {
    let log: Awaited<ReturnType<typeof readChangeLog>>;
    try {
      log = await readChangeLog(store, prefix, manifest);
    } catch (error) {
      if (error instanceof SnapshotIntegrityError) return undefined;
      throw error;
    }
    const diff = log && changeLogAsDiff(log, manifest.partial ? manifest.kinds.read : undefined);
    if (!log?.previous || !diff) return undefined;
    try {
      const before = await readVerifiedManifest(store, prefix, instanceId, log.previous.snapshotId, call);
      return { previous: before, diff };
    } catch (error) {
      if (error instanceof SnapshotIntegrityError) return undefined;
      throw error;
    }
  }

  const graphSize = {
    nodes: Object.fromEntries(FLOW_GRAPH_KINDS.map((kind) => [kind, manifest.counts[kind] ?? 0])),
    edges: 0,
  };
  const nodeCount = Object.values(graphSize.nodes).reduce((a, b) => a + b, 0);
  const maxNodes = options.maxGraphNodes ?? DEFAULT_MAX_GRAPH_NODES;
  let graph: PlacedGraph | undefined;
  let graphNote: string | undefined;
  if (!intact) graphNote = 'Not drawn: the snapshot is not intact.';
  else if (nodeCount === 0) graphNote = 'This snapshot holds no flow, flow module or queue.';
  else {
    const whole = flowGraph(manifest.instance, documents);
    graphSize.edges = whole.edges.length;
    if (nodeCount > maxNodes)
      graphNote = `Not drawn: ${nodeCount} flows, flow modules and queues are more than one picture shows legibly (at most ${maxNodes}).`;
    else graph = layoutFlowGraph(whole);
  }

  return {
    snapshotId: id,
    instance: manifest.instance,
    type,
    startedAt: manifest.startedAt,
    finishedAt: manifest.finishedAt,
    location: verified.location,
    objects: manifest.objects.length,
    counts: KIND_NAMES.map((kind) => ({
      kind,
      count: manifest.counts[kind] ?? 0,
      notRead: type === 'partial' && !read.has(kind),
    })),
    apiCalls: Object.values(manifest.apiCalls).reduce((a, b) => a + b, 0),
    throttles: manifest.throttles.count,
    warnings: manifest.warnings.map(warningSentence),
    verify: { ok: intact, checked: verified.checked, problems },
    changes,
    ...(graph ? { graph } : {}),
    graphSize,
    ...(graphNote ? { graphNote } : {}),
  };
}

/**
 * Renders the report of a snapshot as one self-contained HTML page: styles and the flow graph's SVG
 * inline, no script, no external asset, and a Content-Security-Policy that lets the page load
 * nothing. Every name and value from the snapshot is HTML-escaped. The page depends only on the
 * snapshots in the store (no clock): the same store gives the same bytes.
 *
 * What it reads and throws: see {@link collectSnapshotReport}.
 *
 * @returns The page, as a string (UTF-8 when written).
 */
export async function renderSnapshotReport(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  snapshotId: string,
  options: SnapshotReportOptions = {},
): Promise<string> {
  return reportHtml(await collectSnapshotReport(store, prefix, instanceId, snapshotId, options));
}
