/**
 * The objects of a snapshot as a writer makes them, whatever read the documents: where a stored
 * document goes and the bytes it is stored as, the objects derived from it, each one's manifest
 * entry, and the password scrub every document passes before it is stored. The backup uses them
 * (backup-instance.ts), and so does the import of another tool's tree (shared/migrate/), so that an
 * imported snapshot is written exactly as a backup writes one.
 */
import type { ReadContext, ResourceKind, StoredDocument } from '#shared/kinds/index.js';
import {
  canonicalJson,
  derivedObjectKey,
  type ManifestObject,
  objectName,
  RAW_FLOWS_FOLDER,
  resourceObjectKey,
  sha256Hex,
} from '#shared/snapshot/format.js';
import { toBytes } from '#shared/snapshot/store.js';

/** A manifest entry before its bytes are known: kind, id, ARN, name and the optional members. */
export type EntryIdentity = Omit<ManifestObject, 'key' | 'sha256' | 'bytes'>;

const PASSWORD = /^password$/i;

/**
 * Removes every member named like a password (`Password`, `password`, …), at any depth, in place.
 *
 * @returns How many members were removed.
 */
export function scrubPasswords(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((n, item) => n + scrubPasswords(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  let removed = 0;
  for (const key of Object.keys(value)) {
    if (PASSWORD.test(key)) {
      delete (value as Record<string, unknown>)[key];
      removed += 1;
    } else {
      removed += scrubPasswords((value as Record<string, unknown>)[key]);
    }
  }
  return removed;
}

/**
 * The manifest entry of an object: its identity, `key` (relative to the snapshot folder), and the
 * SHA-256 and size in bytes of `body` (a string counts as its UTF-8 bytes).
 */
export function manifestEntry(
  relativeKey: string,
  body: string | Uint8Array,
  entry: EntryIdentity,
): ManifestObject {
  return {
    ...entry,
    key: relativeKey,
    sha256: sha256Hex(body),
    bytes: toBytes(body).byteLength,
  };
}

/** Where a document is stored and as what: its object name, key and canonical JSON. */
export interface DocumentPlacement {
  /** `objectName(document.name, document.id)`, shared by the document and its derived objects. */
  name: string;
  /** `<kind>/<name>.json`, relative to the snapshot folder. */
  relativeKey: string;
  /** The document as stored: `canonicalJson(document)`. */
  body: string;
}

/**
 * Where a stored document goes in a snapshot and the bytes it is stored as.
 *
 * @throws RangeError when the document's id is empty or its key would be over 1024 bytes.
 */
export function documentPlacement(kind: ResourceKind, document: StoredDocument): DocumentPlacement {
  const name = objectName(document.name, document.id);
  return { name, relativeKey: resourceObjectKey(kind.name, name), body: canonicalJson(document) };
}

/** The identity a document's manifest entry (and its derived objects' entries) carry. */
export function documentIdentity(kind: ResourceKind, document: StoredDocument): EntryIdentity {
  return { kind: kind.name, id: document.id, arn: document.arn, name: document.name };
}

/** The folders of the objects a kind derives from its documents (see `ResourceKind.derivedFolders`). */
export function derivedFoldersOf(kind: ResourceKind): readonly string[] {
  return kind.derivedFolders ?? (kind.derive ? [RAW_FLOWS_FOLDER] : []);
}

/** One object derived from a document, ready to store. */
export interface PlacedDerivedObject {
  /** `<folder>/<name><extension>`, relative to the snapshot folder. */
  relativeKey: string;
  body: string | Uint8Array;
  /** `application/json` unless the kind says otherwise (prompt audio: what the download answered). */
  contentType: string;
  /** Its manifest entry's identity: the document's, with the folder as kind. */
  entry: EntryIdentity;
}

/**
 * The objects a kind derives from a stored document (`ResourceKind.derive`: raw flow content, a
 * prompt's audio), each with its key beside the document's object name and its entry's identity.
 * Calls `derive` with `ctx`, which may read Connect (a prompt's audio).
 *
 * @throws what `derive` throws; Error when a kind derives an object in a folder it does not declare.
 */
export async function derivedObjects(
  kind: ResourceKind,
  document: StoredDocument,
  name: string,
  ctx: ReadContext,
): Promise<PlacedDerivedObject[]> {
  const identity = documentIdentity(kind, document);
  const placed: PlacedDerivedObject[] = [];
  for (const derived of (await kind.derive?.(document, ctx)) ?? []) {
    if (!derivedFoldersOf(kind).includes(derived.folder))
      throw new Error(`kind ${kind.name} derives an object in an undeclared folder ${derived.folder}`);
    placed.push({
      relativeKey: derivedObjectKey(derived.folder, name, derived.extension ?? '.json'),
      body: derived.body,
      contentType: derived.contentType ?? 'application/json',
      entry: {
        ...identity,
        kind: derived.folder,
        ...(derived.contentType ? { contentType: derived.contentType } : {}),
      },
    });
  }
  return placed;
}
