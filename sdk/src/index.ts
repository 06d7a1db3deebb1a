// sdk/src/index.ts — hzm's typed client: openapi-fetch over the paths openapi-typescript generates from docs/openapi.json
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths };
export type Schemas = components["schemas"];

export interface HzmOptions {
  /** e.g. "https://api.example.com" (the paths carry /api/v1). */
  baseUrl: string;
  /** The current access token, asked before each request (none: public calls). */
  accessToken?: () => string | undefined;
  /** §1.4's X-Device-ID and X-Client-Version, recorded with each session. */
  deviceId?: string;
  clientVersion?: string;
  fetch?: (input: Request) => Promise<Response>;
}

/**
 * A client whose every path, method, body and answer is typed by the API's
 * OpenAPI document. Each request gets an X-Request-ID (spec §7, replay
 * protection) unless the caller set one.
 */
export function createHzmClient(opts: HzmOptions): Client<paths> {
  const client = createClient<paths>({ baseUrl: opts.baseUrl, fetch: opts.fetch });
  const headers: Middleware = {
    onRequest({ request }) {
      const token = opts.accessToken?.();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      if (opts.deviceId) request.headers.set("X-Device-ID", opts.deviceId);
      if (opts.clientVersion) request.headers.set("X-Client-Version", opts.clientVersion);
      if (!request.headers.has("X-Request-ID")) request.headers.set("X-Request-ID", crypto.randomUUID());
      return request;
    },
  };
  client.use(headers);
  return client;
}
