/**
 * How a family of GitHub's rules plugs into the test server: a module sees each validated request before the
 * built-in handlers and answers it, or leaves it to them. Each module cites the documentation of the rules it models;
 * what nobody has confirmed is marked ASSUMED.
 */
import type { ServerResponse } from 'node:http';
import type { RepoState } from '../github-server.js';

export type Json = Record<string, unknown>;

export interface ModuleRequest {
  /** The OpenAPI operationId. */
  id: string;
  /** The repository named by the path (null for routes without one, or an unknown repository). */
  repo: RepoState | null;
  params: Record<string, unknown>;
  body: Json | undefined;
  query: URLSearchParams;
  /** Login of the user the token belongs to. */
  actor: string;
  res: ServerResponse;
}

export interface ServerModule {
  /** Operations whose answers carry only the fields the code under test reads (not checked against the schema). */
  partialResponses?: string[];
  /** Answers the request (true) or leaves it to the next module and the built-in handlers (false). */
  handle(req: ModuleRequest, send: (status: number, body?: unknown, headers?: Record<string, string>) => void): boolean;
}

export const DOCS = 'https://docs.github.com/rest';
