/** The restore request schema and the password generator. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newPassword, PASSWORD_LENGTH } from '#shared/restore/password.js';
import { parseMappingText, parseRestoreRequest, restoreRequestSchema } from '#shared/restore/request.js';

describe('parseRestoreRequest', () => {
  it('fills in the defaults: latest snapshot, the source instance as target, create-missing, no dry run, a safety snapshot, verification', () => {
    const request = parseRestoreRequest({ source: { bucket: 'my-backups', instanceId: 'abc' } });

    expect(request).toEqual({
      source: { bucket: 'my-backups', prefix: '', instanceId: 'abc', snapshot: 'latest' },
      target: {},
      filters: {},
      mode: 'create-missing',
      mappings: {},
      dryRun: false,
      safetySnapshot: true,
      verify: true,
    });
  });

  it.each(['events/restore.json', 'events/restore-point-in-time.json'])(
    'accepts the sample event %s',
    (path) => {
      const parsed = restoreRequestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));

      expect(parsed.success).toBe(true);
    },
  );

  it('rejects unknown kinds and a target role that is not a role ARN', () => {
    expect(() =>
      parseRestoreRequest({
        source: { bucket: 'my-backups', instanceId: 'abc' },
        target: { roleArn: 'arn:aws:iam::444455556666:user/bob' },
        filters: { kinds: ['not-a-kind'] },
      }),
    ).toThrow(/target\.roleArn: must be an IAM role ARN.*filters\.kinds\.0/);
  });
});

describe('parseMappingText', () => {
  const failure = (text: string, format: 'json' | 'yaml') => {
    try {
      parseMappingText(text, format, 'mapping file m');
    } catch (error) {
      return error as Error & { problem?: string };
    }
    throw new Error('expected parseMappingText to throw');
  };

  it('reads a JSON or YAML mapping', () => {
    expect(parseMappingText('{"ids": {"a": "b"}}', 'json')).toEqual({ ids: { a: 'b' } });
    expect(parseMappingText('names:\n  queues:\n    Sales: Sales EU\n', 'yaml')).toEqual({
      names: { queues: { Sales: 'Sales EU' } },
    });
  });

  it('refuses an empty file, null and anything but an object, instead of reading them as no mapping', () => {
    const notAnObject =
      'it must be an object of ids, arns, names, accounts, regions, promptAudio, phoneNumbers, emailAddresses, not';
    for (const [text, format, why] of [
      ['', 'json', 'it is empty; give a mapping, or leave the mapping out for none'],
      [' \n', 'yaml', 'it is empty; give a mapping, or leave the mapping out for none'],
      ['null', 'json', `${notAnObject} null`],
      ['~\n', 'yaml', `${notAnObject} null`],
      ['[]', 'json', `${notAnObject} a list`],
      ['"ids"', 'json', `${notAnObject} string`],
    ] as const) {
      const error = failure(text, format);
      expect(error.name).toBe('RestoreInputError');
      expect(error.problem).toBe('invalid-mapping');
      expect(error.message).toBe(`Invalid mapping file m: ${why}`);
    }
  });

  it('refuses a key given twice in one object, in JSON (which would keep the last) and in YAML, naming it and its line', () => {
    const json = failure('{\n  "ids": {\n    "a": "1",\n    "a": "2"\n  }\n}', 'json');
    const escaped = failure('{"ids": {"a": "1", "\\u0061": "2"}}', 'json');
    const yaml = failure('ids:\n  a: "1"\nids:\n  b: "2"\n', 'yaml');

    expect(json.message).toBe(
      'Invalid mapping file m: the key "a" is given twice in one object (line 4, column 5); give each key once',
    );
    expect(escaped.message).toContain('is given twice in one object (line 1, column 20)');
    expect(yaml.message).toBe(
      'Invalid mapping file m: the key ids is given twice in one object (line 3, column 1); give each key once',
    );
  });

  it('refuses unknown top-level members, text that does not parse, and a lone surrogate', () => {
    expect(failure('{"idz": {}}', 'json').message).toBe(
      'Invalid mapping file m: (mapping): Unrecognized key: "idz"',
    );
    expect(failure('{"ids": ', 'json').message).toMatch(/^Invalid mapping file m: not valid JSON: /);
    expect(failure('ids: [', 'yaml').message).toMatch(/^Invalid mapping file m: not valid YAML: /);
    expect(failure('{"ids": {"a": "\\ud800"}}', 'json').message).toBe(
      'Invalid mapping file m: ids.a: holds a lone surrogate (not valid Unicode text)',
    );
  });
});

describe('newPassword', () => {
  it("meets Connect's password rule, every time, and repeats itself never", () => {
    const rule = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$/;
    const passwords = Array.from({ length: 500 }, () => newPassword());

    for (const password of passwords) {
      expect(password).toMatch(rule);
      expect(password.length).toBe(PASSWORD_LENGTH);
    }
    expect(new Set(passwords).size).toBe(500);
  });

  it('still has every required class when the random source favours one alphabet', () => {
    // Only zero bytes: every pick is the first character of its alphabet.
    const password = newPassword((size) => new Uint8Array(size));

    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/\d/);
  });
});
