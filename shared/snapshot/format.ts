/**
 * Snapshot format, version 1: the manifest and `latest.json` schemas, snapshot ids, the key layout,
 * object names, canonical JSON and SHA-256. Pure functions only: nothing here touches a store.
 *
 * Layout, relative to a store's root (`<prefix>` may be empty):
 *
 * ```
 * <prefix>/<instanceId>/latest.json                                   pointer to the newest complete snapshot
 * <prefix>/<instanceId>/snapshots/<snapshotId>/manifest.json         written last of the snapshot's objects
 * <prefix>/<instanceId>/snapshots/<snapshotId>/report.html           the HTML report, made from the snapshot after its manifest
 * <prefix>/<instanceId>/snapshots/<snapshotId>/instance.json
 * <prefix>/<instanceId>/snapshots/<snapshotId>/changes.json                  what changed since the previous complete snapshot
 * <prefix>/<instanceId>/snapshots/<snapshotId>/<kind>/<objectName>.json
 * <prefix>/<instanceId>/snapshots/<snapshotId>/flows-raw/<objectName>.json
 * <prefix>/<instanceId>/snapshots/<snapshotId>/prompts-audio/<objectName>.wav   (binary)
 * <prefix>/<instanceId>/restores/<restoreId>/report.json
 * <prefix>/<instanceId>/restores/<restoreId>/journal/<sequence>.json   what the restore created, as it went
 * ```
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** The snapshot format this code writes, and the newest one it can read. */
export const FORMAT_VERSION = 1;

/** Longest S3 object key, in UTF-8 bytes. Every key builder here refuses to build a longer one. */
export const MAX_KEY_BYTES = 1024;

/** File name of the pointer to an instance's newest complete snapshot. */
export const LATEST_FILE = 'latest.json';
/** File name of a snapshot's manifest; the manifest is written last. */
export const MANIFEST_FILE = 'manifest.json';

/**
 * File name of a snapshot's HTML report, written by the backup after the manifest (the page shows
 * the manifest's verify status, so the manifest cannot list it). It is made from the snapshot and
 * holds nothing restore reads: `verify` names it but does not count it as an unexpected object.
 */
export const REPORT_FILE = 'report.html';
/** File name of the instance description inside a snapshot folder. */
export const INSTANCE_FILE = 'instance.json';
/** Folder (inside a snapshot folder) holding the pretty-printed raw content of every flow. */
export const RAW_FLOWS_FOLDER = 'flows-raw';
/**
 * Folder (inside a snapshot folder) holding each prompt's audio as Connect serves it (GetPromptFile),
 * byte for byte: `prompts-audio/<objectName>.<ext>`, beside the prompt's `prompts/<objectName>.json`.
 */
export const PROMPT_AUDIO_FOLDER = 'prompts-audio';
/**
 * The folders of objects derived from a resource's document, each with the kind whose resources
 * they belong to. A derived object's manifest `kind` is its folder; its `id` is its resource's.
 */
export const DERIVED_FOLDERS: Readonly<Record<string, string>> = {
  [RAW_FLOWS_FOLDER]: 'flows',
  [PROMPT_AUDIO_FOLDER]: 'prompts',
};
/** True when `kind` is the folder of derived objects (raw flows, prompt audio), not a resource kind. */
export function isDerivedFolder(kind: string): boolean {
  return Object.hasOwn(DERIVED_FOLDERS, kind);
}
/** The manifest `kind` of the `instance.json` object. */
export const INSTANCE_KIND = 'instance';
/**
 * File name of a snapshot's change log: the resources added, removed and changed since the
 * previous complete snapshot (see `shared/snapshot/changes.ts`). Written before the manifest,
 * which lists it like any object (kind {@link CHANGES_KIND}), so `verify` checks it.
 */
export const CHANGES_FILE = 'changes.json';
/**
 * The manifest `kind` of the `changes.json` object. Not a resource kind: restore, diff and show
 * pass it over.
 */
export const CHANGES_KIND = 'changes';
/**
 * Folder (inside an unfinished snapshot folder) holding the checkpoints a backup that continues in
 * a later invocation resumes from: `checkpoints/<n>.json`. Working state, not snapshot content: the
 * manifest never lists it and verification ignores it.
 */
