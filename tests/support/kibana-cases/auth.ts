/**
 * Kibana's authentication and the Cases feature privilege. Kibana's HTTP authentication provider takes
 * `Authorization: ApiKey …` and `Authorization: Basic …` and asks Elasticsearch who that is; a request
 * without credentials gets Kibana's bare 401, bad credentials Elasticsearch's `security_exception` as Kibana
 * wraps it. Privileges are checked by the cases plugin itself (server/authorization), after validation.
 */
import { KibanaError, forbidden } from './errors';
import type { KibanaUser, StandInUser } from './types';

/** The Elasticsearch API Kibana authenticates a request's credentials with. */
const AUTHENTICATE_API = '/_security/_authenticate';

function securityException(reason: string): KibanaError {
  return new KibanaError(401, `[security_exception\n\tRoot causes:\n\t\tsecurity_exception: ${reason}]: ${reason}`);
}

export class Credentials {
  private readonly revoked = new Set<string>();
  private readonly withoutPrivileges = new Set<string>();

  constructor(private readonly users: StandInUser[]) {}

  /** The user behind a request's `Authorization` header, and the credential used; throws Kibana's 401 when there is none. */
  authenticate(authorization: string | undefined): { user: KibanaUser; credential: string } {
    const [scheme, value = ''] = (authorization ?? '').trim().split(/\s+/, 2);
    if (!scheme) throw new KibanaError(401, 'Unauthorized');
    if (/^apikey$/i.test(scheme)) {
      const user = this.users.find((u) => u.apiKey !== undefined && u.apiKey === value);
      if (!user || this.revoked.has(value)) {
        throw securityException('unable to authenticate with provided credentials and anonymous access is not allowed for this request');
      }
      return { user: profile(user), credential: value };
    }
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      const username = separator === -1 ? decoded : decoded.slice(0, separator);
      const user = this.users.find((u) => u.password !== undefined && u.username === username);
      if (!user || decoded.slice(separator + 1) !== user.password || this.revoked.has(username)) {
        throw securityException(`unable to authenticate user [${username}] for REST request [${AUTHENTICATE_API}]`);
      }
      return { user: profile(user), credential: username };
    }
    throw new KibanaError(401, 'Unauthorized');
  }

  /** From now on the credential (an API key, or a username for Basic) no longer authenticates. */
  revoke(credential: string): void {
    this.revoked.add(credential);
  }

  /** From now on the credential authenticates but its user has no Cases privilege in any space. */
  denyPrivileges(credential: string): void {
    this.withoutPrivileges.add(credential);
  }

  /**
   * A check for the cases plugin's authorization: `verb` and `docType` as in server/authorization/index.ts
   * (create/access/update/delete; case, cases, comments, user actions). Owners of the objects involved give
   * `with owners: "…"`; a search over all objects gives `of any owner`. Kibana checks before it reports
   * missing objects, so with no objects found there is nothing to refuse.
   */
  authorizer(credential: string): (verb: string, docType: string, owners?: string[]) => void {
    const denied = this.withoutPrivileges.has(credential);
    return (verb, docType, owners) => {
      if (!denied || owners?.length === 0) return; // nothing of anyone's to check
      const unique = [...new Set(owners)];
      const whose = owners === undefined ? 'of any owner' : `with owners: "${unique.join(', ')}"`;
      throw forbidden(`Unauthorized to ${verb} ${docType} ${whose}`);
    };
  }
}

/** The user as Kibana records it, without the stand-in's credentials. */
function profile({ apiKey, password, ...user }: StandInUser): KibanaUser {
  return user;
}

export type Authorize = ReturnType<Credentials['authorizer']>;
