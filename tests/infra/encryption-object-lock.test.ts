/**
 * The serverless.yml options for a KMS customer-managed key (bucket, objects, dead-letter queue,
 * alarm topic, and the functions' use of the key) and for Object Lock on a new bucket: each is
 * off by default and switched on by its parameter alone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readConfig } from '#shared/config.js';
import { readTemplate } from '../support/cloudformation.js';

interface Template {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;
}

const storage = readTemplate<Template>('infra/storage.yml');
const events = readTemplate<Template>('infra/events.yml');
const alarms = readTemplate<Template>('infra/alarms.yml');
const iam = readTemplate<Template>('infra/iam.yml');
const serverless = readFileSync('serverless.yml', 'utf8');

const given = (param: string) => ({ Not: [{ Equals: [`\${param:${param}}`, ''] }] });

describe('a KMS customer-managed key (kmsKeyArn)', () => {
  it('is off unless the parameter is set, and reaches the functions as KMS_KEY_ARN', () => {
    expect(serverless).toContain("kmsKeyArn: ${env:CONNECT_VAULT_KMS_KEY_ARN, ''}");
    expect(serverless).toContain('KMS_KEY_ARN: ${param:kmsKeyArn}');
    expect(storage.Conditions?.KmsKeyGiven).toEqual(given('kmsKeyArn'));
  });

  it('encrypts the bucket by default with the key, else SSE-S3', () => {
    const bucket = storage.Resources.BackupBucket?.Properties as {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: Array<{ ServerSideEncryptionByDefault: unknown }>;
      };
    };
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0]?.ServerSideEncryptionByDefault,
    ).toEqual({
      If: [
        'KmsKeyGiven',
        { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: '${param:kmsKeyArn}' },
        { SSEAlgorithm: 'AES256' },
      ],
    });
  });

  it('encrypts the queues and the alarm topic with it, else with AWS-managed keys', () => {
    for (const queue of ['BackupDeadLetterQueue', 'BackupQueue', 'BackupQueueDeadLetterQueue'])
      expect(events.Resources[queue]?.Properties, queue).toMatchObject({
        SqsManagedSseEnabled: { If: ['KmsKeyGiven', { Ref: 'AWS::NoValue' }, true] },
        KmsMasterKeyId: { If: ['KmsKeyGiven', '${param:kmsKeyArn}', { Ref: 'AWS::NoValue' }] },
      });
    expect(alarms.Resources.AlarmTopic?.Properties.KmsMasterKeyId).toEqual({
      If: ['KmsKeyGiven', '${param:kmsKeyArn}', 'alias/aws/sns'],
    });
  });

  it('lets the four functions generate data keys and decrypt with that key only, and only when it is set', () => {
    const policy = iam.Resources.KmsKeyUsePolicy;
    expect(policy).toMatchObject({
      Type: 'AWS::IAM::Policy',
      Condition: 'KmsKeyGiven',
      Properties: {
        Roles: [
          { Ref: 'ScheduleBackupsRole' },
          { Ref: 'BackupInstanceRole' },
          { Ref: 'RestoreRole' },
          { Ref: 'PruneRole' },
        ],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
              Resource: '${param:kmsKeyArn}',
            },
          ],
        },
      },
    });
  });

  it('the functions write objects with it (SSE-KMS); a malformed ARN fails at cold start, naming the variable', () => {
    const base = {
      AWS_REGION: 'eu-west-2',
      BACKUP_BUCKET: 'my-backups',
      BACKUP_PREFIX: '',
      EVENT_BUS_NAME: 'connect-vault-dev',
      CONNECT_RATE_FACTOR: '1',
      FULL_BACKUP_INTERVAL_DAYS: '7',
    };
    const key = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

    expect(readConfig({ ...base, KMS_KEY_ARN: key }).kmsKeyArn).toBe(key);
    expect(readConfig({ ...base, KMS_KEY_ARN: '' }).kmsKeyArn).toBeUndefined();
    expect(() => readConfig({ ...base, KMS_KEY_ARN: 'alias/mine' })).toThrow(
      /KMS_KEY_ARN: must be a KMS key ARN/,
    );
  });
});

describe('Object Lock (objectLockMode, objectLockDays)', () => {
  it('is off unless the mode is set; then on, with that default retention, for a new bucket', () => {
    expect(serverless).toContain("objectLockMode: ${env:CONNECT_VAULT_OBJECT_LOCK_MODE, ''}");
    expect(serverless).toContain("objectLockDays: ${env:CONNECT_VAULT_OBJECT_LOCK_DAYS, '30'}");
    expect(storage.Conditions?.ObjectLockGiven).toEqual(given('objectLockMode'));
    expect(storage.Resources.BackupBucket?.Properties).toMatchObject({
      ObjectLockEnabled: { If: ['ObjectLockGiven', true, { Ref: 'AWS::NoValue' }] },
      ObjectLockConfiguration: {
        If: [
          'ObjectLockGiven',
          {
            ObjectLockEnabled: 'Enabled',
            Rule: { DefaultRetention: { Mode: '${param:objectLockMode}', Days: '${param:objectLockDays}' } },
          },
          { Ref: 'AWS::NoValue' },
        ],
      },
    });
  });
});