export const CHECKPOINTS_FOLDER = 'checkpoints';

const utf8 = new TextEncoder();

/** Number of UTF-8 bytes in `text`. */
function byteLength(text: string): number {
  return utf8.encode(text).length;
}

// ---------------------------------------------------------------------------------------------
// Snapshot ids
// ---------------------------------------------------------------------------------------------

/**
 * Shape of a snapshot id: `YYYY-MM-DDTHH-MM-SS.mmmZ`, in UTC. Colons of ISO 8601 are replaced with
 * hyphens (colons are reserved on Windows and awkward in URLs); milliseconds are kept.
 */
export const SNAPSHOT_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z$/;

/**
 * Makes the id of a snapshot (or of a restore) that starts at `date`.
 *
 * The id is the UTC time to the millisecond, for example `2026-11-22T02-00-07.123Z`. Every id has
 * the same length and its fields run from year to millisecond, so ids sort lexicographically in
 * time order, as S3 lists them. Two snapshots of one instance that start in the same second get
 * different ids; two that start in the same millisecond would not, so a writer that must be sure
 * claims the id with `SnapshotStore.putIfAbsent` and takes the next millisecond when that fails.
 *
 * @param date - The start time. Must be valid and fall in the years 0000 to 9999.
 * @returns The snapshot id.
 * @throws RangeError when `date` is invalid or outside the years 0000–9999.
 */
export function newSnapshotId(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError('snapshot id needs a valid date');
  const iso = date.toISOString();
  if (!/^\d{4}-/.test(iso)) throw new RangeError(`snapshot id needs a year between 0000 and 9999: ${iso}`);
  // 2026-11-22T02:00:07.123Z -> 2026-11-22T02-00-07.123Z
  return iso.replaceAll(':', '-');
}

/** True when `value` has the shape of a snapshot id made by {@link newSnapshotId}. */
export function isSnapshotId(value: string): boolean {
  return SNAPSHOT_ID_PATTERN.test(value) && parseSnapshotId(value) !== undefined;
}

/**
 * Reads the start time back out of a snapshot id.
 *
 * @returns The date, or `undefined` when `snapshotId` is not a well-formed id of a real instant.
 */
