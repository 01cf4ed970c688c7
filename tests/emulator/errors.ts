/**
 * Connect's error shapes, as the service answers them: an HTTP status, the `x-amzn-errortype`
 * header and a JSON body with `Message` (and, for some errors, extra members).
 */

/** The Connect exceptions the emulator raises, with their HTTP status codes (from the API model). */
export const ERROR_STATUS = {
  InvalidParameterException: 400,
  InvalidRequestException: 400,
  InvalidContactFlowException: 400,
  InvalidContactFlowModuleException: 400,
  ContactFlowNotPublishedException: 404,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  DuplicateResourceException: 409,
  ResourceInUseException: 409,
  ResourceConflictException: 409,
  IdempotencyException: 409,
  LimitExceededException: 429,
  ThrottlingException: 429,
  ServiceQuotaExceededException: 402,
  InternalServiceException: 500,
  UnknownOperationException: 404,
  UnrecognizedClientException: 403,
  MissingAuthenticationTokenException: 403,
  SerializationException: 400,
  PropertyValidationException: 400,
} as const;

export type ConnectErrorCode = keyof typeof ERROR_STATUS;

/** An error the emulator returns to the client as a Connect error response. */
export class ConnectError extends Error {
  readonly code: ConnectErrorCode;
  readonly status: number;
  /** Extra body members, e.g. `problems` of InvalidContactFlowException. */
  readonly extra: Record<string, unknown>;

  constructor(code: ConnectErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ConnectError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.extra = extra;
  }
}

/** 404 for a resource that does not exist in the instance (or is not visible to the caller). */
export function notFound(what: string, id: string): ConnectError {
  return new ConnectError('ResourceNotFoundException', `${what} not found: ${id}`);
}

/** 409 for a name already taken in the instance. */
export function duplicate(what: string, name: string): ConnectError {
  return new ConnectError(
    'DuplicateResourceException',
    `A resource with the specified name already exists: ${what} "${name}"`,
  );
}

/** 400 for a parameter the service rejects. */
export function invalidParameter(message: string): ConnectError {
  return new ConnectError('InvalidParameterException', message);
}

/** 400 for a request that is well-formed but not allowed. */
export function invalidRequest(message: string): ConnectError {
  return new ConnectError('InvalidRequestException', message);
}

/** 409 for a resource still referenced by another one. */
export function inUse(what: string, id: string, by: string): ConnectError {
  return new ConnectError('ResourceInUseException', `${what} ${id} is in use by ${by}`, {
    ResourceType: what,
    ResourceId: id,
  });
}
