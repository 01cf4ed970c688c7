/**
 * Prompts: ListPrompts, DescribePrompt, SearchPrompts, CreatePrompt, UpdatePrompt, GetPromptFile,
 * DeletePrompt.
 *
 * Audio is real bytes (prompt-files.ts): CreatePrompt and UpdatePrompt read their `S3Uri` (the
 * local S3 when the emulator has an S3 endpoint, a seed's bytes, or a presigned URL GetPromptFile
 * handed out), and GetPromptFile answers a presigned URL the emulator serves, which expires. Audio
 * format, size and bucket permissions are not checked.
 *
 * Names are unique per instance, also on UpdatePrompt. The real model lists no
 * DuplicateResourceException for UpdatePrompt, but a restore that renames a prompt onto another
 * prompt's name is almost certainly a bug, and the emulator's collections keep names unique.
 */
import type {
  CreatePromptRequest,
  CreatePromptResponse,
  DeletePromptRequest,
  DescribePromptRequest,
  DescribePromptResponse,
  GetPromptFileRequest,
  GetPromptFileResponse,
  ListPromptsRequest,
  ListPromptsResponse,
  Prompt,
  PromptSummary,
  SearchPromptsRequest,
  SearchPromptsResponse,
  UpdatePromptRequest,
  UpdatePromptResponse,
} from '@aws-sdk/client-connect';
import { invalidParameter } from '../errors.js';
import type { PromptRecord } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import { assertSearchFields, matchesCriteria, matchesFilter } from './search.js';

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 100;
/** FieldNames SearchPrompts supports (model docs of PromptSearchCriteria). */
const SEARCH_FIELDS = ['name', 'description', 'resourceID'] as const;

/**
 * The model's S3Uri pattern, `s3://\S+/.+|https://\S+\.s3\.\S+\.amazonaws\.com/\S+`, anchored.
 * (The model holds it double-escaped, so the generic validator skips it.)
 */
const S3_URI = /^(?:s3:\/\/\S+\/.+|https:\/\/\S+\.s3\.\S+\.amazonaws\.com\/\S+)$/u;

/**
 * @throws ConnectError InvalidParameterException (400) when the S3Uri is neither form Connect
 *   accepts nor a presigned URL this emulator handed out (which stands in for the https form).
 */
function assertS3Uri(ctx: RequestContext, uri: string): void {
  if (!S3_URI.test(uri) && !ctx.world.promptFiles.isOwnUrl(uri)) {
    throw invalidParameter(
      `S3Uri must be s3://<bucket>/<key> or an https://<bucket>.s3.<region>.amazonaws.com/<key> URL: ${uri}`,
    );
  }
}

function summary(record: PromptRecord): PromptSummary {
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.name,
    LastModifiedTime: record.entity.LastModifiedTime,
    LastModifiedRegion: record.entity.LastModifiedRegion,
  };
}

/** Handlers of the prompt operations (see the module comment for what is not modelled). */
export const promptHandlers: HandlerTable = {
  ListPrompts(ctx: RequestContext, input: ListPromptsRequest): ListPromptsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { page, NextToken } = paginate(
      instance.prompts.all().map(summary),
      input,
      `ListPrompts/${instance.id}`,
      LIST_PAGE_MAX,
    );
    return { PromptSummaryList: page, NextToken };
  },

  DescribePrompt(ctx: RequestContext, input: DescribePromptRequest): DescribePromptResponse {
    const record = ctx.instance(input.InstanceId!).prompts.require(input.PromptId!);
    return { Prompt: structuredClone(record.entity) };
  },

  SearchPrompts(ctx: RequestContext, input: SearchPromptsRequest): SearchPromptsResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(input.SearchCriteria, SEARCH_FIELDS);
    const matches = instance.prompts
      .searchable()
      .filter(
        (r) => matchesCriteria(r, input.SearchCriteria) && matchesFilter(r.entity.Tags, input.SearchFilter),
      );
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchPrompts',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return { Prompts: page.map((r) => structuredClone(r.entity)), NextToken, ApproximateTotalCount };
  },

  /**
   * CreatePrompt: Name unique (409), S3Uri in one of the two accepted forms and readable (400),
   * its bytes kept as the prompt's audio.
   */
  async CreatePrompt(ctx: RequestContext, input: CreatePromptRequest): Promise<CreatePromptResponse> {
    const instance = ctx.instance(input.InstanceId!);
    assertS3Uri(ctx, input.S3Uri!);
    instance.prompts.assertNameFree(input.Name!);
    const audio = await ctx.world.promptFiles.read(input.S3Uri!);
    instance.prompts.assertNameFree(input.Name!);
    const id = ctx.world.newId();
    const arn = instance.arnFor('prompt', id);
    const entity: Prompt = {
      PromptARN: arn,
      PromptId: id,
      Name: input.Name!,
      ...(input.Description !== undefined && { Description: input.Description }),
      Tags: tagsOf(input.Tags),
      LastModifiedTime: ctx.world.tick(),
      LastModifiedRegion: instance.region,
    };
    instance.prompts.add({ id, arn, name: input.Name!, entity, s3Uri: input.S3Uri!, audio });
    return { PromptARN: arn, PromptId: id };
  },

  /**
   * UpdatePrompt: Name (409 when taken, an emulator choice; see the module comment), Description,
   * S3Uri (read like CreatePrompt's, replacing the audio). Moves LastModifiedTime when any of them
   * is given.
   */
  async UpdatePrompt(ctx: RequestContext, input: UpdatePromptRequest): Promise<UpdatePromptResponse> {
    const instance = ctx.instance(input.InstanceId!);
    instance.prompts.require(input.PromptId!);
    if (input.S3Uri !== undefined) assertS3Uri(ctx, input.S3Uri);
    const audio = input.S3Uri !== undefined ? await ctx.world.promptFiles.read(input.S3Uri) : undefined;
    // Looked up again after the read: the prompt may have gone meanwhile.
    const record = instance.prompts.require(input.PromptId!);
    if (input.Name !== undefined) {
      instance.prompts.rename(record, input.Name);
      record.entity.Name = input.Name;
    }
    if (input.Description !== undefined) record.entity.Description = input.Description;
    if (input.S3Uri !== undefined && audio) {
      record.s3Uri = input.S3Uri;
      record.audio = audio;
    }
    if ([input.Name, input.Description, input.S3Uri].some((v) => v !== undefined)) {
      record.entity.LastModifiedTime = ctx.world.tick();
      record.entity.LastModifiedRegion = instance.region;
    }
    return { PromptARN: record.arn, PromptId: record.id };
  },

  /**
   * GetPromptFile: a presigned URL of the prompt's audio, served by the emulator until it expires
   * (prompt-files.ts), with LastModified*.
   */
  GetPromptFile(ctx: RequestContext, input: GetPromptFileRequest): GetPromptFileResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.prompts.require(input.PromptId!);
    return {
      PromptPresignedUrl: ctx.world.promptFiles.presign(instance, record.id, ctx.world.clock.now()),
      LastModifiedTime: record.entity.LastModifiedTime,
      LastModifiedRegion: record.entity.LastModifiedRegion,
    };
  },

  DeletePrompt(ctx: RequestContext, input: DeletePromptRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    instance.prompts.remove(instance.prompts.require(input.PromptId!));
    return {};
  },
};
