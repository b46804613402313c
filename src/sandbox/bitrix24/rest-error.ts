// Errors in the documented wire shape {error, error_description} with the documented HTTP status.
// Many legacy CRM methods answer with an EMPTY `error` and only a description (docs: error-codes.md,
// crm.activity.get, crm.company.update); that is reproduced, not "fixed".

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    /** Extra top-level keys some errors carry (placement.bind: `argument`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${status} ${code}: ${description}`);
  }

  toBody(): Record<string, unknown> {
    return { error: this.code, error_description: this.description, ...this.extra };
  }
}

/** _includes/system-errors.md */
export const systemErrors = {
  noAuth: () => new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data'),
  expiredToken: () => new RestError(401, 'expired_token', 'The access token provided has expired.'),
  queryLimit: () => new RestError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'),
  insufficientScope: () =>
    new RestError(403, 'insufficient_scope', 'The request requires higher privileges than provided by the webhook token'),
  methodNotFound: () => new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!'),
  batchLength: () => new RestError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded'),
  batchNested: () => new RestError(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage'),
  accessDenied: (description = 'Access denied!') => new RestError(403, 'ACCESS_DENIED', description),
};

/** Engine-controller methods (crm.item.*, tasks.task.*) report a missing required parameter as code 100. */
export function missingParam(name: string): RestError {
  return new RestError(400, '100', `Could not find value for parameter {${name}}`);
}
