import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { FolderSnapshotStore } from '#shared/snapshot/folder-store.js';
import { canonicalJson, sha256Hex } from '#shared/snapshot/format.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { StdoutSnapshotStore } from '#shared/snapshot/stdout-store.js';
import {
  compareKeys,
  MissingObjectError,
  type SnapshotStore,
  UnsupportedStoreOperationError,
} from '#shared/snapshot/store.js';
import { useS3rver, useTempFolders } from './fixtures.js';

const s3 = useS3rver();
const tempFolder = useTempFolders('connect-vault-folder-');

/** A line sink that keeps what it is given. */
function collectingSink() {
  const lines: string[] = [];
  return {
    lines,
    write(chunk: string, callback: (error?: Error | null) => void) {
      lines.push(chunk);
      callback();
      return true;
    },
  };
}

/** A fresh root inside the shared bucket, so S3 tests never see each other's keys. */
let s3Roots = 0;
function s3Store(options: { listPageSize?: number; client?: S3Client; kmsKeyId?: string } = {}) {
  s3Roots += 1;
  return new S3SnapshotStore({
    client: options.client ?? s3.client(),
    bucket: s3.bucket,
    prefix: `root-${s3Roots}`,
    listPageSize: options.listPageSize,
    kmsKeyId: options.kmsKeyId,
  });
}

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const items: string[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);

/**
 * The stores under test. `onS3rver` marks the one whose listings come from s3rver, which lists in
 * file-system walk order rather than S3's UTF-8 byte order, and which misses a common prefix whose
 * objects all sit two or more folders deeper. Real S3 does neither, so only those two checks are
 * relaxed for it.
 */
const stores: Array<[string, { onS3rver: boolean; atomic: boolean; make: () => Promise<SnapshotStore> }]> = [
  ['S3SnapshotStore', { onS3rver: true, atomic: true, make: async () => s3Store() }],
  [
    'FolderSnapshotStore',
    { onS3rver: false, atomic: true, make: async () => new FolderSnapshotStore(await tempFolder()) },
  ],
  // One run writes it, alone: its conditional writes are not made to race.
  [
    'StdoutSnapshotStore',
    {
      onS3rver: false,
      atomic: false,
      make: async () => new StdoutSnapshotStore({ output: collectingSink() }),
    },
  ],
];

