/**
 * Kibana's error answers. Kibana (hapi/Boom) answers every error as `{statusCode, error, message}`, `error`
 * being the HTTP reason phrase; the cases plugin throws Boom errors whose message reaches the client as is.
 */

const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  406: 'Not Acceptable',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export interface KibanaErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

export function reasonPhrase(statusCode: number): string {
  return REASON_PHRASES[statusCode] ?? 'Error';
}

export function errorBody(statusCode: number, message: string): KibanaErrorBody {
  return { statusCode, error: reasonPhrase(statusCode), message };
}

/** An error a handler throws to answer with; 400s also say which contract the request broke. */
export class KibanaError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly contract?: 'openapi' | 'kibana',
    readonly details: string[] = [message],
  ) {
    super(message);
  }
}

/** A 400 for a rule the cases plugin enforces beyond the OpenAPI document (its io-ts schemas and checks). */
export const badRequest = (message: string) => new KibanaError(400, message, 'kibana');
export const forbidden = (message: string) => new KibanaError(403, message);
export const notFound = (message: string) => new KibanaError(404, message);
export const notAcceptable = (message: string) => new KibanaError(406, message);
export const conflict = (message: string) => new KibanaError(409, message);

/** What the saved objects client throws for a missing object, e.g. `Saved object [cases/<id>] not found`. */
export const savedObjectNotFound = (type: 'cases' | 'cases-comments', id: string) =>
  notFound(`Saved object [${type}/${id}] not found`);
