/**
 * infra/member-backup-role.yml, the role organisation-wide backups assume in each member account:
 * a template deployable on its own (StackSets: no Serverless variables, no reference outside
 * itself), trusting the connect-vault account (with the external id when one is given), allowing
 * exactly the backup function's own Connect read actions plus ListInstances, nothing else; and the
 * main stack's side: who may assume it, and Organizations' ListAccounts only when asked for.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../support/cloudformation.js';

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
}
interface Role {
  Type: string;
  Condition?: string;
  Properties: {
    RoleName?: unknown;
    Roles?: unknown;
    AssumeRolePolicyDocument: { Statement: Statement[] };
    Policies: Array<{ PolicyDocument: { Statement: Statement[] } }>;
    PolicyDocument?: { Statement: Statement[] };
  };
}

const text = readFileSync('infra/member-backup-role.yml', 'utf8');
const template = readTemplate<{
  AWSTemplateFormatVersion: string;
  Parameters: Record<string, { Type: string; Default?: string; NoEcho?: boolean; AllowedPattern?: string }>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, Role>;
  Outputs: Record<string, { Value: unknown }>;
}>('infra/member-backup-role.yml');
const main = readTemplate<{ Conditions: Record<string, unknown>; Resources: Record<string, Role> }>(
  'infra/iam.yml',
);

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());
const role = template.Resources.MemberBackupRole as Role;
const statements = role.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement);

describe('the member backup role template', () => {
  it('is a template of its own: one role, parameters for who is trusted, no Serverless variables', () => {
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(Object.keys(template.Resources)).toEqual(['MemberBackupRole']);
    expect(text).not.toMatch(/\$\{(param|sls|self|env|opt):/);
    expect(Object.keys(template.Parameters).sort()).toEqual([
      'ConnectVaultAccountId',
      'ExternalId',
      'RoleName',
    ]);
    expect(template.Parameters.ExternalId).toMatchObject({ Default: '', NoEcho: true });
    // Its default name is the one the connect-vault functions may assume (serverless.yml memberRoleName).
    expect(readFileSync('serverless.yml', 'utf8')).toContain(
      `memberRoleName: \${env:CONNECT_VAULT_MEMBER_ROLE, '${template.Parameters.RoleName?.Default}'}`,
    );
    expect(role.Properties.RoleName).toEqual({ Ref: 'RoleName' });
    expect(template.Outputs.MemberBackupRoleArn?.Value).toEqual({ GetAtt: 'MemberBackupRole.Arn' });
    const pattern = new RegExp(template.Parameters.ConnectVaultAccountId?.AllowedPattern ?? '$^');
    expect(pattern.test('111122223333')).toBe(true);
    expect(pattern.test('arn:aws:iam::111122223333:root')).toBe(false);
  });

  it('trusts the connect-vault account, with the external id when one is given', () => {
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { Sub: 'arn:${AWS::Partition}:iam::${ConnectVaultAccountId}:root' } },
        Action: 'sts:AssumeRole',
        Condition: {
          If: [
            'ExternalIdGiven',
            { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
            { Ref: 'AWS::NoValue' },
          ],
        },
      },
    ]);
    expect(template.Conditions.ExternalIdGiven).toEqual({ Not: [{ Equals: [{ Ref: 'ExternalId' }, ''] }] });
  });

  it("allows exactly the backup function's Connect reads and ListInstances, read-only, nothing else", () => {
    const backup = main.Resources.BackupInstanceRole as Role;
    const reads = backup.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement).filter((s) =>
      ['ReadConnect', 'ReadPhoneNumbers', 'ReadDirectory'].includes(s.Sid ?? ''),
    );
    const wanted = [...new Set([...actionsOf(reads), 'connect:ListInstances'])].sort();

    expect(actionsOf(statements).sort()).toEqual(wanted);
    expect(wanted.length).toBeGreaterThan(40);
    const connect = actionsOf(statements).filter((a) => a.startsWith('connect:'));
    expect(connect.filter((a) => !/^connect:(Describe|List|Search|Get)/.test(a))).toEqual([]);
    expect(actionsOf(statements).filter((a) => !/^(connect|ds):/.test(a) || a.includes('*'))).toEqual([]);
    for (const statement of statements) {
      for (const resource of [statement.Resource].flat()) {
        const arn = typeof resource === 'string' ? resource : (resource as { Sub?: string }).Sub;
        if (arn === '*') {
          expect(statement.Action).toEqual(['connect:ListInstances', 'ds:DescribeDirectories']);
          continue;
        }
        expect(arn).toMatch(
          /^arn:\$\{AWS::Partition\}:connect:\*:\$\{AWS::AccountId\}:(instance|phone-number)\/\*$/,
        );
      }
    }
  });
});

describe('the main stack for member accounts', () => {
  it('lets only the scheduler and the backup function assume the member role, by name, and only with member accounts', () => {
    const policy = main.Resources.MemberAccountsPolicy as Role;
    expect(policy).toMatchObject({ Type: 'AWS::IAM::Policy', Condition: 'MemberAccountsGiven' });
    expect(policy.Properties.Roles).toEqual([{ Ref: 'ScheduleBackupsRole' }, { Ref: 'BackupInstanceRole' }]);
    expect(policy.Properties.PolicyDocument?.Statement).toEqual([
      {
        Sid: 'AssumeMemberRoles',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: { Sub: 'arn:${AWS::Partition}:iam::*:role/${param:memberRoleName}' },
      },
    ]);
    expect(main.Conditions.MemberAccountsGiven).toEqual({
      Or: [
        { Not: [{ Equals: ['${param:memberAccounts}', ''] }] },
        { Condition: 'OrganizationAccountsGiven' },
      ],
    });
  });

  it("lets the scheduler list the organisation's accounts only when memberAccountsFromOrganizations is 'true'", () => {
    const policy = main.Resources.OrganizationAccountsPolicy as Role;
    expect(policy).toMatchObject({ Type: 'AWS::IAM::Policy', Condition: 'OrganizationAccountsGiven' });
    expect(policy.Properties.Roles).toEqual([{ Ref: 'ScheduleBackupsRole' }]);
    expect(actionsOf(policy.Properties.PolicyDocument?.Statement ?? [])).toEqual([
      'organizations:ListAccounts',
    ]);
    expect(main.Conditions.OrganizationAccountsGiven).toEqual({
      Equals: ['${param:memberAccountsFromOrganizations}', 'true'],
    });
  });
});