export function parseSnapshotId(snapshotId: string): Date | undefined {
  if (!SNAPSHOT_ID_PATTERN.test(snapshotId)) return undefined;
  const iso = `${snapshotId.slice(0, 10)}T${snapshotId.slice(11, 19).replaceAll('-', ':')}${snapshotId.slice(19)}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== iso) return undefined;
  return date;
}

// ---------------------------------------------------------------------------------------------
// Key layout
// ---------------------------------------------------------------------------------------------

// C0 and C1 controls and DEL.
const CONTROL = /\p{Cc}/u;

/** Throws unless `segment` is usable as one path segment of a key. */
function assertSegment(segment: string, what: string): void {
  if (segment === '') throw new RangeError(`${what} must not be empty`);
  if (segment === '.' || segment === '..') throw new RangeError(`${what} must not be '.' or '..'`);
  if (segment.includes('/') || segment.includes('\\')) {
    throw new RangeError(`${what} must not contain '/' or '\\': ${JSON.stringify(segment)}`);
  }
  if (CONTROL.test(segment)) throw new RangeError(`${what} must not contain control characters`);
}

/** Throws when `key` is longer than S3 allows; returns it otherwise. */
function checkedKey(key: string): string {
  const bytes = byteLength(key);
  if (bytes > MAX_KEY_BYTES) {
    throw new RangeError(`key is ${bytes} bytes of UTF-8, over the ${MAX_KEY_BYTES} S3 allows: ${key}`);
  }
  return key;
}

/**
 * Normalises a key prefix: `''` stays `''`, anything else gets exactly one trailing `/`.
 *
 * @param prefix - For example `''`, `backups` or `backups/prod/`.
 * @returns `''` or the prefix ending in `/`, for example `backups/prod/`.
 * @throws RangeError when the prefix starts with `/`, has an empty, `.` or `..` segment, or holds a
 *   backslash or a control character.
 */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed === '') {
    if (prefix !== '') throw new RangeError('prefix must not be only slashes');
    return '';
  }
  if (trimmed.startsWith('/')) throw new RangeError(`prefix must not start with '/': ${prefix}`);
  for (const segment of trimmed.split('/')) assertSegment(segment, 'prefix segment');
  return `${trimmed}/`;
}

/**
 * Folder of one instance: `<prefix>/<instanceId>/`.
 *
 * @throws RangeError on a bad prefix (see {@link normalizePrefix}) or an instance id that is not a
 *   safe path segment.
 */
export function instanceRoot(prefix: string, instanceId: string): string {
  assertSegment(instanceId, 'instance id');
  return checkedKey(`${normalizePrefix(prefix)}${instanceId}/`);
}

/**
 * Key of the pointer to an instance's newest complete snapshot: `<prefix>/<instanceId>/latest.json`.
 *
 * @throws RangeError as {@link instanceRoot}.
 */
export function latestKey(prefix: string, instanceId: string): string {
  return checkedKey(`${instanceRoot(prefix, instanceId)}${LATEST_FILE}`);
}

/**
 * Folder holding every snapshot of an instance: `<prefix>/<instanceId>/snapshots/`.
 *
 * @throws RangeError as {@link instanceRoot}.
 */
export function snapshotsRoot(prefix: string, instanceId: string): string {
  return checkedKey(`${instanceRoot(prefix, instanceId)}snapshots/`);
}

/**
 * Folder of one snapshot: `<prefix>/<instanceId>/snapshots/<snapshotId>/`. Manifest object keys are
 * relative to this folder.
 *
 * @throws RangeError as {@link instanceRoot}, or when `snapshotId` is not a snapshot id.
 */
export function snapshotRoot(prefix: string, instanceId: string, snapshotId: string): string {
  if (!isSnapshotId(snapshotId)) throw new RangeError(`not a snapshot id: ${JSON.stringify(snapshotId)}`);
  return checkedKey(`${snapshotsRoot(prefix, instanceId)}${snapshotId}/`);
}

/**
 * Key of a snapshot's manifest: `<prefix>/<instanceId>/snapshots/<snapshotId>/manifest.json`.
 *
 * @throws RangeError as {@link snapshotRoot}.
 */
export function manifestKey(prefix: string, instanceId: string, snapshotId: string): string {
  return checkedKey(`${snapshotRoot(prefix, instanceId, snapshotId)}${MANIFEST_FILE}`);
}

/**
 * Key of a snapshot's HTML report: `<prefix>/<instanceId>/snapshots/<snapshotId>/report.html`.
 *
 * @throws RangeError as {@link snapshotRoot}.
 */
export function reportKey(prefix: string, instanceId: string, snapshotId: string): string {
  return checkedKey(`${snapshotRoot(prefix, instanceId, snapshotId)}${REPORT_FILE}`);
}

/**
 * Key of a snapshot's instance description: `<prefix>/<instanceId>/snapshots/<snapshotId>/instance.json`.
 *
 * @throws RangeError as {@link snapshotRoot}.
 */
export function instanceDocumentKey(prefix: string, instanceId: string, snapshotId: string): string {
  return checkedKey(`${snapshotRoot(prefix, instanceId, snapshotId)}${INSTANCE_FILE}`);
}

/** Shape of a resource kind's folder name, for example `queues` or `routing-profiles`. */
export const KIND_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * Key, relative to the snapshot folder, of one resource's document: `<kind>/<objectName>.json`.
 *
 * @param kind - The resource kind, lower-case kebab (see {@link KIND_PATTERN}); not `flows-raw`,
 *   `prompts-audio`, `instance`, `changes` nor `checkpoints`, which the layout reserves.
 * @param name - An object name made by {@link objectName}.
 * @throws RangeError on a bad kind or an object name that is not a safe path segment.
 */
export function resourceObjectKey(kind: string, name: string): string {
  if (!KIND_PATTERN.test(kind))
    throw new RangeError(`kind must be lower-case kebab: ${JSON.stringify(kind)}`);
  if (isDerivedFolder(kind) || kind === INSTANCE_KIND || kind === CHANGES_KIND || kind === CHECKPOINTS_FOLDER)
    throw new RangeError(`kind '${kind}' is reserved`);
  assertSegment(name, 'object name');
  return checkedKey(`${kind}/${name}.json`);
}

/**
 * Key, relative to the snapshot folder, of a flow's raw content: `flows-raw/<objectName>.json`.
 *
 * @throws RangeError when `name` is not a safe path segment.
 */
export function rawFlowObjectKey(name: string): string {
  assertSegment(name, 'object name');
  return checkedKey(`${RAW_FLOWS_FOLDER}/${name}.json`);
}

/** Shape of a derived object's file extension: a dot and 1 to 10 lower-case letters or digits. */
export const EXTENSION_PATTERN = /^\.[a-z0-9]{1,10}$/;

/**
 * Key, relative to the snapshot folder, of an object derived from a resource's document:
 * `<folder>/<objectName><extension>`, e.g. `prompts-audio/Welcome--3f2a9c1d.wav`.
 *
 * @param folder - One of {@link DERIVED_FOLDERS}.
 * @param extension - For example `.json` or `.wav` (see {@link EXTENSION_PATTERN}).
 * @throws RangeError on an unknown folder, a bad extension or a name that is not a safe path segment.
 */
export function derivedObjectKey(folder: string, name: string, extension: string): string {
  if (!isDerivedFolder(folder))
    throw new RangeError(`not a folder of derived objects: ${JSON.stringify(folder)}`);
  if (!EXTENSION_PATTERN.test(extension))
    throw new RangeError(
      `extension must be a dot and 1 to 10 lower-case letters or digits: ${JSON.stringify(extension)}`,
    );
  assertSegment(name, 'object name');
  return checkedKey(`${folder}/${name}${extension}`);
}

/**
 * Full key of an object of a snapshot, from its manifest key (relative to the snapshot folder).
 *
 * @throws RangeError as {@link snapshotRoot}, when `relativeKey` is not a safe relative key (see
 *   {@link isSafeRelativeKey}), or when the full key is over {@link MAX_KEY_BYTES}.
 */
export function snapshotObjectKey(
  prefix: string,
  instanceId: string,
  snapshotId: string,
  relativeKey: string,
): string {
  if (!isSafeRelativeKey(relativeKey))
    throw new RangeError(`unsafe relative key: ${JSON.stringify(relativeKey)}`);
  return checkedKey(`${snapshotRoot(prefix, instanceId, snapshotId)}${relativeKey}`);
}

/**
 * Key of a restore's report: `<prefix>/<instanceId>/restores/<restoreId>/report.json`. The instance
 * is the restore's target.
 *
 * @throws RangeError as {@link instanceRoot}, or when `restoreId` is not a safe path segment.
 */
export function restoreReportKey(prefix: string, instanceId: string, restoreId: string): string {
  assertSegment(restoreId, 'restore id');
  return checkedKey(`${instanceRoot(prefix, instanceId)}restores/${restoreId}/report.json`);
}

/**
 * Folder of a restore's journal: `<prefix>/<instanceId>/restores/<restoreId>/journal/` (write-once
 * parts `<sequence>.json`, see `shared/restore/journal.ts`). The instance is the restore's target.
 *
 * @throws RangeError as {@link restoreReportKey}.
 */
export function restoreJournalRoot(prefix: string, instanceId: string, restoreId: string): string {
  assertSegment(restoreId, 'restore id');
  return checkedKey(`${instanceRoot(prefix, instanceId)}restores/${restoreId}/journal/`);
}

/**
 * Folder of every restore into an instance: `<prefix>/<instanceId>/restores/`.
 *
 * @throws RangeError as {@link instanceRoot}.
 */
export function restoresRoot(prefix: string, instanceId: string): string {
  return checkedKey(`${instanceRoot(prefix, instanceId)}restores/`);
}

/**
 * Key of the lock of restores into an instance: `<prefix>/<instanceId>/restores/lock.json` (an
 * {@link ObjectLease}-style object: one restore writes into an instance at a time).
 *
 * @throws RangeError as {@link instanceRoot}.
 */
export function restoreLockKey(prefix: string, instanceId: string): string {
  return checkedKey(`${instanceRoot(prefix, instanceId)}restores/lock.json`);
}

/**
 * The `manifestKey` a `latest.json` pointer holds: `snapshots/<snapshotId>/manifest.json`, relative to
 * the instance folder, so a whole instance folder can be copied to another prefix and stay valid.
 */
export function relativeManifestKey(snapshotId: string): string {
  return `snapshots/${snapshotId}/${MANIFEST_FILE}`;
}

/**
 * True when `key` can be a manifest object key: relative to the snapshot folder, made of non-empty
 * segments that are not `.` or `..`, with no backslash or control character, not `manifest.json`
 * itself, and at most {@link MAX_KEY_BYTES} bytes. A reader resolves manifest keys under the snapshot
 * folder, so a tampered manifest cannot point it anywhere else.
 */
export function isSafeRelativeKey(key: string): boolean {
  if (key === '' || key === MANIFEST_FILE || byteLength(key) > MAX_KEY_BYTES) return false;
  if (key.includes('\\') || CONTROL.test(key)) return false;
  return key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

// ---------------------------------------------------------------------------------------------
// Object names
// ---------------------------------------------------------------------------------------------

/** Most code points kept from a resource name before it is truncated. */
export const NAME_MAX_CODE_POINTS = 100;
/**
 * Most UTF-8 bytes kept from a resource name. With the `--` and 8-character suffix and `.json`, a
 * file name stays under 180 bytes, well inside the 255-byte limit of common file systems, with room
 * for a temporary-file or s3rver suffix.
 */
export const NAME_MAX_BYTES = 160;
/** Length of the id hash that ends every object name. */
export const ID_SUFFIX_LENGTH = 8;

const TRUNCATION_MARK = '…';
// Path separators, Windows-reserved characters, and the three characters whose meaning changes
// between URL, form and header decoding (`#` ends a URL, `%` starts an escape, `+` is a space in
// S3 event notifications and in some CopySource decoders).
const REPLACED = new Set(['/', '\\', '<', '>', ':', '"', '|', '?', '*', '#', '%', '+']);
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Maps one code point of a name to what the object name keeps of it. */
function safeCodePoint(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (REPLACED.has(char)) return '_';
  // Controls, lone surrogates, line and paragraph separators, noncharacters.
  if (/[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/u.test(char)) return '_';
  if ((code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe) return '_';
  // Every other space (no-break, ideographic, ...) becomes a plain space.
  if (/\p{Zs}/u.test(char)) return ' ';
  // Invisible format characters (bidi overrides, zero-width space, BOM, soft hyphen) are dropped,
  // except the joiners and tag characters that emoji and some scripts need.
  if (/\p{Cf}/u.test(char)) {
    const keep = code === 0x200c || code === 0x200d || (code >= 0xe0020 && code <= 0xe007f);
    return keep ? char : '';
  }
  return char;
}

/** Cuts `text` on grapheme (else code-point) boundaries to fit the name limits, marking the cut. */
function truncateName(text: string): string {
  const fits = (candidate: string) =>
    [...candidate].length <= NAME_MAX_CODE_POINTS && byteLength(candidate) <= NAME_MAX_BYTES;
  if (fits(text)) return text;
  const budget = (candidate: string) => fits(`${candidate}${TRUNCATION_MARK}`);
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (!budget(kept + segment)) break;
    kept += segment;
  }
  if (kept === '') {
    // A first grapheme too long on its own (say a letter with hundreds of combining marks).
    for (const codePoint of text) {
      if (!budget(kept + codePoint)) break;
      kept += codePoint;
    }
  }
  return `${kept.trimEnd()}${TRUNCATION_MARK}`;
}

/**
 * The readable part of an object name: `name` made safe for S3 keys and file systems.
 *
 * Steps: NFC normalisation; `/ \ < > : " | ? * # % +`, control characters, lone surrogates, line
 * and paragraph separators and noncharacters become `_`; other spaces become a plain space;
 * invisible format characters are dropped (joiners and emoji tag characters kept); every dot of a
 * run of two or more dots becomes `_`; the ends are trimmed; leading dots become `_`; an empty
 * result becomes `unnamed`; over {@link NAME_MAX_CODE_POINTS} code points or
 * {@link NAME_MAX_BYTES} bytes it is cut on a grapheme boundary and ends in `…`. Letters of every
 * script, accents and emoji are kept as they are.
 */
export function safeName(name: string): string {
  let text = '';
  for (const char of name.normalize('NFC')) text += safeCodePoint(char);
  text = text.replace(/\.{2,}/g, (dots) => '_'.repeat(dots.length)).trim();
  text = text.replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  if (text === '') text = 'unnamed';
  return truncateName(text);
}

/**
 * First {@link ID_SUFFIX_LENGTH} hex characters of the SHA-256 of `id`: the suffix of an object name.
 */
export function idSuffix(id: string): string {
  return sha256Hex(id).slice(0, ID_SUFFIX_LENGTH);
}

/**
 * Object name of a resource, used as the file name (before `.json`) of its stored documents, for
 * example `Sales Queue--3f2a9c1d`.
 *
 * The name is `safeName(name) + '--' + idSuffix(id)`: the readable, path-safe name (see
 * {@link safeName}) and the first 8 hex characters of the SHA-256 of the full id.
 *
 * It is a pure function of `(name, id)`, so a resource keeps its object name from one snapshot to
 * the next whatever else the instance holds, and a diff of two snapshot folders lines up. The id is
 * hashed rather than cut, so ids that share a beginning (as seeded or sequential ids do) still
 * differ, and the suffix is lower-case hex, safe on case-insensitive file systems. The suffix
 * also keeps Windows device names (`CON`, `NUL`) from ever being a whole file name. Two resources
 * whose names are equal once made safe (`a/b` and `a_b`) differ by their suffixes; they would
 * collide only if, in addition, 32 bits of the hashes of two different ids were equal. The manifest
 * schema rejects duplicate keys, so even that case fails loudly instead of overwriting an object.
 *
 * The result contains no `/`, `\`, `..`, control character or leading dot, is NFC, and is at most
 * 170 bytes of UTF-8.
 *
 * @param name - The resource's name as Connect returns it (any Unicode).
 * @param id - The resource's id; case and every character count.
 * @returns The object name, without `.json`.
 * @throws RangeError when `id` is empty.
 */
export function objectName(name: string, id: string): string {
  if (id === '') throw new RangeError('object name needs a non-empty id');
  return `${safeName(name)}--${idSuffix(id)}`;
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON and hashes
// ---------------------------------------------------------------------------------------------

/** The canonical text of `value` at depth `indent`; `undefined` means "omit this member". */
function writeCanonical(value: unknown, indent: string, seen: Set<object>): string | undefined {
  let current = value;
  if (
    current !== null &&
    typeof current === 'object' &&
    typeof (current as { toJSON?: unknown }).toJSON === 'function'
  ) {
    current = (current as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof current) {
    case 'string':
      return JSON.stringify(current);
    case 'number':
      return Number.isFinite(current) ? JSON.stringify(current) : 'null';
    case 'boolean':
      return current ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonical JSON cannot hold a bigint');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (current === null) return 'null';
  const object = current as object;
  if (seen.has(object)) throw new TypeError('canonical JSON cannot hold a circular structure');
  seen.add(object);
  const inner = `${indent}  `;
  let text: string;
  if (Array.isArray(object)) {
    const items = object.map((item: unknown) => writeCanonical(item, inner, seen) ?? 'null');
    text = items.length === 0 ? '[]' : `[\n${items.map((item) => `${inner}${item}`).join(',\n')}\n${indent}]`;
  } else {
    const record = object as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const member = writeCanonical(record[key], inner, seen);
      if (member !== undefined) members.push(`${inner}${JSON.stringify(key)}: ${member}`);
    }
    text = members.length === 0 ? '{}' : `{\n${members.join(',\n')}\n${indent}}`;
  }
  seen.delete(object);
  return text;
}

/**
 * Serialises `value` the one way stored documents are written, so that two snapshots diff well
 * and a document's SHA-256 depends only on its content.
 *
 * Object keys are sorted recursively by UTF-16 code units (as `Array.prototype.sort` and RFC 8785
 * do), including integer-like keys; indentation is 2 spaces; the text ends with one newline.
 * Otherwise it follows `JSON.stringify`: `toJSON` is honoured, `undefined`, functions and symbols
 * are dropped from objects and become `null` in arrays, non-finite numbers become `null`.
 * Strings are kept as they are (not normalised).
 *
 * @throws TypeError on a bigint, a circular structure, or a top-level value JSON cannot represent
 *   (`undefined`, a function, a symbol).
 */
export function canonicalJson(value: unknown): string {
  const text = writeCanonical(value, '', new Set());
  if (text === undefined) throw new TypeError('canonical JSON needs a JSON-representable value');
  return `${text}\n`;
}

/**
 * SHA-256 of `body` as 64 lower-case hex characters. A string is hashed as its UTF-8 bytes.
 */
export function sha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Manifest and latest.json
// ---------------------------------------------------------------------------------------------

const count = z.number().int().nonnegative();
const isoTime = z.iso.datetime();
const snapshotIdSchema = z
  .string()
  .refine(isSnapshotId, 'must be a snapshot id like 2026-11-22T02-00-07.123Z');

/** Schema of the instance a snapshot is of: id, ARN, alias, Region and account. */
export const instanceIdentitySchema = z.object({
  id: z.string().min(1),
  arn: z.string().min(1),
  alias: z.string(),
  region: z.string().min(1),
  accountId: z.string().min(1),
});

/** Schema of one entry of `manifest.objects`: one stored object of the snapshot. */
export const manifestObjectSchema = z.object({
  /**
   * Resource kind (`queues`, ...), `instance` for `instance.json`, `changes` for `changes.json`,
   * `flows-raw` for raw flow content, `prompts-audio` for prompt audio.
   */
  kind: z.string().min(1),
  /** Resource id (the instance id for `instance.json` and `changes.json`). */
  id: z.string().min(1),
  /** Resource ARN, when the resource has one. */
  arn: z.string().min(1).optional(),
  /** Resource name as Connect returns it (not made safe). */
  name: z.string(),
  /** Key relative to the snapshot folder, for example `queues/Sales Queue--3f2a9c1d.json`. */
  key: z.string().refine(isSafeRelativeKey, 'must be a safe key relative to the snapshot folder'),
  /** SHA-256 of the stored bytes, lower-case hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters'),
  /** Size of the stored object in bytes. */
  bytes: count,
  /**
   * MIME type of a binary object (prompt audio: what the download answered, e.g. `audio/wav`).
   * Absent for JSON objects (`application/json`).
   */
  contentType: z.string().min(1).optional(),
  /**
   * The resource's change signal when it was read (for example its `LastModifiedTime` and a hash of
   * its tags), for kinds that detect changes. The next backup compares it to decide whether to
   * read the resource again or copy this object forward.
   */
  signal: z.string().min(1).optional(),
});

/** Schema of a manifest warning: free text, or tied to one resource. */
export const manifestWarningSchema = z.union([
  z.string(),
  z.object({ kind: z.string(), id: z.string(), message: z.string() }),
]);

/** A manifest warning as a sentence for people: `users 1a2b…: removed 1 password member(s)`. */
export function warningSentence(warning: z.infer<typeof manifestWarningSchema>): string {
  return typeof warning === 'string' ? warning : `${warning.kind} ${warning.id}: ${warning.message}`;
}

/**
 * Schema of `manifest.json`, format version 1.
 *
 * Every object in the snapshot folder except `manifest.json` itself is listed in `objects`,
 * including `instance.json` (kind `instance`), `changes.json` (kind `changes`; snapshots written
 * before change logs have none), the raw flow content (kind `flows-raw`) and the
 * prompts' audio (kind `prompts-audio`, with its `contentType`); a
 * verifier reports anything else as unexpected. Unknown members are dropped when parsing, so a
 * later writer of version 1 may add optional members. Refinements: keys are unique and
 * `finishedAt` is not before `startedAt`.
 */
export const manifestSchema = z
  .object({
    formatVersion: z.literal(FORMAT_VERSION),
    snapshotId: snapshotIdSchema,
    instance: instanceIdentitySchema,
    /** ISO 8601 UTC time the backup started, e.g. `2026-11-22T02:00:07.123Z`. */
    startedAt: isoTime,
    /** ISO 8601 UTC time the backup finished, just before the manifest was written. */
    finishedAt: isoTime,
    objects: z.array(manifestObjectSchema),
    /** Resources stored per kind. */
    counts: z.record(z.string(), count),
    /** Connect API calls made per operation name, e.g. `{ "DescribeUser": 1000 }`. */
    apiCalls: z.record(z.string(), count),
    /** Throttling responses (429) seen, in total and per operation name. */
    throttles: z.object({ count, byOperation: z.record(z.string(), count) }),
    warnings: z.array(manifestWarningSchema),
    /**
     * Kinds read from Connect in full in this run (`read`), and kinds read incrementally, whose
     * unchanged objects were copied from the previous snapshot (`carriedForward`).
     */
    kinds: z.object({
      read: z.array(z.string()),
      carriedForward: z.array(z.string()),
      /**
       * The snapshot unchanged objects were copied from, when any kind was read incrementally: the
       * complete snapshot the incremental kinds were based on (or, when every one of them was based
       * on a partial snapshot, the newest of those). `byKind[kind].basedOn` names each kind's own.
       */
      basedOn: snapshotIdSchema.optional(),
      /** Per kind: how it was read, how many resources were read and carried forward, and when it was last read in full. */
      byKind: z
        .record(
          z.string(),
          z.object({
            mode: z.enum(['full', 'incremental']),
            /** Resources read from Connect in this run. */
            read: count,
            /** Resources whose objects were copied unchanged from `basedOn`. */
            carriedForward: count,
            /** When the kind was last read in full: this run's start, or that of an earlier snapshot. */
            lastFullReadAt: isoTime,
            /**
             * Incremental only: the snapshot this kind's unchanged resources were copied from, the
             * newest committed snapshot (complete or partial) that held the kind.
             */
            basedOn: snapshotIdSchema.optional(),
          }),
        )
        .optional(),
    }),
    /**
     * True when the backup read only some kinds (`--kinds`): a partial snapshot is complete for
     * those kinds, but never becomes `latest.json`, and a restore from "latest" never picks it.
     * Absent in full backups and in manifests written before partial snapshots were recorded.
     */
    partial: z.literal(true).optional(),
    /**
     * Set on a restore's safety snapshot: the target backed up just before that restore's first
     * write (the restore id). Retention keeps recent ones whatever the keep rules say.
     */
    safetyFor: z.string().min(1).optional(),
  })
  .superRefine((manifest, context) => {
    const seen = new Set<string>();
    manifest.objects.forEach((object, index) => {
      if (seen.has(object.key)) {
        context.addIssue({
          code: 'custom',
          message: `duplicate key ${object.key}`,
          path: ['objects', index, 'key'],
        });
      }
      seen.add(object.key);
    });
    if (Date.parse(manifest.finishedAt) < Date.parse(manifest.startedAt)) {
      context.addIssue({ code: 'custom', message: 'finishedAt is before startedAt', path: ['finishedAt'] });
    }
  });

/** A parsed `manifest.json`. */
export type Manifest = z.infer<typeof manifestSchema>;
/** One entry of {@link Manifest.objects}. */
export type ManifestObject = z.infer<typeof manifestObjectSchema>;
/** One entry of {@link Manifest.warnings}. */
export type ManifestWarning = z.infer<typeof manifestWarningSchema>;

/**
 * Schema of `latest.json`, the pointer to an instance's newest complete snapshot. `manifestKey` is
 * relative to the instance folder and must be `snapshots/<snapshotId>/manifest.json`.
 */
export const latestPointerSchema = z
  .object({
    formatVersion: z.literal(FORMAT_VERSION),
    snapshotId: snapshotIdSchema,
    manifestKey: z.string(),
    /** The `finishedAt` of the snapshot's manifest. */
    finishedAt: isoTime,
  })
  .refine((pointer) => pointer.manifestKey === relativeManifestKey(pointer.snapshotId), {
    message: 'manifestKey must be snapshots/<snapshotId>/manifest.json',
    path: ['manifestKey'],
  });

/** A parsed `latest.json`. */
export type LatestPointer = z.infer<typeof latestPointerSchema>;

/** Builds the `latest.json` pointer to a finished snapshot from its manifest. */
export function latestPointerFor(manifest: Pick<Manifest, 'snapshotId' | 'finishedAt'>): LatestPointer {
  return {
    formatVersion: FORMAT_VERSION,
    snapshotId: manifest.snapshotId,
    manifestKey: relativeManifestKey(manifest.snapshotId),
    finishedAt: manifest.finishedAt,
  };
}
