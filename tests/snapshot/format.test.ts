import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  FORMAT_VERSION,
  instanceDocumentKey,
  isSafeRelativeKey,
  latestKey,
  latestPointerFor,
  latestPointerSchema,
  manifestKey,
  manifestSchema,
  NAME_MAX_CODE_POINTS,
  newSnapshotId,
  normalizePrefix,
  objectName,
  parseSnapshotId,
  rawFlowObjectKey,
  resourceObjectKey,
  restoreReportKey,
  safeName,
  sha256Hex,
  snapshotObjectKey,
  snapshotRoot,
} from '#shared/snapshot/format.js';
import { sampleManifest } from './fixtures.js';

const ID = '3f2a9c1d-0b7e-4c53-9d0a-6f1e2b3c4d5e';
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** Everything an object name must be, whatever the input. */
function expectPathSafe(name: string): void {
  expect(name).not.toMatch(/[/\\<>:"|?*#%+]/);
  expect(name).not.toContain('..');
  expect(name).not.toMatch(/\p{Cc}/u);
  expect(name.startsWith('.')).toBe(false);
  expect(name.normalize('NFC')).toBe(name);
  expect(utf8Bytes(name)).toBeLessThanOrEqual(170);
  expect(name).toMatch(/--[0-9a-f]{8}$/);
}

describe('objectName', () => {
  it('keeps a plain name readable and ends it with 8 hex characters of the id hash', () => {
    const name = objectName('Sales Queue', ID);

    expect(name).toBe(`Sales Queue--${sha256Hex(ID).slice(0, 8)}`);
  });

  it('is stable: the same name and id give the same object name every time', () => {
    const first = objectName('Sales Queue', ID);
    const second = objectName('Sales Queue', structuredClone(ID));

    expect(second).toBe(first);
  });

  it('replaces path separators, Windows-reserved and URL-sensitive characters', () => {
    const name = objectName('a/b\\c<d>e:f"g|h?i*j#k%l+m', ID);

    expect(name.startsWith('a_b_c_d_e_f_g_h_i_j_k_l_m--')).toBe(true);
    expectPathSafe(name);
  });

  it('never yields a dot segment or a leading dot', () => {
    const names = ['..', '.', '../../etc/passwd', '.hidden', '...and more', 'Wait...', ' . '];

    const made = names.map((name) => objectName(name, ID));

    for (const name of made) expectPathSafe(name);
    expect(made[0]).toBe(`__--${sha256Hex(ID).slice(0, 8)}`);
    expect(made[2]?.startsWith('______etc_passwd--')).toBe(true);
    expect(made[3]?.startsWith('_hidden--')).toBe(true);
    expect(made[5]?.startsWith('Wait___--')).toBe(true);
  });

  it('replaces control characters and drops invisible bidi overrides', () => {
    const name = objectName('line1\nline2\ttab\u0000nul\u202Eevil\u200Bzw', ID);

    expect(name.startsWith('line1_line2_tab_nulevilzw--')).toBe(true);
    expectPathSafe(name);
  });

  it('keeps accents, other scripts and emoji readable, NFC-normalised', () => {
    const decomposed = 'Cafe\u0301 Ünïcödé 東京 Кью 🎧👩‍💻🇫🇷';

    const name = objectName(decomposed, ID);

    expect(name.startsWith('Café Ünïcödé 東京 Кью 🎧👩‍💻🇫🇷--')).toBe(true);
    expectPathSafe(name);
  });

  it('gives NFC and NFD spellings of one name the same object name', () => {
    expect(objectName('Cafe\u0301', ID)).toBe(objectName('Café', ID));
  });

  it('names an empty or blank resource "unnamed"', () => {
    expect(objectName('', ID).startsWith('unnamed--')).toBe(true);
    expect(objectName('  \t ', ID).startsWith('_--')).toBe(true);
    expect(objectName('   ', ID).startsWith('unnamed--')).toBe(true);
  });

  it('truncates names over 200 characters on a grapheme boundary and marks the cut', () => {
    const long = 'Queue '.repeat(40);

    const name = objectName(long, ID);

    const readable = name.slice(0, name.lastIndexOf('--'));
    expect([...readable].length).toBeLessThanOrEqual(NAME_MAX_CODE_POINTS);
    expect(readable.endsWith('…')).toBe(true);
    expect(long.startsWith(readable.slice(0, -1))).toBe(true);
    expectPathSafe(name);
  });

  it('never splits an emoji sequence and stays within the byte budget', () => {
    const family = '👨‍👩‍👧‍👦';
    const long = family.repeat(60);

    const name = objectName(long, ID);

    const readable = name.slice(0, name.lastIndexOf('--') - 1);
    expect(readable.length % family.length).toBe(0);
    expect(readable.replaceAll(family, '')).toBe('');
    expect(utf8Bytes(name)).toBeLessThanOrEqual(170);
  });

  it('cuts on a code point when one grapheme alone is too long', () => {
    const zalgo = `a${'\u0301'.repeat(300)}`;

    const name = objectName(zalgo, ID);

    expectPathSafe(name);
    expect(name.startsWith('á')).toBe(true);
  });

  it('replaces lone surrogates', () => {
    const name = objectName('bad\uD800half', ID);

    expect(name.startsWith('bad_half--')).toBe(true);
  });

  it('keeps two resources whose names collide once made safe distinct', () => {
    const first = objectName('Support/Tier 1', '11111111-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
    const second = objectName('Support_Tier 1', '22222222-bbbb-4bbb-8bbb-bbbbbbbbbbbb');

    expect(safeName('Support/Tier 1')).toBe(safeName('Support_Tier 1'));
    expect(first).not.toBe(second);
  });

  it('keeps resources apart whose ids share their first 8 characters', () => {
    const first = objectName('Same', '3f2a9c1d-0000-4000-8000-000000000001');
    const second = objectName('Same', '3f2a9c1d-0000-4000-8000-000000000002');

    expect(first).not.toBe(second);
  });

  it('keeps long names that share their first 100 characters apart', () => {
    const stem = 'x'.repeat(150);

    const first = objectName(`${stem}-first`, 'id-1');
    const second = objectName(`${stem}-second`, 'id-2');

    expect(first).not.toBe(second);
  });

  it('refuses an empty id', () => {
    expect(() => objectName('Sales', '')).toThrow(RangeError);
  });
});

describe('newSnapshotId', () => {
  it('writes the UTC time to the millisecond with hyphens for colons', () => {
    expect(newSnapshotId(new Date('2026-11-22T02:00:07.123Z'))).toBe('2026-11-22T02-00-07.123Z');
  });

  it('gives two snapshots started in the same second different ids', () => {
    const first = newSnapshotId(new Date('2026-11-22T02:00:07.001Z'));
    const second = newSnapshotId(new Date('2026-11-22T02:00:07.002Z'));

    expect(first).not.toBe(second);
  });

  it('sorts lexicographically in time order', () => {
    const times = [
      '2026-11-22T02:00:07.123Z',
      '2025-01-01T00:00:00.000Z',
      '2026-11-22T02:00:07.012Z',
      '2026-11-22T10:00:00.000Z',
      '2026-11-22T02:00:59.999Z',
      '2026-02-03T23:59:59.999Z',
    ].map((iso) => new Date(iso));

    const byId = times.map(newSnapshotId).sort();
    const byTime = [...times].sort((a, b) => a.getTime() - b.getTime()).map(newSnapshotId);

    expect(byId).toEqual(byTime);
  });

  it('round-trips through parseSnapshotId', () => {
    const date = new Date('2026-11-22T02:00:07.123Z');

    expect(parseSnapshotId(newSnapshotId(date))).toEqual(date);
    expect(parseSnapshotId('2026-11-22T02-00-07Z')).toBeUndefined();
    expect(parseSnapshotId('2026-02-30T02-00-07.000Z')).toBeUndefined();
  });

  it('refuses an invalid date or a year outside 0000-9999', () => {
    expect(() => newSnapshotId(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => newSnapshotId(new Date('+010000-01-01T00:00:00.000Z'))).toThrow(RangeError);
  });
});

describe('key layout', () => {
  const SNAP = '2026-11-22T02-00-07.123Z';

  it('builds every key under <prefix>/<instanceId>/', () => {
    expect(latestKey('backups', 'inst-1')).toBe('backups/inst-1/latest.json');
    expect(manifestKey('backups/', 'inst-1', SNAP)).toBe(`backups/inst-1/snapshots/${SNAP}/manifest.json`);
    expect(instanceDocumentKey('a/b', 'inst-1', SNAP)).toBe(`a/b/inst-1/snapshots/${SNAP}/instance.json`);
    expect(restoreReportKey('backups', 'inst-2', SNAP)).toBe(`backups/inst-2/restores/${SNAP}/report.json`);
    expect(resourceObjectKey('queues', 'Sales--3f2a9c1d')).toBe('queues/Sales--3f2a9c1d.json');
    expect(rawFlowObjectKey('Main--3f2a9c1d')).toBe('flows-raw/Main--3f2a9c1d.json');
    expect(snapshotObjectKey('backups', 'inst-1', SNAP, 'queues/Sales--3f2a9c1d.json')).toBe(
      `backups/inst-1/snapshots/${SNAP}/queues/Sales--3f2a9c1d.json`,
    );
  });

  it('allows an empty prefix without a leading slash', () => {
    expect(latestKey('', 'inst-1')).toBe('inst-1/latest.json');
    expect(snapshotRoot('', 'inst-1', SNAP)).toBe(`inst-1/snapshots/${SNAP}/`);
  });

  it('refuses prefixes, ids and kinds that could escape their folder', () => {
    expect(() => normalizePrefix('/abs')).toThrow(RangeError);
    expect(() => normalizePrefix('a/../b')).toThrow(RangeError);
    expect(() => normalizePrefix('a//b')).toThrow(RangeError);
    expect(() => latestKey('', '..')).toThrow(RangeError);
    expect(() => latestKey('', 'a/b')).toThrow(RangeError);
    expect(() => snapshotRoot('', 'inst-1', '2026-11-22T02-00-07Z')).toThrow(RangeError);
    expect(() => resourceObjectKey('Queues', 'x')).toThrow(RangeError);
    expect(() => resourceObjectKey('flows-raw', 'x')).toThrow(RangeError);
    expect(() => snapshotObjectKey('', 'inst-1', SNAP, '../other/x.json')).toThrow(RangeError);
  });

  it('refuses a key over 1024 bytes of UTF-8', () => {
    const prefix = '😀'.repeat(250);

    expect(() => manifestKey(prefix, 'inst-1', SNAP)).toThrow(/1024/);
  });

  it('keeps a key with the longest object name and a long prefix under 1024 bytes', () => {
    const name = objectName('🎧'.repeat(300), ID);

    const key = snapshotObjectKey('x'.repeat(600), ID, SNAP, resourceObjectKey('routing-profiles', name));

    expect(utf8Bytes(key)).toBeLessThanOrEqual(1024);
  });

  it('accepts only safe relative keys in manifests', () => {
    expect(isSafeRelativeKey('queues/a.json')).toBe(true);
    expect(isSafeRelativeKey('/queues/a.json')).toBe(false);
    expect(isSafeRelativeKey('queues/../../x')).toBe(false);
    expect(isSafeRelativeKey('manifest.json')).toBe(false);
    expect(isSafeRelativeKey('a\\b')).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys recursively, indents by 2 spaces and ends with a newline', () => {
    const text = canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } });

    expect(text).toBe(
      '{\n  "a": {\n    "c": "x",\n    "d": [\n      3,\n      {\n        "y": null,\n        "z": true\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('sorts integer-like keys as strings too', () => {
    expect(canonicalJson({ 10: 'a', 9: 'b', a: 'c' })).toBe('{\n  "10": "a",\n  "9": "b",\n  "a": "c"\n}\n');
  });

  it('gives the same text for the same content in any key order', () => {
    const first = canonicalJson({ Name: 'Sales', Tags: { team: 'x', cost: 'y' }, Id: '1' });
    const second = canonicalJson({ Id: '1', Tags: { cost: 'y', team: 'x' }, Name: 'Sales' });

    expect(second).toBe(first);
  });

  it('follows JSON.stringify for undefined, dates, empty containers and non-finite numbers', () => {
    const value = {
      gone: undefined,
      when: new Date('2026-11-22T02:00:07.123Z'),
      list: [undefined, Number.NaN],
      empty: {},
      none: [],
    };

    const parsed: unknown = JSON.parse(canonicalJson(value));

    expect(parsed).toEqual({ when: '2026-11-22T02:00:07.123Z', list: [null, null], empty: {}, none: [] });
    expect(canonicalJson('é"')).toBe('"é\\""\n');
  });

  it('refuses circular structures and bigints', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;

    expect(() => canonicalJson(loop)).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });
});

describe('sha256Hex', () => {
  it('hashes strings as UTF-8 and bytes as they are', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new TextEncoder().encode('é'))).toBe(sha256Hex('é'));
  });
});

