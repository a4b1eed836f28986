/**
 * Kibana's side of one request, in Kibana's order: route (404), authenticate (401), read the JSON payload,
 * XSRF check (Kibana core's post-auth handler), validate against the contract (400), run the operation
 * (privileges, 403, and the cases plugin's own checks), then check the answer against the contract.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Operation } from 'openapi-backend';
import type { Credentials } from './auth';
import { createCase, deleteCases, getCase, updateCases } from './cases';
import { addComment, findComments, getComment, updateComment } from './comments';
import type { CasesContract } from './contract';
import { KibanaError, errorBody } from './errors';
import { findCases } from './find-cases';
import type { OperationHandler, OperationResult } from './operation-context';
import type { CasesIndex } from './store';
import type { RequestViolation, ResponseViolation } from './types';
import { findCaseUserActions } from './user-actions';

/** The operations of the OpenAPI document the stand-in answers, by operationId. */
const HANDLERS: Record<string, OperationHandler> = {
  createCaseDefaultSpace: createCase,
  updateCaseDefaultSpace: updateCases,
  deleteCaseDefaultSpace: deleteCases,
  findCasesDefaultSpace: findCases,
  getCaseDefaultSpace: getCase,
  addCaseCommentDefaultSpace: addComment,
  updateCaseCommentDefaultSpace: updateComment,
  findCaseCommentsDefaultSpace: findComments,
  getCaseCommentDefaultSpace: getComment,
  findCaseActivityDefaultSpace: findCaseUserActions,
};

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface ApiRequest {
  method: string;
  /** The path without its `/s/<space>` prefix. */
  path: string;
  space: string;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface ApiReply extends OperationResult {
  operationId: string | undefined;
  /** The authenticated user's username. */
  user: string | undefined;
}

export class CasesApi {
  readonly violations: RequestViolation[] = [];
  readonly responseViolations: ResponseViolation[] = [];

  constructor(
    private readonly contract: CasesContract,
    private readonly credentials: Credentials,
    private readonly index: CasesIndex,
  ) {}

  answer(request: ApiRequest): ApiReply {
    const space = this.index.space(request.space);
    const operation = space && this.contract.match(request.method, request.path);
    if (!space || !operation) return { status: 404, body: errorBody(404, 'Not Found'), operationId: undefined, user: undefined };
    const { operationId } = operation;
    let user: string | undefined;
    let reply: OperationResult;
    try {
      const caller = this.credentials.authenticate(single(request.headers.authorization));
      user = caller.user.username;
      const body = this.payload(request);
      if (WRITE_METHODS.has(request.method) && request.headers['kbn-xsrf'] === undefined) {
        throw new KibanaError(400, 'Request must contain a kbn-xsrf header.', 'kibana');
      }
      const headers = Object.fromEntries(Object.entries(request.headers).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
      const contractRequest = { method: request.method, path: request.path, query: { ...request.query }, headers, body };
      const errors = this.contract.requestErrors(contractRequest, operation);
      if (errors.length > 0) throw new KibanaError(400, errors.join(','), 'openapi', errors);
      const handler = HANDLERS[operationId ?? ''];
      if (!handler) return { ...this.unimplemented(request, operationId), operationId, user };
      const params = this.contract.pathParams(contractRequest, operation);
      const authorize = this.credentials.authorizer(caller.credential);
      const now = new Date().toISOString();
      reply = handler({ index: this.index, space, user: caller.user, authorize, now, params, query: request.query, body });
    } catch (error) {
      if (!(error instanceof KibanaError)) return { ...this.crashed(request, operationId, error), operationId, user };
      const { contract, message, details: errors } = error;
      if (contract) this.violations.push({ method: request.method, path: request.path, operationId, contract, message, errors });
      reply = { status: error.statusCode, body: errorBody(error.statusCode, error.message) };
    }
    this.checkReply(request, operation, reply, {});
    return { ...reply, operationId, user };
  }

  /** A reply a fault put in Kibana's place is checked against the contract too; returns the operation asked for. */
  checkInjected(request: ApiRequest, reply: { status: number; body: unknown; headers: Record<string, string> }): string | undefined {
    const operation = this.index.space(request.space) && this.contract.match(request.method, request.path);
    if (operation) this.checkReply(request, operation, reply, reply.headers);
    return operation?.operationId;
  }

  /** The JSON payload, parsed as hapi does before Kibana's handlers run. */
  private payload(request: ApiRequest): unknown {
    if (request.rawBody === '') return undefined;
    try {
      return JSON.parse(request.rawBody) as unknown;
    } catch {
      throw new KibanaError(400, 'Invalid request payload JSON format', 'openapi');
    }
  }

  /** A Kibana route the stand-in does not answer: a gap in the stand-in, reported like a wrong answer. */
  private unimplemented(request: ApiRequest, operationId: string | undefined): OperationResult {
    const message = `The Kibana stand-in does not implement ${operationId} (${request.method} ${request.path})`;
    const body = errorBody(501, message);
    this.responseViolations.push({ method: request.method, path: request.path, operationId, status: 501, errors: [message], body });
    return { status: 501, body };
  }

  /** A handler that throws something other than Kibana's errors is a stand-in bug: Kibana's 500, and reported. */
  private crashed(request: ApiRequest, operationId: string | undefined, error: unknown): OperationResult {
    const body = errorBody(500, 'An internal server error occurred.');
    const errors = [error instanceof Error ? (error.stack ?? error.message) : String(error)];
    this.responseViolations.push({ method: request.method, path: request.path, operationId, status: 500, errors, body });
    return { status: 500, body };
  }

  private checkReply(request: ApiRequest, operation: Operation, reply: OperationResult, headers: Record<string, string>): void {
    const errors = this.contract.responseErrors(operation, reply.status, reply.body, { 'content-type': 'application/json', ...headers });
    if (errors.length === 0) return;
    const { method, path } = request;
    this.responseViolations.push({ method, path, operationId: operation.operationId, status: reply.status, errors, body: reply.body });
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
