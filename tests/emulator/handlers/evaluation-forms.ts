/**
 * Evaluation forms: ListEvaluationForms, DescribeEvaluationForm (`?version=`),
 * ListEvaluationFormVersions, CreateEvaluationForm, UpdateEvaluationForm, ActivateEvaluationForm,
 * DeactivateEvaluationForm, DeleteEvaluationForm.
 *
 * A form is versioned (connect-api-facts.md §6, "Evaluation forms"). CreateEvaluationForm makes
 * version 1, a DRAFT. UpdateEvaluationForm replaces the whole content of the version it names
 * (PUT), or of a new version (`CreateNewVersion`). ActivateEvaluationForm makes one version ACTIVE
 * (and locked); at most one version is active.
 *
 * The model checks required members, enums and lengths (model.ts). Rules from the API reference
 * that the model does not carry, enforced here (InvalidParameterException, 400):
 * - an item is a union: exactly one of Section and Question;
 * - at most 100 sections and at most 100 questions in a form, counted at every level;
 * - questions must be contained in a section (no question at the top level);
 * - RefIds are unique within the form (sections and questions together).
 * Titles are unique per instance (ResourceConflictException, 409: the error the model lists for
 * evaluation forms, connect-api-facts.md §7).
 *
 * Choices where the real service's behaviour is undocumented (failing loudly rather than guessing
 * in the product's favour):
 * - UpdateEvaluationForm's `EvaluationFormVersion` must be the latest version: a stale one is
 *   rejected (ResourceConflictException). Without `CreateNewVersion`, the version must not be locked
 *   (a version is locked once activated): ResourceConflictException.
 * - Activating the version already active, or deactivating a version that is not active, is a
 *   ResourceConflictException. Activating another version makes the active one a (locked) DRAFT.
 * - Deleting the active version alone (`?version=`) is a ResourceConflictException; deleting the
 *   whole form is allowed whatever its versions.
 * - Every write to a form (update, activate, deactivate) moves its summary's LastModifiedTime;
 *   TagResource/UntagResource do not.
 * - `AsDraft` is accepted and changes nothing: a new or updated version is a DRAFT either way.
 * - The model sets no length on titles: the emulator checks none.
 */
import type {
  ActivateEvaluationFormRequest,
  ActivateEvaluationFormResponse,
  CreateEvaluationFormRequest,
  CreateEvaluationFormResponse,
  DeactivateEvaluationFormRequest,
  DeactivateEvaluationFormResponse,
  DeleteEvaluationFormRequest,
  DescribeEvaluationFormRequest,
  DescribeEvaluationFormResponse,
  EvaluationForm,
  EvaluationFormItem,
  EvaluationFormSummary,
  EvaluationFormVersionSummary,
  ListEvaluationFormsRequest,
  ListEvaluationFormsResponse,
  ListEvaluationFormVersionsRequest,
  ListEvaluationFormVersionsResponse,
  UpdateEvaluationFormRequest,
  UpdateEvaluationFormResponse,
} from '@aws-sdk/client-connect';
import { ConnectError, invalidParameter, notFound } from '../errors.js';
import type { EvaluationFormRecord, InstanceState } from '../state.js';
import { type HandlerTable, paginate, type RequestContext } from './context.js';

const PAGE_MAX = 100;
/** Sections per form, and questions per form (the API reference of CreateEvaluationForm `Items`). */
export const MAX_SECTIONS = 100;
export const MAX_QUESTIONS = 100;
/** Who the emulator says made every change (CreatedBy, LastModifiedBy). */
const CALLER = (instance: InstanceState) => `${instance.arn}/agent/emulator`;

function conflict(message: string): ConnectError {
  return new ConnectError('ResourceConflictException', message);
}

/**
 * Checks a form's items (see the module comment).
 * @throws ConnectError InvalidParameterException naming the first problem.
 */
