/**
 * Prompts: read with SearchPrompts (the metadata) and GetPromptFile (the audio, downloaded from the
 * presigned URL it returns and stored in the snapshot as `prompts-audio/<name>.wav`, beside the
 * prompt's document); restored with CreatePrompt from the snapshot's own audio (its S3 URI in the
 * backup bucket), or from what the caller maps, and UpdatePrompt (its `S3Uri` too, in mode
 * overwrite, when the target's audio differs from the snapshot's).
 */
import {
  CreatePromptCommand,
  DeletePromptCommand,
  GetPromptFileCommand,
  type Prompt,
  paginateSearchPrompts,
  UpdatePromptCommand,
} from '@aws-sdk/client-connect';
import { EXTENSION_PATTERN, PROMPT_AUDIO_FOLDER, sha256Hex } from '#shared/snapshot/format.js';
import { documentOf, fingerprint, itemsOf, toPlain } from './support/read.js';
import { deletion, INSTANCE_DEFAULT_PROMPTS, instanceDefault } from './support/removal.js';
import {
  anyChanged,
  entityOf,
  sendOptions,
  tagsMember,
  text,
  updateTags,
  userTags,
} from './support/restore.js';
import { config, request, requireMembers } from './support/search.js';
import type {
  DerivedObject,
  IncrementalItem,
  KindRestore,
  ReadContext,
  ResourceKind,
  SearchOnlyRead,
  StoredDocument,
} from './types.js';

/** Content types of the audio files Connect plays, by extension, for a download that names none. */
const CONTENT_TYPES: Readonly<Record<string, string>> = { '.wav': 'audio/wav', '.mp3': 'audio/mpeg' };

/**
 * Thrown when a prompt's audio cannot be read: GetPromptFile failed or returned no URL, or the
 * presigned URL did not answer 200. The backup fails with it (a snapshot never lacks audio).
 */
export class PromptAudioError extends Error {
  override readonly name = 'PromptAudioError';
  /** The prompt whose audio is missing. */
  readonly promptId: string;

  constructor(prompt: { id: string; name: string }, reason: string, options?: ErrorOptions) {
    super(`prompt "${prompt.name}" (${prompt.id}): its audio could not be read: ${reason}`, options);
    this.promptId = prompt.id;
  }
}

/** The extension of the audio object: the presigned URL's (`.wav`), else `.wav`, Connect's format. */
function extensionOf(url: URL): string {
  const match = /(\.[A-Za-z0-9]{1,10})$/.exec(url.pathname);
  const extension = match?.[1]?.toLowerCase();
  return extension && EXTENSION_PATTERN.test(extension) ? extension : '.wav';
}

/**
 * Reads a prompt's audio: GetPromptFile, then a plain GET of the presigned URL it returns (no AWS
 * credentials: the URL carries its signature). The bytes are held in memory once (Connect's prompts
 * are under 50 MB; an 8 kHz µ-law minute is 480 KB).
 *
 * @returns The audio as a derived object of `prompts-audio`, with the download's content type.
 * @throws PromptAudioError naming the prompt when GetPromptFile fails or the download does not
 *   answer 200 (an expired URL answers 403); the SDK's error or fetch's is its `cause`.
 */
