/**
 * The instance itself, stored as `instance.json`: DescribeInstance, its attributes
 * (ListInstanceAttributes), its approved origins (ListApprovedOrigins), and the Lambda functions and
 * Lex V2 bots associated with it (ListLambdaFunctions, ListBots) that flow content may reference.
 * Read in full on every backup (a handful of calls: no change signal needed).
 */
import {
  DescribeInstanceCommand,
  type Instance,
  paginateListApprovedOrigins,
  paginateListBots,
  paginateListInstanceAttributes,
  paginateListLambdaFunctions,
} from '@aws-sdk/client-connect';
import { collect, itemsOf, toPlain } from './support/read.js';
import type { ReadContext } from './types.js';

/** What `instance.json` holds. */
export interface InstanceDocument {
  instance: Record<string, unknown>;
  /** Instance attributes by AttributeType: `"true"` / `"false"` toggles. */
  attributes: Record<string, string>;
  /** Approved origins (`https://example.com`), in the order ListApprovedOrigins returns them. */
  approvedOrigins: string[];
  lambdaFunctions: string[];
  lexV2BotAliases: string[];
}

/** The instance's identity, for the manifest. */
export interface InstanceIdentity {
  id: string;
  arn: string;
  alias: string;
  region: string;
  accountId: string;
}

/** The instance as DescribeInstance returns it, and its identity. */
export interface DescribedInstance {
  identity: InstanceIdentity;
  entity: Instance;
}

/**
 * Describes the instance (DescribeInstance). Call it first: an unknown instance fails here, before
 * anything is written.
 * @throws ResourceNotFoundException (from the SDK) when the instance is not in this account and Region.
 */
export async function describeInstance(
  ctx: Pick<ReadContext, 'connect' | 'instanceId' | 'signal'>,
): Promise<InstanceIdentity> {
  return (await describeInstanceEntity(ctx)).identity;
}

/** {@link describeInstance}, keeping the entity, so `instance.json` needs no second call. */
export async function describeInstanceEntity(
  ctx: Pick<ReadContext, 'connect' | 'instanceId' | 'signal'>,
): Promise<DescribedInstance> {
  const { Instance } = await ctx.connect.send(new DescribeInstanceCommand({ InstanceId: ctx.instanceId }), {
    abortSignal: ctx.signal,
  });
  const arn = Instance?.Arn;
  const match = arn ? /^arn:[^:]+:connect:([^:]+):(\d{12}):instance\/(.+)$/.exec(arn) : null;
  if (!Instance?.Id || !arn || !match)
    throw new Error(`DescribeInstance returned no usable instance for ${ctx.instanceId}`);
  return {
    identity: {
      id: Instance.Id,
      arn,
      alias: Instance.InstanceAlias ?? '',
      region: match[1] ?? '',
      accountId: match[2] ?? '',
    },
    entity: Instance,
  };
}

/**
 * Reads `instance.json` (ListInstanceAttributes, ListApprovedOrigins, ListLambdaFunctions, ListBots,
 * and DescribeInstance unless the caller already holds the entity).
 * @throws the SDK's service errors once retries are exhausted.
 */
export async function readInstanceDocument(ctx: ReadContext, entity?: Instance): Promise<InstanceDocument> {
  const base = { client: ctx.connect };
  const [described, attributes, approvedOrigins, lambdaFunctions, bots] = await Promise.all([
    entity
      ? { Instance: entity }
      : ctx.connect.send(new DescribeInstanceCommand({ InstanceId: ctx.instanceId }), {
          abortSignal: ctx.signal,
        }),
    collect(
      itemsOf(paginateListInstanceAttributes(base, { InstanceId: ctx.instanceId }), (p) => p.Attributes),
    ),
    collect(itemsOf(paginateListApprovedOrigins(base, { InstanceId: ctx.instanceId }), (p) => p.Origins)),
    collect(
      itemsOf(paginateListLambdaFunctions(base, { InstanceId: ctx.instanceId }), (p) => p.LambdaFunctions),
    ),
    collect(
      itemsOf(paginateListBots(base, { InstanceId: ctx.instanceId, LexVersion: 'V2' }), (p) => p.LexBots),
    ),
  ]);
  return {
    instance: toPlain(described.Instance ?? {}),
    attributes: Object.fromEntries(
      attributes.filter((a) => a.AttributeType).map((a) => [a.AttributeType as string, a.Value ?? '']),
    ),
    approvedOrigins,
    lambdaFunctions,
    lexV2BotAliases: bots.map((b) => b.LexV2Bot?.AliasArn).filter((a): a is string => Boolean(a)),
  };
}
