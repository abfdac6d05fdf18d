/**
 * Pull requests, reviews and merging under rulesets: enough to show who can merge what.
 * - Authors cannot approve (or request changes on) their own pull request: the API answers 422
 *   {"message":"Unprocessable Entity","errors":["Can not approve your own pull request"]} (quoted in hubtty/hubtty#33,
 *   juliangruber/approve-pull-request-action#61; "Can not request changes on your own pull request": Blazity/ai-workflow#180).
 * - Only approvals from people with write access count ("pull requests must have a specific number of approving
 *   reviews from people with write or admin permissions", same page).
 * - "Require approval of the most recent reviewable push": someone other than the person who pushed it must approve
 *   (REST rule parameter require_last_push_approval).
 * - Code-owner review: an approval from a code owner other than the author (docs: "About code owners").
 * - allowed_merge_methods restricts merge / squash / rebase (REST rule parameters). With required signatures GitHub
 *   signs the squash commit it creates; it cannot sign rebased commits, and a merge commit brings the pull request's
 *   own commits, which must then be signed. ASSUMED from the UI and refined-github#3140; see github-facts.md.
 * - A refused merge is 405 with "Repository rule violations found" and one line per rule (ASSUMED format, as for pushes).
 */
import type { RepoState } from '../github-server.js';
import { DOCS, type Json, type ServerModule } from './module.js';
import { atLeast, roleOf } from './people.js';
import { bypasses, missingChecks, params, rulesetsFor, type Commit } from './rules.js';