export async function readPromptAudio(document: StoredDocument, ctx: ReadContext): Promise<DerivedObject> {
  const prompt = { id: document.id, name: document.name };
  let presigned: string | undefined;
  try {
    const file = await ctx.connect.send(
      new GetPromptFileCommand({ InstanceId: ctx.instanceId, PromptId: document.id }),
      { abortSignal: ctx.signal },
    );
    presigned = file.PromptPresignedUrl;
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const e = error as Error;
    throw new PromptAudioError(prompt, `GetPromptFile failed (${e.name}: ${e.message})`, { cause: error });
  }
  if (!presigned) throw new PromptAudioError(prompt, 'GetPromptFile returned no PromptPresignedUrl');
  let url: URL;
  try {
    url = new URL(presigned);
  } catch (error) {
    throw new PromptAudioError(prompt, 'GetPromptFile returned a URL that does not parse', { cause: error });
  }
  let response: Response;
  try {
    response = await fetch(url, { signal: ctx.signal });
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    throw new PromptAudioError(prompt, `the download failed (${(error as Error).message})`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new PromptAudioError(
      prompt,
      `the presigned URL answered HTTP ${response.status}${response.status === 403 ? ' (expired or not allowed)' : ''}`,
    );
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const extension = extensionOf(url);
  const header = response.headers.get('content-type')?.split(';')[0]?.trim();
  const contentType = header || (CONTENT_TYPES[extension] ?? 'application/octet-stream');
  return { folder: PROMPT_AUDIO_FOLDER, body, extension, contentType };
}

/**
 * The restore part. State: Name, Description, Tags and `Audio`, the SHA-256 of the prompt's audio
 * (the snapshot's `prompts-audio/` object for a source; for a target, what GetPromptFile serves,
 * read only in mode overwrite by `completeTarget`). A target whose audio was not read, or a
 * snapshot without audio, compares equal on `Audio`, so mode create-missing never reads target
 * audio. An audio update takes the snapshot's own audio (or the mapping), never the source
 * instance's current one.
 */
const promptsRestore: KindRestore = {
  remove: deletion(
    'DeletePrompt',
    (ctx, target) =>
      ctx.connect.send(
        new DeletePromptCommand({ InstanceId: ctx.instanceId, PromptId: target.id }),
        sendOptions(ctx),
      ),
    (target) => instanceDefault('prompt', INSTANCE_DEFAULT_PROMPTS, target.name),
  ),
  writeOperations: ['CreatePrompt', 'UpdatePrompt', 'TagResource', 'UntagResource'],
  nameMember: 'Name',
  state(document) {
    const prompt = entityOf<Prompt>(document);
    return {
      Name: prompt.Name,
      Description: prompt.Description,
      Tags: userTags(prompt.Tags),
      Audio: document.derived?.[PROMPT_AUDIO_FOLDER]?.sha256,
    };
  },
  comparable(current, desired) {
    // Unknown on either side (target audio not read; a snapshot written before it held audio).
    return current.Audio === undefined || desired.Audio === undefined
      ? { ...current, Audio: desired.Audio }
      : current;
  },
  async completeTarget(ctx, target) {
    const audio = await readPromptAudio(target, ctx);
    const body = audio.body as Uint8Array;
    target.derived = {
      ...target.derived,
      [PROMPT_AUDIO_FOLDER]: {
        sha256: sha256Hex(body),
        bytes: body.byteLength,
        contentType: audio.contentType,
      },
    };
  },
  cannotCreate(source, context) {
    return context.promptAudioMissing(source);
  },
  cannotUpdate(changed, _current, _desired, context) {
    if (!changed.includes('Audio') || !context) return undefined;
    const missing = context.snapshotAudioMissing(context.source);
    return missing ? `the target's audio differs from the snapshot's; ${missing}` : undefined;
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
  async update(ctx, _phase, target, { current, desired, changed, source }) {
    if (anyChanged(changed, 'Name', 'Description', 'Audio')) {
      await ctx.connect.send(
        new UpdatePromptCommand({
          InstanceId: ctx.instanceId,
          PromptId: target.id,
          ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
          ...(changed.has('Description') ? { Description: text(desired, 'Description') ?? '' } : {}),
          ...(changed.has('Audio') ? { S3Uri: await ctx.promptAudio(source) } : {}),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

const searchPrompts = (ctx: ReadContext) =>
  itemsOf(paginateSearchPrompts(config(ctx), request(ctx)), (page) => page.Prompts);

const PROMPTS_SEARCH_ONLY: SearchOnlyRead = {
  why: 'SearchPrompts returns the whole Prompt, as DescribePrompt does (connect-api-facts.md §5): 100 per call; GetPromptFile adds the audio',
  requires: ['Name'],
};

/** @throws Error when SearchPrompts returned the prompt without its identity or a member restore needs. */
function promptDocument(prompt: Prompt): StoredDocument {
  const document = documentOf('prompts', prompt, {
    id: prompt.PromptId,
    arn: prompt.PromptARN,
    name: prompt.Name,
  });
  requireMembers('SearchPrompts', 'prompt', document, PROMPTS_SEARCH_ONLY.requires);
  return document;
}

/** A prompt's change signal: the whole prompt as SearchPrompts returns it (LastModifiedTime, tags…). */
const promptSignal = (resource: Record<string, unknown>) => fingerprint(resource);

export const prompts: ResourceKind<'prompts'> = {
  name: 'prompts',
  label: 'prompt',
  readOperations: ['SearchPrompts', 'GetPromptFile'],
  searchOnly: PROMPTS_SEARCH_ONLY,
  async *read(ctx) {
    for await (const prompt of searchPrompts(ctx)) yield promptDocument(prompt);
  },
  derive: async (document, ctx) => [await readPromptAudio(document, ctx)],
  derivedFolders: [PROMPT_AUDIO_FOLDER],
  changes: {
    signal:
      'the whole prompt as SearchPrompts returns it (100 prompts per call), LastModifiedTime included; its audio is downloaded again only when that moves',
    // An UpdatePrompt with a new S3Uri moves the prompt's LastModifiedTime (as any UpdatePrompt does).
    notCovered: [],
    signalOf: (document) => promptSignal(document.resource),
    async *readChanged(ctx, previous): AsyncIterable<IncrementalItem> {
      for await (const prompt of searchPrompts(ctx)) {
        const id = prompt.PromptId ?? '';
        const before = previous.get(id);
        if (before !== undefined && before === promptSignal(toPlain(prompt))) yield { unchanged: id };
        else yield { document: promptDocument(prompt) };
      }
    },
  },
  restore: promptsRestore,
};
