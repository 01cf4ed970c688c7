import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { doctorDescribeOperations } from '#shared/doctor/doctor.js';
import { KINDS } from '#shared/kinds/index.js';
import { cfnTags } from '../support/cloudformation.js';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
}

function statementsOf(role: string): Statement[] {
  const doc = parse(readFileSync('infra/iam.yml', 'utf8'), { customTags: cfnTags }) as {
    Resources: Record<
      string,
      { Properties: { Policies: Array<{ PolicyDocument: { Statement: Statement[] } }> } }
    >;
  };
  const resource = doc.Resources[role];
  if (!resource) throw new Error(`no role ${role} in infra/iam.yml`);
  return resource.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement);
}

function actionsOf(role: string): string[] {
  return statementsOf(role).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

describe('IAM of the backup-instance function', () => {
  it('allows every Connect operation the resource kinds read with', () => {
    const actions = actionsOf('BackupInstanceRole');
    const needed = [
      ...new Set([
        ...KINDS.flatMap((k) => k.readOperations),
        'DescribeInstance',
        'ListInstanceAttributes',
        'ListApprovedOrigins',
        'ListLambdaFunctions',
        'ListBots',
      ]),
    ];

    for (const operation of needed) expect(actions, operation).toContain(`connect:${operation}`);
  });

  it('grants no Connect write action, no S3 delete and no wildcard action', () => {
    const actions = actionsOf('BackupInstanceRole');

    const connect = actions.filter((a) => a.startsWith('connect:'));
    // GetPromptFile is a read (a presigned URL of a prompt's audio).
    expect(connect.filter((a) => !/^connect:(Describe|List|Search|Get)/.test(a))).toEqual([]);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions.filter((a) => /^s3:Delete/.test(a))).toEqual([]);
  });
});

describe('IAM of the backup-instance function for connect-backup events', () => {
  it('may write another bucket only when connectBackupBucket is set: create and read objects, list, never delete', () => {
    const doc = parse(readFileSync('infra/iam.yml', 'utf8'), { customTags: cfnTags }) as {
      Conditions: Record<string, unknown>;
      Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;
    };
    const policy = doc.Resources.ConnectBackupDestinationPolicy;

    expect(doc.Conditions.ConnectBackupBucketGiven).toEqual({
      Not: [{ Equals: ['${param:connectBackupBucket}', ''] }],
    });
    expect(policy).toMatchObject({
      Type: 'AWS::IAM::RolePolicy',
      Condition: 'ConnectBackupBucketGiven',
      Properties: { RoleName: { Ref: 'BackupInstanceRole' } },
    });
    expect((policy?.Properties.PolicyDocument as { Statement: unknown[] } | undefined)?.Statement).toEqual([
      {
        Sid: 'WriteConnectBackupDestination',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: { Sub: 'arn:${AWS::Partition}:s3:::${param:connectBackupBucket}/*' },
      },
      {
        Sid: 'ListConnectBackupDestination',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { Sub: 'arn:${AWS::Partition}:s3:::${param:connectBackupBucket}' },
      },
    ]);
    expect(readFileSync('serverless.yml', 'utf8')).toContain(
      "connectBackupBucket: ${env:CONNECT_VAULT_CONNECT_BACKUP_BUCKET, ''}",
    );
  });
});

describe('IAM of the backup-instance function in doctor mode', () => {
  it("allows the doctor's Describe calls, its bucket-configuration reads, and simulating only the restore role", () => {
    const actions = actionsOf('BackupInstanceRole');
    const statements = statementsOf('BackupInstanceRole') as Array<Statement & { Resource: unknown }>;

    for (const operation of doctorDescribeOperations())
      expect(actions, operation).toContain(`connect:${operation}`);
    expect(statements.find((s) => s.Sid === 'DoctorReadsBucketConfiguration')).toMatchObject({
      Action: [
        's3:GetBucketVersioning',
        's3:GetEncryptionConfiguration',
        's3:GetBucketPublicAccessBlock',
        's3:GetBucketPolicy',
        's3:GetBucketObjectLockConfiguration',
      ],
      Resource: { GetAtt: 'BackupBucket.Arn' },
    });
    expect(statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('iam:')))).toEqual([
      {
        Sid: 'DoctorSimulatesRestoreRole',
        Effect: 'Allow',
        Action: 'iam:SimulatePrincipalPolicy',
        Resource: { GetAtt: 'RestoreRole.Arn' },
      },
    ]);
  });
});

