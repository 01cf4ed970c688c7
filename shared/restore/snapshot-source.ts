/**
 * Reading a snapshot for a restore, verified as `connect-vault verify` verifies it, with the same
 * code. Everything here runs before the first write to Connect, so a bad snapshot loses nothing.
 */
import { z } from 'zod';
import { KIND_NAMES, type KindName, type StoredDocument } from '#shared/kinds/index.js';
import type { InstanceDocument } from '#shared/kinds/instance.js';
import { DERIVED_FOLDERS, INSTANCE_KIND, type Manifest } from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import {
  readLatestPointer,
  readVerifiedManifest,
  SnapshotIntegrityError,
  snapshotLocation,
  verifyProblems,
  verifySnapshotObjects,
} from '#shared/snapshot/verify.js';
import { RestoreInputError } from './errors.js';

/** A snapshot loaded for restore: its manifest, `instance.json` and every resource document. */
export interface LoadedSnapshot {
  manifest: Manifest;
  /** Where it was read from, for people: `s3://bucket/prefix/ <instance>/snapshots/<id>/`. */
  location: string;
  instanceDocument: InstanceDocument | undefined;
  documents: Map<KindName, StoredDocument[]>;
}

/** Schema of a stored resource document (`<kind>/<name>--<hash>.json`), as restore and the report read it. */
export const storedDocumentSchema = z.object({
  kind: z.enum(KIND_NAMES),
  id: z.string().min(1),
  arn: z.string().min(1),
  name: z.string(),
  resource: z.record(z.string(), z.unknown()),
  related: z.record(z.string(), z.unknown()).optional(),
});

const instanceDocumentSchema = z.object({
  instance: z.record(z.string(), z.unknown()),
  attributes: z.record(z.string(), z.string()),
  // Snapshots taken before approved origins were read hold none.
  approvedOrigins: z.array(z.string()).default([]),
  lambdaFunctions: z.array(z.string()),
  lexV2BotAliases: z.array(z.string()),
});

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const READS_IN_FLIGHT = 8;

function integrity(message: string, cause?: unknown): RestoreInputError {
  return new RestoreInputError('integrity', message, cause === undefined ? undefined : { cause });
}

/**
 * Resolves `latest` to a snapshot id.
 * @throws RestoreInputError `unknown-snapshot` when the instance has no complete snapshot there.
 */
async function snapshotIdOf(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  snapshot: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  if (snapshot !== 'latest') return snapshot;
  let pointer: Awaited<ReturnType<typeof readLatestPointer>>;
  try {
    pointer = await readLatestPointer(store, prefix, instanceId, { abortSignal: signal });
  } catch (error) {
    throw fromIntegrityError(error);
  }
  if (!pointer) {
    throw new RestoreInputError(
      'unknown-snapshot',
      `No complete snapshot of instance ${instanceId} at ${store.describe()} (prefix "${prefix}"): check the instance id, the bucket or folder and the prefix`,
    );
  }
  return pointer.snapshotId;
}

function fromIntegrityError(error: unknown): unknown {
  if (!(error instanceof SnapshotIntegrityError)) return error;
  const problem =
    error.problem === 'missing'
      ? 'unknown-snapshot'
      : error.problem === 'newer-format'
        ? 'newer-format'
        : 'integrity';
  return new RestoreInputError(problem, error.message, { cause: error });
}

function utf8(bytes: Uint8Array, key: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch (error) {
    throw integrity(`Snapshot object ${key} is not UTF-8`, error);
  }
}

function parsed<T>(text: string, schema: z.ZodType<T>, key: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw integrity(`Snapshot object ${key} is not JSON`, error);
  }
  const result = schema.safeParse(json);
  if (!result.success)
    throw integrity(`Snapshot object ${key} is not a stored document: ${result.error.message}`);
  return result.data;
}

/**
 * Loads a snapshot: resolves `latest`, reads and checks the manifest (format version, schema), then
 * verifies it exactly as `connect-vault verify` does (`verifySnapshotObjects`: the manifest's
 * entries, counts and kinds agree; every object it lists is there with its SHA-256 and size; no
 * object of the snapshot folder is missing from it), and parses every resource document and
 * `instance.json` from the bytes that were verified. Raw flow objects are verified, not parsed
 * (the documents hold the content).
 *
 * @throws RestoreInputError `unknown-snapshot` (no `latest.json` or no manifest), `newer-format`,
 *   `integrity` (anything verification finds, or a document that is not a stored document of what
 *   its manifest entry says).
 */
export async function loadSnapshot(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  snapshot: string,
  signal?: AbortSignal,
): Promise<LoadedSnapshot> {
  const snapshotId = await snapshotIdOf(store, prefix, instanceId, snapshot, signal);
  let manifest: Manifest;
  try {
    manifest = await readVerifiedManifest(store, prefix, instanceId, snapshotId, { abortSignal: signal });
  } catch (error) {
    throw fromIntegrityError(error);
  }
  const documents = new Map<KindName, StoredDocument[]>(KIND_NAMES.map((kind) => [kind, []]));
  let instanceDocument: InstanceDocument | undefined;
  const report = await verifySnapshotObjects(store, prefix, manifest, {
    abortSignal: signal,
    concurrency: READS_IN_FLIGHT,
    onObject: (object, bytes) => {
      if (object.kind === INSTANCE_KIND) {
        instanceDocument = parsed(utf8(bytes, object.key), instanceDocumentSchema, object.key);
        return;
      }
      if (!(KIND_NAMES as readonly string[]).includes(object.kind)) return;
      const document = parsed(utf8(bytes, object.key), storedDocumentSchema, object.key) as StoredDocument;
      if (document.kind !== object.kind || document.id !== object.id) {
        throw integrity(
          `Snapshot object ${object.key} holds ${document.kind} ${document.id}, not what the manifest lists (${object.kind} ${object.id})`,
        );
      }
      documents.get(document.kind)?.push(document);
    },
  });
  if (!report.ok) {
    throw integrity(
      `${verifyProblems(report).join('; ')}. Snapshot ${snapshotId} at ${report.location} fails verification (connect-vault verify shows the same): it was changed after it was written; restore from another snapshot`,
    );
  }
  // Each document learns its derived objects (prompt audio, raw flow) from the manifest.
  const byKindAndId = new Map<string, StoredDocument>(
    [...documents.values()].flat().map((d) => [`${d.kind}\u0000${d.id}`, d]),
  );
  for (const object of manifest.objects) {
    const owner = DERIVED_FOLDERS[object.kind];
    const document = owner === undefined ? undefined : byKindAndId.get(`${owner}\u0000${object.id}`);
    if (!document) continue;
    document.derived = {
      ...document.derived,
      [object.kind]: { sha256: object.sha256, bytes: object.bytes, contentType: object.contentType },
    };
  }
  // Manifest order (by key) is stable from one run to the next; loading order is not.
  const order = new Map(manifest.objects.map((o, i) => [`${o.kind}\u0000${o.id}`, i]));
  const at = (d: StoredDocument) => order.get(`${d.kind}\u0000${d.id}`) ?? 0;
  for (const list of documents.values()) list.sort((a, b) => at(a) - at(b));
  return {
    manifest,
    location: snapshotLocation(store, prefix, instanceId, snapshotId),
    instanceDocument,
    documents,
  };
}
