/**
 * Instances and their integrations: ListInstances, DescribeInstance, instance attributes, approved
 * origins, and the Lambda function and Lex V2 bot associations that flow content may reference.
 */
import type {
  AssociateApprovedOriginRequest,
  AssociateBotRequest,
  AssociateLambdaFunctionRequest,
  DescribeInstanceAttributeRequest,
  DescribeInstanceAttributeResponse,
  DescribeInstanceRequest,
  DescribeInstanceResponse,
  DisassociateApprovedOriginRequest,
  DisassociateBotRequest,
  DisassociateLambdaFunctionRequest,
  ListApprovedOriginsRequest,
  ListApprovedOriginsResponse,
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
import { ConnectError, invalidParameter, invalidRequest } from '../errors.js';
import type { InstanceState } from '../state.js';
import { type HandlerTable, paginate, type RequestContext } from './context.js';

/** Page size of ListApprovedOrigins (the model's MaxResult25). */
const ORIGINS_PAGE_MAX = 25;

/**
 * An approved origin is a web origin: `http(s)://host[:port]`, no path, query or fragment (the API
 * reference: "The domain to add to your allow list"; the console asks for an origin such as
 * `https://example.com`).
 * @throws ConnectError InvalidParameterException (400) otherwise.
 */
function checkOrigin(origin: string): void {
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  const bare = url && (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
  if (!bare) {
    throw invalidParameter(
      `Origin must be a web origin such as https://example.com (scheme and host, no path): ${origin}`,
    );
  }
}

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

  /**
   * UpdateInstanceAttribute: every attribute is a toggle, `true` or `false` (400 otherwise);
   * USE_CUSTOM_TTS_VOICES only on an allowlisted account (InvalidRequestException otherwise, as the
   * API reference says "Only allowlisted customers can consume USE_CUSTOM_TTS_VOICES").
   */
  UpdateInstanceAttribute(ctx: RequestContext, input: UpdateInstanceAttributeRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const type = input.AttributeType!;
    const value = input.Value!;
    if (value !== 'true' && value !== 'false')
      throw invalidParameter(`The value of instance attribute ${type} must be true or false, not ${value}`);
    if (type === 'USE_CUSTOM_TTS_VOICES' && !instance.customTtsVoicesAllowlisted)
      throw invalidRequest(
        'USE_CUSTOM_TTS_VOICES is available to allowlisted customers only: contact AWS Support for allowlisting',
      );
    instance.attributes.set(type, value);
    return {};
  },

  /** ListApprovedOrigins: the origins in association order, pages of ≤25. */
  ListApprovedOrigins(ctx: RequestContext, input: ListApprovedOriginsRequest): ListApprovedOriginsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { page, NextToken } = paginate(
      instance.approvedOrigins,
      input,
      `ListApprovedOrigins/${instance.id}`,
      ORIGINS_PAGE_MAX,
    );
    return { Origins: [...page], NextToken };
  },

  /** AssociateApprovedOrigin: a web origin (400), once per instance (ResourceConflictException, 409). */
  AssociateApprovedOrigin(ctx: RequestContext, input: AssociateApprovedOriginRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const origin = input.Origin!;
    checkOrigin(origin);
    if (instance.approvedOrigins.includes(origin))
      throw new ConnectError('ResourceConflictException', `Approved origin already associated: ${origin}`);
    instance.approvedOrigins.push(origin);
    return {};
  },

  /** DisassociateApprovedOrigin: ResourceNotFoundException (404) for an origin not associated. */
  DisassociateApprovedOrigin(
    ctx: RequestContext,
    input: DisassociateApprovedOriginRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const index = instance.approvedOrigins.indexOf(input.Origin ?? '');
    if (index < 0)
      throw new ConnectError('ResourceNotFoundException', `Approved origin not associated: ${input.Origin}`);
    instance.approvedOrigins.splice(index, 1);
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