describe('IAM of the scheduled prune function', () => {
  it('can list instances and list, read and delete snapshot objects, and write nothing', () => {
    const statements = statementsOf('PruneRole') as Array<Statement & { Resource: unknown }>;
    const actions = actionsOf('PruneRole');

    expect(actions.filter((a) => a.startsWith('connect:'))).toEqual(['connect:ListInstances']);
    expect(actions.filter((a) => a.startsWith('s3:')).sort()).toEqual([
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
    ]);
    expect(statements.find((s) => s.Sid === 'ReadAndDeleteSnapshots')?.Resource).toEqual({
      Sub: '$<BackupBucket.Arn>/*'.replace(/\$<([^>]+)>/, '$${$1}'),
    });
    // The only role that may delete: the backup and restore roles cannot.
    for (const role of ['BackupInstanceRole', 'RestoreRole', 'ScheduleBackupsRole'])
      expect(
        actionsOf(role).filter((a) => /^s3:Delete/.test(a)),
        role,
      ).toEqual([]);
  });
});

describe('IAM of the schedule-backups function', () => {
  it('can list instances, queue backups on the backup queue only and read latest.json pointers, and nothing else of Connect or S3', () => {
    const actions = actionsOf('ScheduleBackupsRole');

    expect(actions.filter((a) => a.startsWith('connect:'))).toEqual(['connect:ListInstances']);
    expect(actions).not.toContain('events:PutEvents');
    expect(statementsOf('ScheduleBackupsRole').find((s) => s.Sid === 'QueueBackupRequests')).toEqual({
      Sid: 'QueueBackupRequests',
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: { GetAtt: 'BackupQueue.Arn' },
    });
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual(['s3:GetObject']);
    const read = statementsOf('ScheduleBackupsRole').find((s) => s.Action === 's3:GetObject') as
      | (Statement & { Resource: unknown })
      | undefined;
    expect(read?.Resource).toEqual({ Sub: '${BackupBucket.Arn}/*latest.json' });
  });
});

describe('the backup bucket policy', () => {
  interface PolicyStatement {
    Sid: string;
    Effect: string;
    Principal: unknown;
    Action: string | string[];
    Resource: unknown;
    Condition?: unknown;
  }
  const statements = (() => {
    const doc = parse(readFileSync('infra/storage.yml', 'utf8'), { customTags: cfnTags }) as {
      Resources: { BackupBucketPolicy: { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } } };
    };
    return doc.Resources.BackupBucketPolicy.Properties.PolicyDocument.Statement;
  })();

  it('denies the backup role every PutObject that is not conditional (it can create, not overwrite)', () => {
    expect(statements.find((s) => s.Sid === 'BackupRoleCreatesOnly')).toEqual({
      Sid: 'BackupRoleCreatesOnly',
      Effect: 'Deny',
      Principal: { AWS: { GetAtt: 'BackupInstanceRole.Arn' } },
      Action: 's3:PutObject',
      Resource: { Sub: '$<BackupBucket.Arn>/*'.replace(/\$<([^>]+)>/, '$${$1}') },
      // Both keys absent: neither If-None-Match nor If-Match was sent.
      Condition: { Null: { 's3:if-none-match': 'true', 's3:if-match': 'true' } },
    });
  });

  it("lets Connect of this account read only the snapshots' prompt audio, which restore gives CreatePrompt", () => {
    const allowed = statements.filter((s) => s.Effect === 'Allow');

    expect(allowed).toEqual([
      {
        Sid: 'ConnectReadsPromptAudio',
        Effect: 'Allow',
        Principal: { Service: 'connect.amazonaws.com' },
        Action: 's3:GetObject',
        // A CloudFormation !Sub placeholder, written `$<…>` here and turned into `${…}`.
        Resource: {
          Sub: '$<BackupBucket.Arn>/*snapshots/*/prompts-audio/*'.replace(/\$<([^>]+)>/, '$${$1}'),
        },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });
});
