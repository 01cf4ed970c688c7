/**
 * Instances and their integrations: ListInstances, DescribeInstance, instance attributes, and the
 * Lambda function and Lex V2 bot associations that flow content may reference.
 */
import type {
  AssociateBotRequest,
  AssociateLambdaFunctionRequest,
  DescribeInstanceAttributeRequest,
  DescribeInstanceAttributeResponse,
  DescribeInstanceRequest,
  DescribeInstanceResponse,
  DisassociateBotRequest,
  DisassociateLambdaFunctionRequest,
  ListBotsRequest,
  ListBotsResponse,
  ListInstanceAttributesRequest,
  ListInstanceAttributesResponse,
  ListInstancesRequest,
  ListInstancesResponse,
  ListLambdaFunctionsRequest,
  ListLambdaFunctionsResponse,
  UpdateInstanceAttributeRequest,
} from '@aws-sdk/client-connect';
import { ConnectError, invalidParameter } from '../errors.js';
import type { InstanceState } from '../state.js';
import { type HandlerTable, paginate, type RequestContext } from './context.js';

function summary(instance: InstanceState) {
  return {
    Id: instance.id,
    Arn: instance.arn,
    IdentityManagementType: instance.identityManagementType,
    InstanceAlias: instance.alias,
    CreatedTime: instance.createdTime,
    ServiceRole: `arn:aws:iam::${instance.accountId}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_emulator`,
    InstanceStatus: 'ACTIVE' as const,
    InboundCallsEnabled: instance.attributes.get('INBOUND_CALLS') === 'true',
    OutboundCallsEnabled: instance.attributes.get('OUTBOUND_CALLS') === 'true',
    InstanceAccessUrl: `https://${instance.alias}.my.connect.aws`,
  };
}

export const instanceHandlers: HandlerTable = {
  ListInstances(ctx: RequestContext, input: ListInstancesRequest): ListInstancesResponse {
    const all = ctx.world.instancesOf(ctx.accountId, ctx.region).map(summary);
    const { page, NextToken } = paginate(all, input, `ListInstances/${ctx.accountId}/${ctx.region}`, 10);
    return { InstanceSummaryList: page, NextToken };
  },

  DescribeInstance(ctx: RequestContext, input: DescribeInstanceRequest): DescribeInstanceResponse {
    const instance = ctx.instance(input.InstanceId!);
    return { Instance: { ...summary(instance), Tags: {} } };
  },

  ListInstanceAttributes(
    ctx: RequestContext,
    input: ListInstanceAttributesRequest,
  ): ListInstanceAttributesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const all = [...instance.attributes.entries()].map(([AttributeType, Value]) => ({
      AttributeType,
      Value,
    }));
    const { page, NextToken } = paginate(all, input, `ListInstanceAttributes/${instance.id}`, 7);
    return { Attributes: page as ListInstanceAttributesResponse['Attributes'], NextToken };
  },

  DescribeInstanceAttribute(
    ctx: RequestContext,
    input: DescribeInstanceAttributeRequest,
  ): DescribeInstanceAttributeResponse {
    const instance = ctx.instance(input.InstanceId!);
    const value = instance.attributes.get(input.AttributeType!) ?? 'false';
    return { Attribute: { AttributeType: input.AttributeType, Value: value } };
  },

  UpdateInstanceAttribute(ctx: RequestContext, input: UpdateInstanceAttributeRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    instance.attributes.set(input.AttributeType!, input.Value!);
    return {};
  },

  AssociateLambdaFunction(ctx: RequestContext, input: AssociateLambdaFunctionRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const arn = input.FunctionArn!;
    if (!/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.test(arn)) {
      throw invalidParameter(`FunctionArn is not a Lambda function ARN: ${arn}`);
    }
    if (instance.lambdaFunctions.includes(arn)) {
      throw new ConnectError('ResourceConflictException', `Lambda function already associated: ${arn}`);
    }
    instance.lambdaFunctions.push(arn);
    return {};
  },

  DisassociateLambdaFunction(
    ctx: RequestContext,
    input: DisassociateLambdaFunctionRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const index = instance.lambdaFunctions.indexOf(input.FunctionArn!);
    if (index < 0)
      throw new ConnectError(
        'ResourceNotFoundException',
        `Lambda function not associated: ${input.FunctionArn}`,
      );
    instance.lambdaFunctions.splice(index, 1);
    return {};
  },

  ListLambdaFunctions(ctx: RequestContext, input: ListLambdaFunctionsRequest): ListLambdaFunctionsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { page, NextToken } = paginate(
      instance.lambdaFunctions,
      input,
      `ListLambdaFunctions/${instance.id}`,
      25,
    );
    return { LambdaFunctions: page, NextToken };
  },

  AssociateBot(ctx: RequestContext, input: AssociateBotRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const alias = input.LexV2Bot?.AliasArn;
    if (!alias)
      throw invalidParameter('The emulator supports Lex V2 bot associations only: give LexV2Bot.AliasArn.');
    if (instance.lexV2Bots.includes(alias)) {
      throw new ConnectError('ResourceConflictException', `Bot already associated: ${alias}`);
    }
    instance.lexV2Bots.push(alias);
    return {};
  },

  DisassociateBot(ctx: RequestContext, input: DisassociateBotRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const index = instance.lexV2Bots.indexOf(input.LexV2Bot?.AliasArn ?? '');
    if (index < 0)
      throw new ConnectError('ResourceNotFoundException', 'Bot not associated with the instance');
    instance.lexV2Bots.splice(index, 1);
    return {};
  },

  ListBots(ctx: RequestContext, input: ListBotsRequest): ListBotsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const bots =
      input.LexVersion === 'V2' ? instance.lexV2Bots.map((AliasArn) => ({ LexV2Bot: { AliasArn } })) : [];
    const { page, NextToken } = paginate(bots, input, `ListBots/${instance.id}/${input.LexVersion}`, 25);
    return { LexBots: page, NextToken };
  },
};
