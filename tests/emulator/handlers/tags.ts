/**
 * Tags of any resource of an instance, by ARN: TagResource, UntagResource, ListTagsForResource.
 * Tags live in each entity's `Tags` member, so Describe and Search return them too.
 */
import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-connect';
import { invalidParameter, notFound } from '../errors.js';
import type { StoredResource } from '../state.js';
import type { HandlerTable, RequestContext } from './context.js';

const MAX_TAGS = 50;

function resourceByArn(
  ctx: RequestContext,
  arn: string,
): StoredResource<unknown> & { entity: { Tags?: Record<string, string> } } {
  const instanceId = /:instance\/([^/]+)/.exec(arn)?.[1];
  if (!instanceId) throw invalidParameter(`resourceArn is not a Connect resource ARN: ${arn}`);
  const instance = ctx.instance(instanceId);
  const found = instance.findByArn(arn);
  if (!found) throw notFound('Resource', arn);
  return found.record as StoredResource<unknown> & { entity: { Tags?: Record<string, string> } };
}

export const tagHandlers: HandlerTable = {
  TagResource(ctx: RequestContext, input: TagResourceRequest): Record<string, never> {
    const record = resourceByArn(ctx, input.resourceArn!);
    const merged = { ...(record.entity.Tags ?? {}), ...input.tags };
    if (Object.keys(merged).length > MAX_TAGS) {
      throw invalidParameter(`A resource can have at most ${MAX_TAGS} tags.`);
    }
    record.entity.Tags = merged;
    ctx.world.tick();
    return {};
  },

  UntagResource(ctx: RequestContext, input: UntagResourceRequest): Record<string, never> {
    const record = resourceByArn(ctx, input.resourceArn!);
    const tags = { ...(record.entity.Tags ?? {}) };
    for (const key of input.tagKeys ?? []) delete tags[key];
    record.entity.Tags = tags;
    ctx.world.tick();
    return {};
  },

  ListTagsForResource(ctx: RequestContext, input: ListTagsForResourceRequest): ListTagsForResourceResponse {
    const record = resourceByArn(ctx, input.resourceArn!);
    return { tags: { ...(record.entity.Tags ?? {}) } };
  },
};
