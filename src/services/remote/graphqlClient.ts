import { AppError, NotFoundError, TimeoutError, UserInputError } from '../../errors';

/**
 * A small GraphQL client for a whocan server (Node's fetch): POSTs one
 * operation, sends `Authorization: Bearer TOKEN` when a token is given, and
 * turns every failure into one AppError that names the server: unreachable,
 * a refused token, or the server's own error code (BAD_USER_INPUT and
 * NOT_FOUND keep their meaning, so the CLI exits 2 on them as it does
 * locally). The token is never part of a message.
 */
export interface GraphQLClientOptions {
  /** The server's GraphQL endpoint, or its base URL (`/graphql` is added). */
  url: string;
  token?: string | undefined;
  /** Upper bound of one request (default 5 minutes). */
  timeoutMs?: number | undefined;
}

/** The server refused an operation as too costly (QUERY_TOO_COMPLEX): ask again with smaller pages. */
export class QueryTooComplexError extends AppError {
  constructor(message: string) {
    super('BAD_USER_INPUT', message);
  }
}

interface GraphQLErrorBody {
  message?: string;
  extensions?: { code?: string; requestId?: string; details?: unknown };
}

export class GraphQLClient {
  readonly url: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: GraphQLClientOptions) {
    this.url = endpointOf(options.url);
    this.token = options.token === undefined || options.token === '' ? undefined : options.token;
    this.timeoutMs = options.timeoutMs ?? 300_000;
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = error as Error & { cause?: { code?: string; message?: string } };
      if (cause.name === 'TimeoutError')
        throw new TimeoutError(`The whocan server at ${this.url} did not answer within ${Math.round(this.timeoutMs / 1000)} s.`);
      throw new AppError(
        'GRAPH_UNAVAILABLE',
        `The whocan server at ${this.url} is not reachable: ${cause.cause?.code ?? cause.cause?.message ?? cause.message}.`,
      );
    }
    const text = await response.text();
    let body: { data?: T | null; errors?: GraphQLErrorBody[] } | undefined;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = undefined;
    }
    const first = body?.errors?.[0];
    const code = first?.extensions?.code;
    if (response.status === 401 || code === 'UNAUTHENTICATED') {
      throw new AppError(
        'UNAUTHENTICATED',
        `The whocan server at ${this.url} refused the request: ${this.token ? 'the API token is not valid there' : 'it needs an API token'} (give it with --token or WHOCAN_TOKEN).`,
      );
    }
    if (first) throw this.errorOf(first, body?.errors?.length ?? 1);
    if (!response.ok || !body || body.data === undefined || body.data === null) {
      throw new AppError(
        'GRAPH_UNAVAILABLE',
        `The whocan server at ${this.url} answered HTTP ${response.status} without data${text ? `: ${text.slice(0, 200)}` : ''}.`,
      );
    }
    return body.data;
  }

  /** The server's error as the CLI's own kind of error, naming the server and its request id. */
  private errorOf(error: GraphQLErrorBody, count: number): AppError {
    const code = error.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    const details = Array.isArray(error.extensions?.details) ? (error.extensions.details as unknown[]).map(String) : [];
    // A whocan server's message ends with its detail lines, which are given again as details: shown once.
    const listed = details.length > 0 ? `\n${details.map((d) => `  - ${d}`).join('\n')}` : '';
    const full = error.message ?? 'no message';
    const message = listed && full.endsWith(listed) ? full.slice(0, -listed.length) : full;
    const where = `the whocan server at ${this.url}`;
    switch (code) {
      case 'BAD_USER_INPUT':
        return new UserInputError(`${message} (${where})`, details);
      case 'NOT_FOUND':
        return new NotFoundError(`${message} (${where})`);
      case 'FORBIDDEN':
        return new AppError('FORBIDDEN', `${where} refused the request: ${message}`);
      case 'TIMEOUT':
        return new TimeoutError(`${where} stopped the request at its time limit (WHOCAN_REQUEST_TIMEOUT_MS there): ${message}`);
      case 'QUERY_TOO_COMPLEX':
        return new QueryTooComplexError(`${where}: ${message}`);
      default: {
        const id = error.extensions?.requestId ? `, request id ${error.extensions.requestId}` : '';
        return new AppError(
          'GRAPH_UNAVAILABLE',
          `${where} answered with an error (${code}${id}): ${message}${count > 1 ? ` (and ${count - 1} more)` : ''}`,
        );
      }
    }
  }
}

/** `https://host:4000` → `https://host:4000/graphql`; a URL with a path is taken as the endpoint. */
export function endpointOf(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UserInputError(
      `--server ${JSON.stringify(raw)}: expected the URL of a whocan server, such as https://whocan.example.com/graphql or http://127.0.0.1:4000`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UserInputError(`--server ${JSON.stringify(raw)}: expected an http:// or https:// URL`);
  if (url.username || url.password) throw new UserInputError('--server: put the API token in --token or WHOCAN_TOKEN, not in the URL');
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/graphql';
  return url.toString();
}