/** A request body field as text ('' when absent or not a string). */
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export interface PullRequest {
  number: number;
  title: string;
  author: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  reviews: { user: string; state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' }[];
}

type Method = 'merge' | 'squash' | 'rebase';

function prCommits(r: RepoState, pr: PullRequest): Commit[] {
  const base = new Set((r.heads.get(pr.base)?.commits ?? []).map((c) => c.sha));
  return (r.heads.get(pr.head)?.commits ?? []).filter((c) => !base.has(c.sha));
}

function headSha(r: RepoState, branch: string): string {
  return r.heads.get(branch)?.commits.at(-1)?.sha ?? '0'.repeat(40);
}

function prBody(r: RepoState, pr: PullRequest): Json {
  const user = { login: pr.author, id: 1, type: 'User' };
  return {
    number: pr.number,
    title: pr.title,
    state: pr.state,
    merged: pr.merged,
    user,
    head: { ref: pr.head, sha: headSha(r, pr.head), label: `${r.owner}:${pr.head}` },
    base: { ref: pr.base, sha: headSha(r, pr.base), label: `${r.owner}:${pr.base}` },
    html_url: `https://github.com/${r.owner}/${r.name}/pull/${pr.number}`,
  };
}

/** Approvals that count: the latest review of each person with write access other than the author. */
function approvers(r: RepoState, pr: PullRequest): string[] {
  const latest = new Map<string, string>();
  for (const rv of pr.reviews) if (rv.state !== 'COMMENTED') latest.set(rv.user.toLowerCase(), rv.state);
  return [...latest]
    .filter(([u, s]) => s === 'APPROVED' && u !== pr.author.toLowerCase() && atLeast(roleOf(r, u) ?? 'read', 'write'))
    .map(([u]) => u);
}

/** Why the rulesets refuse this merge (empty: allowed). */
export function mergeViolations(r: RepoState, pr: PullRequest, method: Method, actor: string): string[] {
  const out: string[] = [];
  const approved = approvers(r, pr);
  const lastPusher = (r.heads.get(pr.head)?.pushedBy ?? pr.author).toLowerCase();
  for (const rs of rulesetsFor(r, pr.base)) {
    if (bypasses(r, rs, actor, 'pull_request')) continue;
    for (const rule of (rs.rules as Json[] | undefined) ?? []) {
      const p = params(rule);
      switch (rule.type) {
        case 'pull_request': {
          const allowed = p.allowed_merge_methods as Method[] | undefined;
          if (allowed && !allowed.includes(method))
            out.push(`Merge method ${method} is not allowed; allowed: ${allowed.join(', ')}.`);
          const need = typeof p.required_approving_review_count === 'number' ? p.required_approving_review_count : 0;
          if (approved.length < need)
            out.push(
              `At least ${need} approving review${need === 1 ? ' is' : 's are'} required by reviewers with write access.`,
            );
          if (p.require_last_push_approval === true && !approved.some((u) => u !== lastPusher)) {
            out.push('The most recent push must be approved by someone other than the person who pushed it.');
          }
          const owners = r.codeowners.map((o) => o.toLowerCase());
          if (p.require_code_owner_review === true && owners.length && !approved.some((u) => owners.includes(u))) {
            out.push(`Waiting on code owner review from ${r.codeowners.join(', ')}.`);
          }
          break;
        }
        case 'required_status_checks':
          out.push(...missingChecks(r, rule, headSha(r, pr.head)));
          break;
        case 'required_signatures':
          if (method === 'rebase')
            out.push('Commits must have verified signatures: GitHub cannot sign rebased commits.');
          else if (method === 'merge' && prCommits(r, pr).some((c) => !c.signed))
            out.push('Commits must have verified signatures.');
          break;
        default:
          break;
      }
    }
  }
  return [...new Set(out)];
}

const METHOD_FLAG: Record<Method, keyof RepoState> = {
  merge: 'allowMergeCommit',
  squash: 'allowSquashMerge',
  rebase: 'allowRebaseMerge',
};
const METHOD_REFUSAL: Record<Method, string> = {
  merge: 'Merge commits are not allowed on this repository.',
  squash: 'Squash merges are not allowed on this repository.',
  rebase: 'Rebase merges are not allowed on this repository.',
};

export const pullsModule: ServerModule = {
  partialResponses: ['pulls/create', 'pulls/get', 'pulls/create-review'],
  handle({ id, repo: r, params: p, body, actor }, send) {
    if (!r) return false;
    const find = () => r.pulls.find((x) => x.number === Number(p.pull_number));
    switch (id) {
      case 'pulls/create': {
        const head = text(body?.head).replace(/^[^:]+:/, '');
        const base = text(body?.base);
        if (!r.branches.includes(head) || !r.branches.includes(base)) {
          send(422, {
            message: 'Validation Failed',
            errors: [{ resource: 'PullRequest', field: r.branches.includes(head) ? 'base' : 'head', code: 'invalid' }],
            documentation_url: DOCS,
          });
          return true;
        }
        const pr: PullRequest = {
          number: r.pulls.length + 1,
          title: text(body?.title),
          author: actor,
          head,
          base,
          state: 'open',
          merged: false,
          reviews: [],
        };
        r.pulls.push(pr);
        send(201, prBody(r, pr));
        return true;
      }
      case 'pulls/get': {
        const pr = find();
        if (!pr) send(404, { message: 'Not Found', documentation_url: DOCS });
        else send(200, prBody(r, pr));
        return true;
      }
      case 'pulls/create-review': {
        const pr = find();
        if (!pr) {
          send(404, { message: 'Not Found', documentation_url: DOCS });
          return true;
        }
        const event = text(body?.event) || 'COMMENT';
        if (actor.toLowerCase() === pr.author.toLowerCase() && event !== 'COMMENT') {
          const what = event === 'APPROVE' ? 'approve' : 'request changes on';
          send(422, {
            message: 'Unprocessable Entity',
            errors: [`Can not ${what} your own pull request`],
            documentation_url: DOCS,
          });
          return true;
        }
        const state =
          event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
        pr.reviews.push({ user: actor, state });
        send(200, {
          id: pr.reviews.length,
          user: { login: actor },
          state,
          body: text(body?.body),
          commit_id: headSha(r, pr.head),
        });
        return true;
      }
      case 'pulls/merge': {
        const pr = find();
        if (!pr) {
          send(404, { message: 'Not Found', documentation_url: DOCS });
          return true;
        }
        if (pr.state !== 'open') {
          send(405, { message: 'Pull Request is not mergeable', documentation_url: DOCS });
          return true;
        }
        const method = (body?.merge_method as Method | undefined) ?? 'merge';
        if (!r[METHOD_FLAG[method]]) {
          send(405, { message: METHOD_REFUSAL[method], documentation_url: DOCS });
          return true;
        }
        const violations = mergeViolations(r, pr, method, actor);
        if (violations.length) {
          send(405, {
            message: `Repository rule violations found\n\n${violations.join('\n')}\n`,
            documentation_url: DOCS,
          });
          return true;
        }
        // Squash and merge commits made by GitHub are signed by GitHub; a rebase keeps the pull request's commits.
        const commits = prCommits(r, pr);
        const sha = `${(r.heads.get(pr.base)?.commits.length ?? 0) + 1}`.padStart(40, 'e');
        const added: Commit[] = method === 'rebase' ? commits : [{ sha, signed: true, merge: method === 'merge' }];
        const baseHead = r.heads.get(pr.base) ?? { commits: [], pushedBy: actor };
        r.heads.set(pr.base, {
          commits: [...baseHead.commits, ...(method === 'merge' ? commits : []), ...added],
          pushedBy: actor,
        });
        pr.state = 'closed';
        pr.merged = true;
        send(200, { sha: added.at(-1)!.sha, merged: true, message: 'Pull Request successfully merged' });
        return true;
      }
      default:
        return false;
    }
  },
};