describe.each(stores)('%s', (_name, { onS3rver, atomic, make: makeStore }) => {
  it('round-trips a JSON document, a string and binary bytes', async () => {
    const store = await makeStore();
    const json = canonicalJson({ Name: 'Café 🎧', Id: 'q-1' });
    const binary = new Uint8Array([0, 255, 128, 10, 13]);

    await store.put('i/snapshots/s/queues/Café 🎧--abcd1234.json', json, 'application/json');
    await store.put('i/notes.txt', 'plain text', 'text/plain');
    await store.put('i/blob.bin', binary, 'application/octet-stream');

    expect(text(await store.get('i/snapshots/s/queues/Café 🎧--abcd1234.json'))).toBe(json);
    expect(text(await store.get('i/notes.txt'))).toBe('plain text');
    expect(await store.get('i/blob.bin')).toEqual(binary);
  });

  it('returns undefined for a key with no object, including a folder', async () => {
    const store = await makeStore();
    await store.put('a/b/c.json', '{}\n', 'application/json');

    expect(await store.get('a/b/missing.json')).toBeUndefined();
    expect(await store.get('a/b')).toBeUndefined();
  });

  it('replaces an object on a second put', async () => {
    const store = await makeStore();
    await store.put('k.json', 'one', 'text/plain');

    await store.put('k.json', 'two', 'text/plain');

    expect(text(await store.get('k.json'))).toBe('two');
  });

  it('lists keys by plain prefix in UTF-8 byte order', async () => {
    const store = await makeStore();
    const keys = [
      'p/b.json',
      'p/a/x.json',
      'p/a-z.json',
      'p/é.json',
      'p/z.json',
      'pq/other.json',
      'q/elsewhere.json',
    ];
    for (const key of keys) await store.put(key, key, 'text/plain');

    const inOrder = (keys: string[]) => (onS3rver ? [...keys].sort(compareKeys) : keys);
    const all = inOrder(await collect(store.list('p/')));
    const partial = inOrder(await collect(store.list('p/a')));
    const none = await collect(store.list('nothing/'));

    expect(all).toEqual(['p/a-z.json', 'p/a/x.json', 'p/b.json', 'p/z.json', 'p/é.json']);
    expect(partial).toEqual(['p/a-z.json', 'p/a/x.json']);
    expect(none).toEqual([]);
  });

  it('lists the sub-folders right under a prefix', async () => {
    const store = await makeStore();
    for (const key of [
      'i/snapshots/2/m.json',
      'i/snapshots/1/a/b.json',
      'i/snapshots/1/m.json',
      'i/latest.json',
    ]) {
      await store.put(key, '{}\n', 'application/json');
    }

    expect(await collect(store.listFolders('i/snapshots/'))).toEqual(['i/snapshots/1/', 'i/snapshots/2/']);
    if (!onS3rver) expect(await collect(store.listFolders('i/'))).toEqual(['i/snapshots/']);
  });

  it('copies an object to a new key and leaves the source in place', async () => {
    const store = await makeStore();
    const body = canonicalJson({ Name: 'Sales & Support', Email: 'jane@example.com' });
    const from = 'i/snapshots/1/queues/Sales & Support, jane@example.com;x=y$--abcd1234.json';
    const to = 'i/snapshots/2/queues/Sales & Support, jane@example.com;x=y$--abcd1234.json';
    await store.put(from, body, 'application/json');

    await store.copy(from, to);

    expect(text(await store.get(to))).toBe(body);
    expect(text(await store.get(from))).toBe(body);
  });

  it('throws MissingObjectError when copying a key with no object', async () => {
    const store = await makeStore();

    await expect(store.copy('nope/a.json', 'nope/b.json')).rejects.toBeInstanceOf(MissingObjectError);
  });

  it('writes with putIfAbsent only when the key is free', async () => {
    const store = await makeStore();

    const first = await store.putIfAbsent('lock.json', 'first', 'text/plain');
    const second = await store.putIfAbsent('lock.json', 'second', 'text/plain');

    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(text(await store.get('lock.json'))).toBe('first');
  });

  it('copies with copyIfAbsent only when the target is free, and reports the copy', async () => {
    const store = await makeStore();
    await store.put('a/from.json', '{"v":1}', 'application/json');
    await store.put('a/taken.json', 'other', 'text/plain');

    const copied = await store.copyIfAbsent('a/from.json', 'b/to.json');
    const refused = await store.copyIfAbsent('a/from.json', 'a/taken.json');

    expect(copied.written).toBe(true);
    expect(refused).toEqual({ written: false });
    expect(text(await store.get('b/to.json'))).toBe('{"v":1}');
    expect(text(await store.get('a/taken.json'))).toBe('other');
    await expect(store.copyIfAbsent('a/none.json', 'b/none.json')).rejects.toBeInstanceOf(MissingObjectError);
  });

  it('replaces with putIfMatch only the version read, once', async () => {
    const store = await makeStore();
    await store.put('i/latest.json', 'one', 'text/plain');
    const read = await store.getTagged('i/latest.json');
    if (!read) throw new Error('not read');

    const swapped = await store.putIfMatch('i/latest.json', 'two', 'text/plain', read.tag);
    const stale = await store.putIfMatch('i/latest.json', 'three', 'text/plain', read.tag);
    const absent = await store.putIfMatch('i/none.json', 'x', 'text/plain', read.tag);

    expect(text(read.bytes)).toBe('one');
    expect([swapped, stale, absent]).toEqual([true, false, false]);
    expect(text(await store.get('i/latest.json'))).toBe('two');
    expect(await store.getTagged('i/none.json')).toBeUndefined();
  });

  it.skipIf(!atomic)('lets exactly one of racing conditional writers win', async () => {
    const store = await makeStore();
    await store.put('race/from.json', 'from', 'text/plain');
    await store.put('race/latest.json', 'start', 'text/plain');
    const read = await store.getTagged('race/latest.json');
    if (!read) throw new Error('not read');

    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.putIfAbsent('race/once.json', `writer ${i}`, 'text/plain')),
    );
    const copied = await Promise.all(
      Array.from({ length: 8 }, () => store.copyIfAbsent('race/from.json', 'race/copy.json')),
    );
    const swapped = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.putIfMatch('race/latest.json', `writer ${i}`, 'text/plain', read.tag),
      ),
    );

    expect(created.filter(Boolean)).toHaveLength(1);
    expect(copied.filter((c) => c.written)).toHaveLength(1);
    expect(swapped.filter(Boolean)).toHaveLength(1);
    expect(text(await store.get('race/once.json'))).toBe(`writer ${created.indexOf(true)}`);
    expect(text(await store.get('race/latest.json'))).toBe(`writer ${swapped.indexOf(true)}`);
  });

  it('rejects a call whose abort signal has fired', async () => {
    const store = await makeStore();
    const controller = new AbortController();
    controller.abort(new Error('deadline'));

    await expect(
      store.put('x.json', '{}', 'application/json', { abortSignal: controller.signal }),
    ).rejects.toThrow();
  });
});