export function validateItems(items: readonly EvaluationFormItem[]): void {
  const refIds = new Set<string>();
  let sections = 0;
  let questions = 0;
  const walk = (list: readonly EvaluationFormItem[], path: string, inSection: boolean) => {
    list.forEach((item, i) => {
      const at = `${path}[${i}]`;
      const kinds = (['Section', 'Question'] as const).filter((k) => item[k] !== undefined);
      if (kinds.length !== 1) {
        throw invalidParameter(`${at} must hold exactly one of Section and Question, not ${kinds.length}.`);
      }
      const refId = item.Section?.RefId ?? item.Question?.RefId ?? '';
      if (refIds.has(refId)) throw invalidParameter(`${at}: RefId "${refId}" is not unique in the form.`);
      refIds.add(refId);
      if (item.Section) {
        sections++;
        walk(item.Section.Items ?? [], `${at}.Section.Items`, true);
      } else {
        if (!inSection) throw invalidParameter(`${at}: a question must be contained in a section.`);
        questions++;
      }
    });
  };
  walk(items, 'Items', false);
  if (sections > MAX_SECTIONS) {
    throw invalidParameter(`A form can have at most ${MAX_SECTIONS} sections; it has ${sections}.`);
  }
  if (questions > MAX_QUESTIONS) {
    throw invalidParameter(`A form can have at most ${MAX_QUESTIONS} questions; it has ${questions}.`);
  }
}

/** The content members a Create or Update request sets on a version (a full replacement). */
function contentOf(
  input: CreateEvaluationFormRequest | UpdateEvaluationFormRequest,
): Partial<EvaluationForm> {
  validateItems(input.Items ?? []);
  const copy = <T>(value: T): T => (value === undefined ? value : structuredClone(value));
  return {
    Title: input.Title,
    Description: input.Description,
    Items: copy(input.Items),
    ScoringStrategy: copy(input.ScoringStrategy),
    AutoEvaluationConfiguration: copy(input.AutoEvaluationConfiguration),
    ReviewConfiguration: copy(input.ReviewConfiguration),
    TargetConfiguration: copy(input.TargetConfiguration),
    LanguageConfiguration: copy(input.LanguageConfiguration),
    AIVersion: input.AIVersion,
  };
}

/** Drops undefined members, so a Describe answer holds only what is set. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Title uniqueness. @throws ConnectError ResourceConflictException (409). */
function assertTitleFree(instance: InstanceState, title: string, exceptId?: string): void {
  const other = instance.evaluationForms.findByName(title);
  if (other && other.id !== exceptId) throw conflict(`A resource already has that name: "${title}"`);
}

/** The version of a form. @throws ConnectError ResourceNotFoundException (404). */
function versionOf(record: EvaluationFormRecord, version: number | undefined): EvaluationForm {
  const found = record.versions[(version ?? record.versions.length) - 1];
  if (!found) throw notFound('Evaluation form version', `${record.id}:${version}`);
  return found;
}

function summary(record: EvaluationFormRecord): EvaluationFormSummary {
  const first = record.versions[0]!;
  return defined({
    EvaluationFormId: record.id,
    EvaluationFormArn: record.arn,
    Title: record.name,
    CreatedTime: first.CreatedTime,
    CreatedBy: first.CreatedBy,
    LastModifiedTime: record.lastModified,
    LastModifiedBy: record.versions.at(-1)!.LastModifiedBy,
    LastActivatedTime: record.lastActivated,
    LastActivatedBy: record.lastActivated ? first.CreatedBy : undefined,
    LatestVersion: record.versions.length,
    ActiveVersion: record.activeVersion,
  });
}

function versionSummary(record: EvaluationFormRecord, form: EvaluationForm): EvaluationFormVersionSummary {
  return {
    EvaluationFormArn: record.arn,
    EvaluationFormId: record.id,
    EvaluationFormVersion: form.EvaluationFormVersion,
    Locked: form.Locked,
    Status: form.Status,
    CreatedTime: form.CreatedTime,
    CreatedBy: form.CreatedBy,
    LastModifiedTime: form.LastModifiedTime,
    LastModifiedBy: form.LastModifiedBy,
  };
}

