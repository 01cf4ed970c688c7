/** The restore request schema and the password generator. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newPassword, PASSWORD_LENGTH } from '#shared/restore/password.js';
import { parseRestoreRequest, restoreRequestSchema } from '#shared/restore/request.js';

describe('parseRestoreRequest', () => {
  it('fills in the defaults: latest snapshot, the source instance as target, create-missing, no dry run', () => {
    const request = parseRestoreRequest({ source: { bucket: 'my-backups', instanceId: 'abc' } });

    expect(request).toEqual({
      source: { bucket: 'my-backups', prefix: '', instanceId: 'abc', snapshot: 'latest' },
      target: {},
      filters: {},
      mode: 'create-missing',
      mappings: {},
      dryRun: false,
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
        filters: { kinds: ['phone-numbers'] },
      }),
    ).toThrow(/target\.roleArn: must be an IAM role ARN.*filters\.kinds\.0/);
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