/** Records the headers of every request the client sends (real HTTP still goes to s3rver). */
function recordingClient(): {
  client: S3Client;
  requests: Array<{ method: string; headers: Record<string, string> }>;
} {
  const requests: Array<{ method: string; headers: Record<string, string> }> = [];
  const client = s3.client({});
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { method: string; headers: Record<string, string> };
      requests.push({ method: request.method, headers: { ...request.headers } });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordHeaders' },
  );
  return { client, requests };
}

describe('S3SnapshotStore', () => {
  it('describes itself as s3://bucket/prefix and hides its prefix from keys', async () => {
    const store = new S3SnapshotStore({ client: s3.client(), bucket: s3.bucket, prefix: 'vault/prod' });
    await store.put('i/latest.json', '{}\n', 'application/json');

    expect(store.describe()).toBe('s3://vault-test/vault/prod/');
    expect(await collect(store.list('i/'))).toEqual(['i/latest.json']);
    const head = await s3
      .client()
      .send(new HeadObjectCommand({ Bucket: s3.bucket, Key: 'vault/prod/i/latest.json' }));
    expect(head.ContentType).toBe('application/json');
  });

  it('lists across many pages with the SDK paginator', async () => {
    const store = s3Store({ listPageSize: 2 });
    const keys = Array.from({ length: 9 }, (_, index) => `i/snapshots/s${index % 3}/k${index}.json`);
    for (const key of keys) await store.put(key, key, 'text/plain');

    const listed = await collect(store.list('i/'));
    const folders = await collect(store.listFolders('i/snapshots/'));

    expect(listed).toEqual([...keys].sort());
    expect(folders).toEqual(['i/snapshots/s0/', 'i/snapshots/s1/', 'i/snapshots/s2/']);
  });

  it('asks for SSE-S3 and sends the SHA-256 of every small body', async () => {
    const { client, requests } = recordingClient();
    const store = s3Store({ client });
    const body = canonicalJson({ a: 1 });

    await store.put('a.json', body, 'application/json');
    await store.copy('a.json', 'b.json');

    const [put, copy] = requests.filter((request) => request.method === 'PUT');
    expect(put?.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect(put?.headers['x-amz-checksum-sha256']).toBe(
      Buffer.from(sha256Hex(body), 'hex').toString('base64'),
    );
    expect(copy?.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect(copy?.headers['x-amz-copy-source']).toMatch(/a\.json$/);
  });

  it('asks for SSE-KMS with the configured key', async () => {
    const { client, requests } = recordingClient();
    const store = s3Store({ client, kmsKeyId: 'alias/connect-vault' });

    await store.put('a.json', '{}\n', 'application/json');

    const put = requests.find((request) => request.method === 'PUT');
    expect(put?.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(put?.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe('alias/connect-vault');
  });

  it('writes once with one conditional PUT (If-None-Match: *), answered 412 when the key exists', async () => {
    const { client, requests } = recordingClient();
    const store = s3Store({ client });

    const written = await store.putIfAbsent('claim.json', 'mine', 'text/plain');
    const again = await store.putIfAbsent('claim.json', 'theirs', 'text/plain');

    expect([written, again]).toEqual([true, false]);
    expect(requests.map((request) => request.method)).toEqual(['PUT', 'PUT']);
    expect(requests.map((request) => request.headers['if-none-match'])).toEqual(['*', '*']);
  });

  it('copies once with If-None-Match: *, and replaces only on a matching If-Match', async () => {
    const { client, requests } = recordingClient();
    const store = s3Store({ client });
    await store.put('from.json', '{"a":1}', 'application/json');

    const first = await store.copyIfAbsent('from.json', 'to.json');
    const second = await store.copyIfAbsent('from.json', 'to.json');
    const read = await store.getTagged('to.json');
    if (!read) throw new Error('no copy');
    const stale = await store.putIfMatch('to.json', 'x', 'text/plain', '"0123"');
    const swapped = await store.putIfMatch('to.json', 'y', 'text/plain', read.tag);
    const again = await store.putIfMatch('to.json', 'z', 'text/plain', read.tag);
    const gone = await store.putIfMatch('nothing.json', 'z', 'text/plain', read.tag);

    expect([first.written, second.written, stale, swapped, again, gone]).toEqual([
      true,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(text(await store.get('to.json'))).toBe('y');
    const puts = requests.filter((request) => request.method === 'PUT').slice(1);
    expect(puts.map((request) => request.headers['if-none-match'] ?? request.headers['if-match'])).toEqual([
      '*',
      '*',
      '"0123"',
      read.tag,
      read.tag,
      read.tag,
    ]);
  });

  it('uploads a large body in parts and reads it back whole', async () => {
    s3Roots += 1;
    const store = new S3SnapshotStore({
      client: s3.client(),
      bucket: s3.bucket,
      prefix: `root-${s3Roots}`,
      multipartThresholdBytes: 1024 * 1024,
      partSizeBytes: 5 * 1024 * 1024,
    });
    const body = randomBytes(6 * 1024 * 1024);

    await store.put('big.bin', body, 'application/octet-stream');

    const read = await store.get('big.bin');
    expect(read?.length).toBe(body.length);
    expect(sha256Hex(read ?? new Uint8Array())).toBe(sha256Hex(body));
  });
});

describe('FolderSnapshotStore', () => {
  it('refuses keys that could leave its root', async () => {
    const store = new FolderSnapshotStore(await tempFolder());

    for (const key of ['../x.json', '/etc/x.json', 'a//b.json', 'a/./b.json', 'a\\b.json', '', 'a/.~temp']) {
      await expect(store.put(key, 'x', 'text/plain'), key).rejects.toBeInstanceOf(RangeError);
    }
    await expect(collect(store.list('../'))).rejects.toBeInstanceOf(RangeError);
  });

  it('leaves no temporary file behind and describes itself by its absolute path', async () => {
    const root = await tempFolder();
    const store = new FolderSnapshotStore(root);

    await store.put('i/a.json', '{}\n', 'application/json');
    await store.putIfAbsent('i/a.json', 'x', 'text/plain');
    await store.putIfAbsent('i/b.json', '{}\n', 'application/json');
    await store.copy('i/a.json', 'i/c.json');

    expect((await readdir(join(root, 'i'))).sort()).toEqual(['a.json', 'b.json', 'c.json']);
    expect(store.describe()).toBe(root);
  });
});

describe('StdoutSnapshotStore', () => {
  it('writes one NDJSON line per object from which the exact bytes can be rebuilt', async () => {
    const sink = collectingSink();
    const store = new StdoutSnapshotStore({ output: sink });
    const canonical = canonicalJson({ b: [1, 2], a: 'é' });
    const binary = new Uint8Array([0xff, 0xfe, 0x00]);

    await store.put('i/q.json', canonical, 'application/json');
    await store.put('i/raw.json', '{"b":1,"a":2}', 'application/json');
    await store.put('i/bin', binary, 'application/octet-stream');

    const records = sink.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(sink.lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(records).toEqual([
      {
        key: 'i/q.json',
        sha256: sha256Hex(canonical),
        bytes: Buffer.byteLength(canonical),
        body: { a: 'é', b: [1, 2] },
      },
      { key: 'i/raw.json', sha256: sha256Hex('{"b":1,"a":2}'), bytes: 13, body: '{"b":1,"a":2}' },
      { key: 'i/bin', sha256: sha256Hex(binary), bytes: 3, body: '//4A', encoding: 'base64' },
    ]);
    expect(canonicalJson(records[0]?.body)).toBe(canonical);
    expect(Object.keys(records[0] ?? {})).toEqual(['key', 'sha256', 'bytes', 'body']);
  });

  it('writes a copy as a new line under the target key', async () => {
    const sink = collectingSink();
    const store = new StdoutSnapshotStore({ output: sink });
    await store.put('a.json', '{}\n', 'application/json');

    await store.copy('a.json', 'b.json');

    expect(sink.lines.map((line) => (JSON.parse(line) as { key: string }).key)).toEqual(['a.json', 'b.json']);
  });

  it('refuses to read back or copy a body too large to keep', async () => {
    const store = new StdoutSnapshotStore({ output: collectingSink(), retainBodiesUpToBytes: 4 });
    await store.put('small', 'abcd', 'text/plain');
    await store.put('large', 'abcde', 'text/plain');

    expect(text(await store.get('small'))).toBe('abcd');
    await expect(store.get('large')).rejects.toBeInstanceOf(UnsupportedStoreOperationError);
    await expect(store.copy('large', 'copy')).rejects.toBeInstanceOf(UnsupportedStoreOperationError);
    expect(store.describe()).toBe('stdout');
  });

  it('rejects a write when the stream fails', async () => {
    const store = new StdoutSnapshotStore({
      output: {
        write(_chunk, callback) {
          callback(new Error('EPIPE'));
          return false;
        },
      },
    });

    await expect(store.put('a', 'x', 'text/plain')).rejects.toThrow('EPIPE');
    expect(await store.get('a')).toBeUndefined();
  });
});