describe('manifestSchema', () => {
  it('accepts a complete manifest and returns it unchanged', () => {
    const manifest = sampleManifest();

    expect(manifestSchema.parse(structuredClone(manifest))).toEqual(manifest);
  });

  it('rejects duplicate keys, a bad hash, an unsafe key and a newer format version', () => {
    const duplicate = sampleManifest();
    const [first] = duplicate.objects;
    duplicate.objects.push(structuredClone(first as NonNullable<typeof first>));
    const badHash = sampleManifest();
    (badHash.objects[0] as { sha256: string }).sha256 = 'ABC';
    const unsafe = sampleManifest();
    (unsafe.objects[0] as { key: string }).key = '../x.json';
    const newer = { ...sampleManifest(), formatVersion: 2 };

    expect(manifestSchema.safeParse(duplicate).success).toBe(false);
    expect(manifestSchema.safeParse(badHash).success).toBe(false);
    expect(manifestSchema.safeParse(unsafe).success).toBe(false);
    expect(manifestSchema.safeParse(newer).success).toBe(false);
  });

  it('rejects a manifest that finished before it started', () => {
    const manifest = { ...sampleManifest(), finishedAt: '2026-11-22T01:00:00.000Z' };

    expect(manifestSchema.safeParse(manifest).success).toBe(false);
  });
});

describe('latestPointerSchema', () => {
  it('accepts the pointer built from a manifest and rejects one pointing elsewhere', () => {
    const pointer = latestPointerFor(sampleManifest());

    expect(pointer).toEqual({
      formatVersion: FORMAT_VERSION,
      snapshotId: '2026-11-22T02-00-07.123Z',
      manifestKey: 'snapshots/2026-11-22T02-00-07.123Z/manifest.json',
      finishedAt: '2026-11-22T02:03:00.000Z',
    });
    expect(latestPointerSchema.parse(pointer)).toEqual(pointer);
    expect(latestPointerSchema.safeParse({ ...pointer, manifestKey: '../x' }).success).toBe(false);
  });
});
