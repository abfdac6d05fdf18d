/**
 * Who can do what on a repository: its collaborators and their roles (solo maintainer vs team).
 * "List repository collaborators" answers each person with a `permissions` object and a `role_name`; the `permission`
 * query filters by role (docs.github.com/rest/collaborators/collaborators). ASSUMED: the filter keeps people with at
 * least that role (an admin also has push).
 */
import type { RepoState } from '../github-server.js';
import type { ServerModule } from './module.js';
import { simpleUser } from './users.js';

export type Role = 'read' | 'triage' | 'write' | 'maintain' | 'admin';
const ORDER: Role[] = ['read', 'triage', 'write', 'maintain', 'admin'];
/** The `permission` query's names for the roles. */
const QUERY: Record<string, Role> = {
  pull: 'read',
  triage: 'triage',
  push: 'write',
  maintain: 'maintain',
  admin: 'admin',
};

export interface Person {
  login: string;
  role: Role;
  /** An outside collaborator of an organization repository (`affiliation=outside`). */
  outside?: boolean;
}

export const atLeast = (role: Role, min: Role) => ORDER.indexOf(role) >= ORDER.indexOf(min);

/** The repository's people: `people` when given, else the owner (admin) plus `collaborators - 1` writers. */
export function peopleOf(r: RepoState): Person[] {
  if (r.people.length) return r.people;
  return Array.from({ length: Math.max(1, r.collaborators) }, (_, i) => ({
    login: i === 0 ? r.owner : `collaborator-${i}`,
    role: i === 0 ? 'admin' : 'write',
  }));
}

export function roleOf(r: RepoState, login: string): Role | null {
  return peopleOf(r).find((p) => p.login.toLowerCase() === login.toLowerCase())?.role ?? null;
}

function collaborator(p: Person, i: number): Record<string, unknown> {
  return {
    ...simpleUser(p.login, i + 1),
    permissions: {
      pull: true,
      triage: atLeast(p.role, 'triage'),
      push: atLeast(p.role, 'write'),
      maintain: atLeast(p.role, 'maintain'),
      admin: p.role === 'admin',
    },
    role_name: p.role,
  };
}

export const peopleModule: ServerModule = {
  handle({ id, repo, query }, send) {
    if (id !== 'repos/list-collaborators' || !repo) return false;
    const min = QUERY[query.get('permission') ?? ''] ?? 'read';
    const outsideOnly = query.get('affiliation') === 'outside';
    const per = Number(query.get('per_page') ?? 30);
    const page = Number(query.get('page') ?? 1);
    const list = peopleOf(repo)
      .map(collaborator)
      .filter((_, i) => atLeast(peopleOf(repo)[i]!.role, min) && (!outsideOnly || peopleOf(repo)[i]!.outside === true));
    send(200, list.slice((page - 1) * per, page * per));
    return true;
  },
};
