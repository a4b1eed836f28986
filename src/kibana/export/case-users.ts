import type { Actor } from '../../cases/model';
import type { KibanaUser } from '../saved-objects';
import { actorToKibanaUser, type ProfileUids } from '../users';
import type { KeyOrder } from './key-order';

/**
 * The Kibana users of one case's actors, each built once and shared by every object of the case that names it
 * (a line writes a shared object as it would a copy). A case's objects are mostly by the same few people, and
 * building the same user for each of them, with its username string, was a visible share of an export.
 */
export class CaseUsers {
  private readonly built = new Map<string, { actor: Actor; user: KibanaUser }>();

  constructor(
    private readonly profileUids: ProfileUids,
    private readonly keyOrder: KeyOrder,
  ) {}

  /** The Kibana user `actor` is written as (users.ts). */
  of(actor: Actor): KibanaUser {
    const known = this.built.get(actor.userId);
    if (known && known.actor.teamId === actor.teamId && known.actor.name === actor.name) return known.user;
    const user = actorToKibanaUser(actor, this.profileUids, this.keyOrder);
    this.built.set(actor.userId, { actor, user });
    return user;
  }
}
