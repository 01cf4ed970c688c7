/**
 * infra/restore-target-role.yml, the role a cross-account restore assumes in each target account:
 * a template deployable on its own (no Serverless variables, no reference outside itself), whose
 * trust policy names only the restore function's role with the external id, and whose permissions
 * are exactly the Connect, Lambda, Lex and Directory Service actions of the restore function's own
 * role (so a kind that adds a write operation fails here until the target role has it too).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cfnTags } from '../support/cloudformation.js';

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
  Properties: {
    RoleName?: unknown;
    AssumeRolePolicyDocument: { Statement: Statement[] };
    Policies: Array<{ PolicyDocument: { Statement: Statement[] } }>;
  };
}

const text = readFileSync('infra/restore-target-role.yml', 'utf8');
const template = parse(text, { customTags: cfnTags }) as {
  AWSTemplateFormatVersion: string;
  Parameters: Record<string, { Type: string; Default?: string; NoEcho?: boolean; AllowedPattern?: string }>;
  Resources: Record<string, Role>;
  Outputs: Record<string, { Value: unknown }>;
};
const main = parse(readFileSync('infra/iam.yml', 'utf8'), { customTags: cfnTags }) as {
  Resources: Record<string, Role>;
  Outputs: Record<string, { Value: unknown }>;
};

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());
const role = template.Resources.RestoreTargetRole as Role;
const statements = role.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement);

describe('the restore target role template', () => {
  it('is a template of its own: one role, parameters for who is trusted, no Serverless variables', () => {
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(Object.keys(template.Resources)).toEqual(['RestoreTargetRole']);
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(text).not.toMatch(/\$\{(param|sls|self|env|opt):/);
    expect(Object.keys(template.Parameters).sort()).toEqual([
      'ConnectVaultRestoreRoleArn',
      'ExternalId',
      'RoleName',
    ]);
    expect(template.Parameters.ExternalId?.NoEcho).toBe(true);
    // Its default name is the one the restore function may assume (serverless.yml restoreTargetRoleName).
    expect(readFileSync('serverless.yml', 'utf8')).toContain(
      `restoreTargetRoleName: \${env:CONNECT_VAULT_RESTORE_TARGET_ROLE, '${template.Parameters.RoleName?.Default}'}`,
    );
    expect(role.Properties.RoleName).toEqual({ Ref: 'RoleName' });
    expect(template.Outputs.RestoreTargetRoleArn?.Value).toEqual({ GetAtt: 'RestoreTargetRole.Arn' });
  });

  it('trusts only the restore function role, only with the external id', () => {
    const trust = role.Properties.AssumeRolePolicyDocument.Statement;

    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { Ref: 'ConnectVaultRestoreRoleArn' } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
      },
    ]);
    // The main stack says which role that is.
    expect(main.Outputs.RestoreRoleArn?.Value).toEqual({ GetAtt: 'RestoreRole.Arn' });
    const pattern = new RegExp(template.Parameters.ConnectVaultRestoreRoleArn?.AllowedPattern ?? '$^');
    expect(pattern.test('arn:aws:iam::111122223333:role/connect-vault-prod-RestoreRole-1AB2')).toBe(true);
    expect(pattern.test('111122223333')).toBe(false);
  });

  it("allows exactly the restore function's Connect, Lambda, Lex and Directory actions, on its own account", () => {
    const restoreRole = main.Resources.RestoreRole as Role;
    const own = actionsOf(restoreRole.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement));
    const wanted = own.filter((a) => /^(connect|lambda|lex|ds):/.test(a)).sort();

    expect(actionsOf(statements).sort()).toEqual(wanted);
    expect(wanted.length).toBeGreaterThan(50);
    // Nothing of the connect-vault account: no S3, no logs, no STS, no wildcard action.
    expect(actionsOf(statements).filter((a) => /^(s3|logs|sts|events|sqs):|\*/.test(a))).toEqual([]);
    for (const statement of statements) {
      for (const resource of [statement.Resource].flat()) {
        const arn = typeof resource === 'string' ? resource : (resource as { Sub?: string }).Sub;
        // ds:DescribeDirectories has no resource type in the authorization reference.
        if (arn === '*') {
          expect(statement.Action).toBe('ds:DescribeDirectories');
          continue;
        }
        expect(arn).toMatch(/^arn:\$\{AWS::Partition\}:(connect|lambda|lex):\*:\$\{AWS::AccountId\}:/);
      }
    }
  });
});