/** Handlers of the evaluation-form operations (see the module comment for the rules). */
export const evaluationFormHandlers: HandlerTable = {
  ListEvaluationForms(ctx: RequestContext, input: ListEvaluationFormsRequest): ListEvaluationFormsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { page, NextToken } = paginate(
      instance.evaluationForms.all().map(summary),
      input,
      `ListEvaluationForms/${instance.id}`,
      PAGE_MAX,
    );
    return { EvaluationFormSummaryList: page, NextToken };
  },

  /** DescribeEvaluationForm: the version asked for, or the latest. */
  DescribeEvaluationForm(
    ctx: RequestContext,
    input: DescribeEvaluationFormRequest,
  ): DescribeEvaluationFormResponse {
    const record = ctx.instance(input.InstanceId!).evaluationForms.require(input.EvaluationFormId!);
    const form = versionOf(record, input.EvaluationFormVersion);
    const tags = record.entity.Tags;
    return {
      EvaluationForm: {
        ...structuredClone(form),
        ...(tags && Object.keys(tags).length ? { Tags: { ...tags } } : {}),
      },
    };
  },

  ListEvaluationFormVersions(
    ctx: RequestContext,
    input: ListEvaluationFormVersionsRequest,
  ): ListEvaluationFormVersionsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.evaluationForms.require(input.EvaluationFormId!);
    const { page, NextToken } = paginate(
      record.versions.map((v) => versionSummary(record, v)),
      input,
      `ListEvaluationFormVersions/${instance.id}/${record.id}`,
      PAGE_MAX,
    );
    return { EvaluationFormVersionSummaryList: page, NextToken };
  },

  /** CreateEvaluationForm: version 1, a DRAFT; a unique Title (409); valid items (400). */
  CreateEvaluationForm(
    ctx: RequestContext,
    input: CreateEvaluationFormRequest,
  ): CreateEvaluationFormResponse {
    const instance = ctx.instance(input.InstanceId!);
    const content = contentOf(input);
    assertTitleFree(instance, input.Title!);
    const id = ctx.world.newId();
    const arn = instance.arnFor('evaluation-form', id);
    const now = ctx.world.tick();
    const form: EvaluationForm = defined({
      EvaluationFormId: id,
      EvaluationFormVersion: 1,
      Locked: false,
      EvaluationFormArn: arn,
      Status: 'DRAFT',
      ...content,
      CreatedTime: now,
      CreatedBy: CALLER(instance),
      LastModifiedTime: now,
      LastModifiedBy: CALLER(instance),
    } as EvaluationForm);
    instance.evaluationForms.add({
      id,
      arn,
      name: input.Title!,
      entity: input.Tags && Object.keys(input.Tags).length ? { Tags: { ...input.Tags } } : {},
      versions: [form],
      lastModified: now,
    });
    return { EvaluationFormId: id, EvaluationFormArn: arn };
  },

  /**
   * UpdateEvaluationForm: replaces the content of the latest version (a stale version: 409), or
   * adds a new version with `CreateNewVersion`; a locked version cannot be changed in place (409).
   */
  UpdateEvaluationForm(
    ctx: RequestContext,
    input: UpdateEvaluationFormRequest,
  ): UpdateEvaluationFormResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.evaluationForms.require(input.EvaluationFormId!);
    const latest = record.versions.length;
    const asked = input.EvaluationFormVersion!;
    versionOf(record, asked);
    if (asked !== latest) {
      throw conflict(
        `Evaluation form ${record.id}: version ${asked} is not the latest version (${latest}); describe the form again.`,
      );
    }
    const content = contentOf(input);
    assertTitleFree(instance, input.Title!, record.id);
    const now = ctx.world.tick();
    instance.propagation?.beforeWrite(record);
    let version = asked;
    if (input.CreateNewVersion) {
      version = latest + 1;
      record.versions.push(
        defined({
          EvaluationFormId: record.id,
          EvaluationFormVersion: version,
          Locked: false,
          EvaluationFormArn: record.arn,
          Status: 'DRAFT',
          ...content,
          CreatedTime: now,
          CreatedBy: CALLER(instance),
          LastModifiedTime: now,
          LastModifiedBy: CALLER(instance),
        } as EvaluationForm),
      );
    } else {
      const form = versionOf(record, asked);
      if (form.Locked) {
        throw conflict(
          `Evaluation form ${record.id}: version ${asked} is locked; update it with CreateNewVersion.`,
        );
      }
      record.versions[asked - 1] = defined({
        EvaluationFormId: record.id,
        EvaluationFormVersion: asked,
        Locked: false,
        EvaluationFormArn: record.arn,
        Status: form.Status,
        ...content,
        CreatedTime: form.CreatedTime,
        CreatedBy: form.CreatedBy,
        LastModifiedTime: now,
        LastModifiedBy: CALLER(instance),
      } as EvaluationForm);
    }
    instance.evaluationForms.rename(record, input.Title!);
    record.lastModified = now;
    return { EvaluationFormId: record.id, EvaluationFormArn: record.arn, EvaluationFormVersion: version };
  },

  /** ActivateEvaluationForm: the version becomes ACTIVE and locked; the one active before, a DRAFT. */
  ActivateEvaluationForm(
    ctx: RequestContext,
    input: ActivateEvaluationFormRequest,
  ): ActivateEvaluationFormResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.evaluationForms.require(input.EvaluationFormId!);
    const form = versionOf(record, input.EvaluationFormVersion!);
    if (record.activeVersion === form.EvaluationFormVersion) {
      throw conflict(
        `Evaluation form ${record.id}: version ${form.EvaluationFormVersion} is already active.`,
      );
    }
    const now = ctx.world.tick();
    if (record.activeVersion !== undefined) versionOf(record, record.activeVersion).Status = 'DRAFT';
    form.Status = 'ACTIVE';
    form.Locked = true;
    record.activeVersion = form.EvaluationFormVersion;
    record.lastActivated = now;
    record.lastModified = now;
    return {
      EvaluationFormId: record.id,
      EvaluationFormArn: record.arn,
      EvaluationFormVersion: form.EvaluationFormVersion,
    };
  },

  /** DeactivateEvaluationForm: the active version becomes a (locked) DRAFT; any other version: 409. */
  DeactivateEvaluationForm(
    ctx: RequestContext,
    input: DeactivateEvaluationFormRequest,
  ): DeactivateEvaluationFormResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.evaluationForms.require(input.EvaluationFormId!);
    const form = versionOf(record, input.EvaluationFormVersion!);
    if (record.activeVersion !== form.EvaluationFormVersion) {
      throw conflict(`Evaluation form ${record.id}: version ${form.EvaluationFormVersion} is not active.`);
    }
    form.Status = 'DRAFT';
    record.activeVersion = undefined;
    record.lastModified = ctx.world.tick();
    return {
      EvaluationFormId: record.id,
      EvaluationFormArn: record.arn,
      EvaluationFormVersion: form.EvaluationFormVersion,
    };
  },

  /** DeleteEvaluationForm: the whole form, or one version (not the active one: 409). */
  DeleteEvaluationForm(ctx: RequestContext, input: DeleteEvaluationFormRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.evaluationForms.require(input.EvaluationFormId!);
    const version = input.EvaluationFormVersion;
    if (version === undefined) {
      instance.evaluationForms.remove(record);
      return {};
    }
    versionOf(record, version);
    if (record.activeVersion === version) {
      throw conflict(`Evaluation form ${record.id}: version ${version} is active; deactivate it first.`);
    }
    if (record.versions.length === 1) instance.evaluationForms.remove(record);
    else if (version === record.versions.length) record.versions.pop();
    else {
      // Version numbers are positions here: an earlier version keeps its slot, emptied.
      throw conflict(
        `Evaluation form ${record.id}: the emulator deletes only the latest version on its own (asked: ${version}).`,
      );
    }
    record.lastModified = ctx.world.tick();
    return {};
  },
};
