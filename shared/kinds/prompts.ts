/**
 * Prompts: read with SearchPrompts (the metadata; snapshots hold no audio), restored with
 * CreatePrompt from audio the caller maps or GetPromptFile fetches from the source instance, and
 * UpdatePrompt.
 */
import {
  CreatePromptCommand,
  type Prompt,
  paginateSearchPrompts,
  UpdatePromptCommand,
} from '@aws-sdk/client-connect';
import { itemsOf } from './support/read.js';
import {
  anyChanged,
  entityOf,
  sendOptions,
  tagsMember,
  text,
  updateTags,
  userTags,
} from './support/restore.js';
import { config, request, searchKind } from './support/search.js';
import type { KindRestore, ResourceKind } from './types.js';

const promptsRestore: KindRestore = {
  writeOperations: ['CreatePrompt', 'UpdatePrompt', 'TagResource', 'UntagResource'],
  nameMember: 'Name',
  state(document) {
    const prompt = entityOf<Prompt>(document);
    return { Name: prompt.Name, Description: prompt.Description, Tags: userTags(prompt.Tags) };
  },
  cannotCreate(source, context) {
    return context.hasPromptAudio(source)
      ? undefined
      : 'snapshots hold no prompt audio: give mappings.promptAudio for this prompt (an s3:// URI), or restore where the source instance can be read (GetPromptFile)';
  },
  async create(ctx, desired, source) {
    const created = await ctx.connect.send(
      new CreatePromptCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        Description: text(desired, 'Description'),
        S3Uri: await ctx.promptAudio(source),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.PromptId || !created.PromptARN) throw new Error('CreatePrompt returned no id');
    return { id: created.PromptId, arn: created.PromptARN };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    if (anyChanged(changed, 'Name', 'Description')) {
      await ctx.connect.send(
        new UpdatePromptCommand({
          InstanceId: ctx.instanceId,
          PromptId: target.id,
          ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
          ...(changed.has('Description') ? { Description: text(desired, 'Description') ?? '' } : {}),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const prompts: ResourceKind<'prompts'> = searchKind({
  name: 'prompts',
  label: 'prompt',
  operation: 'SearchPrompts',
  search: (ctx) => itemsOf(paginateSearchPrompts(config(ctx), request(ctx)), (p) => p.Prompts),
  identity: (e) => ({ id: e.PromptId, arn: e.PromptARN, name: e.Name }),
  searchOnly: {
    why: 'SearchPrompts returns the whole Prompt, as DescribePrompt does (connect-api-facts.md §5): 100 per call',
    requires: ['Name'],
  },
  restore: promptsRestore,
});
