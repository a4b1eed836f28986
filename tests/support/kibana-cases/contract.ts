/**
 * The contract: Kibana's own Cases OpenAPI document (../shared/fixtures/kibana/…/cases/docs/openapi/bundled.yaml),
 * with the corrections in spec-corrections.ts, loaded into openapi-backend. It routes requests to operations and
 * validates every request (path, query, declared headers, body) and every response (body, declared headers).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { type Document, OpenAPIBackend, type Operation, SetMatchType } from 'openapi-backend';
import { correctCasesSpec } from './spec-corrections';

// js-yaml comes with jest (through babel-plugin-istanbul) and ships no types; `load` is the one call used.
const { load: parseYaml } = require('js-yaml') as { load(text: string): unknown };

const CASES_OPENAPI_PATH = path.resolve(
  __dirname,
  '../../../../shared/fixtures/kibana/x-pack/platform/plugins/shared/cases/docs/openapi/bundled.yaml',
);

/**
 * openapi-backend reads a document through @apidevtools/json-schema-ref-parser, an ESM-only module it loads
 * with `import()`, which jest's CommonJS runtime cannot run. So it is handed the document already parsed, and
 * dereferences it with its synchronous `quick` path; `quick` also compiles each operation's validators on
 * first use rather than all at start.
 */
class ParsedDocumentBackend extends OpenAPIBackend {
  override async loadDocument(): Promise<Document> {
    this.document = this.inputDocument as Document;
    return this.document;
  }
}

export interface ContractRequest {
  method: string;
  /** The path without a space prefix. */
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[]>;
  body: unknown;
}

/** The document never changes, so every stand-in shares one contract and its compiled validators. */
let loaded: Promise<CasesContract> | undefined;

export class CasesContract {
  private constructor(private readonly api: OpenAPIBackend) {}

  static load(): Promise<CasesContract> {
    loaded ??= CasesContract.build();
    return loaded;
  }

  private static async build(): Promise<CasesContract> {
    const document = parseYaml(readFileSync(CASES_OPENAPI_PATH, 'utf8')) as Record<string, unknown>;
    correctCasesSpec(document);
    const api = new ParsedDocumentBackend({
      definition: document as unknown as Document,
      quick: true,
      strict: true,
      ajvOpts: { allErrors: true },
      customizeAjv: (ajv) => addFormats(ajv),
    });
    await api.init();
    api.validateDefinition(); // `quick` skips it; a correction must leave a valid OpenAPI document
    return new CasesContract(api);
  }

  match(method: string, requestPath: string): Operation | undefined {
    return this.api.matchOperation({ method, path: requestPath, headers: {} });
  }

  pathParams(request: ContractRequest, operation: Operation): Record<string, string> {
    return this.api.router.parseRequest({ method: request.method, path: request.path, headers: {} }, operation).params;
  }

  /** What is wrong with a request, worded as the cases plugin words its io-ts decoding errors; empty if nothing. */
  requestErrors(request: ContractRequest, operation: Operation): string[] {
    const { errors } = this.api.validateRequest({ ...request, body: request.body as object }, operation);
    const values = { requestBody: request.body, query: request.query, header: request.headers };
    return describeErrors(errors ?? [], values);
  }

  /** Where a response breaks the operation's response schema or declared headers; empty if nowhere. */
  responseErrors(operation: Operation, status: number, body: unknown, headers: Record<string, string>): string[] {
    const bodyErrors = this.api.validateResponse(body ?? null, operation, status).errors ?? [];
    const headerErrors =
      this.api.validateResponseHeaders(headers, operation, { statusCode: status, setMatchType: SetMatchType.Superset }).errors ?? [];
    return [...bodyErrors, ...headerErrors].map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  }
}

/**
 * Kibana's cases routes decode with io-ts and answer `Invalid value "<value>" supplied to "<key,path>"` per
 * problem, and `invalid keys "<keys>"` for unknown ones (server/common/runtime_types.ts). Ajv's errors are
 * reworded the same way; the summary errors of `oneOf`/`anyOf` add nothing to their branches' errors.
 */
function describeErrors(errors: ErrorObject[], values: Record<string, unknown>): string[] {
  const specific = errors.filter((e) => !['oneOf', 'anyOf', 'discriminator'].includes(e.keyword));
  const messages = (specific.length > 0 ? specific : errors).map((error) => {
    const keys = error.instancePath.split('/').slice(1).map(decodePointer);
    if (error.keyword === 'additionalProperties') return `invalid keys "${String(error.params.additionalProperty)}"`;
    if (error.keyword === 'required') keys.push(String(error.params.missingProperty));
    const value = error.keyword === 'required' ? undefined : valueAt(values, keys);
    const context = keys.slice(1).filter((key) => !/^\d+$/.test(key)).join(',') || keys[0] || '';
    const shown = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    return `Invalid value "${shown}" supplied to "${context}"`;
  });
  return [...new Set(messages)];
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function valueAt(root: unknown, keys: string[]): unknown {
  let node = root;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
