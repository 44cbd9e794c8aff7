/**
 * An error the API answers with: an HTTP status and the contract's envelope
 * `{error: {code, message, details}}`. Anything else thrown by a route is a 500 `internal` whose
 * message says nothing about the server's insides.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Array<unknown> = [],
  ) {
    super(message);
  }
}

export interface Envelope {
  error: {code: string; message: string; details: Array<unknown>};
}

export const envelope = (code: string, message: string, details: Array<unknown> = []): Envelope => ({
  error: {code, message, details},
});

export const unauthorized = (message: string): ApiError => new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string): ApiError => new ApiError(403, 'forbidden', message);
export const notFound = (message: string): ApiError => new ApiError(404, 'not_found', message);
export const conflict = (message: string, details: Array<unknown> = []): ApiError =>
  new ApiError(409, 'conflict', message, details);
/** A request whose shape is right but whose values are not (422). */
export const invalid = (message: string, details: Array<unknown> = [], code = 'invalid_request'): ApiError =>
  new ApiError(422, code, message, details);
export const unimplemented = (message: string): ApiError => new ApiError(501, 'unimplemented', message);
