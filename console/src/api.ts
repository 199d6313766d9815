/**
 * The console's only way to the data: POST /graphql on the server that
 * served it, with the user's bearer token. The token is asked for once and
 * kept in sessionStorage (this tab, this browser session) and nowhere else.
 */
const TOKEN_KEY = 'whocan.token';
/** Longer than the server's default request timeout (30 s): the server's own TIMEOUT answer arrives first. */
const CLIENT_TIMEOUT_MS = 120_000;

export type ApiErrorKind = 'unreachable' | 'unauthenticated' | 'forbidden' | 'timeout' | 'not-found' | 'bad-input' | 'server';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly requestId?: string,
    readonly code?: string,
    /** For `unauthenticated`: whether the request carried a token (refused) or none (needed). */
    readonly tokenSent = false,
  ) {
    super(message);
  }
}

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

interface GraphQLErrorBody {
  message?: string;
  extensions?: { code?: string; requestId?: string };
}

const KIND_OF_CODE: Record<string, ApiErrorKind> = {
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  TIMEOUT: 'timeout',
  NOT_FOUND: 'not-found',
  BAD_USER_INPUT: 'bad-input',
  GRAPHQL_VALIDATION_FAILED: 'bad-input',
  QUERY_TOO_COMPLEX: 'bad-input',
  QUERY_TOO_DEEP: 'bad-input',
};

let onUnauthenticated: ((error: ApiError) => void) | undefined;

/** Called whenever the server refuses the token (401), e.g. to ask for a new one. */
export function whenUnauthenticated(handler: (error: ApiError) => void): void {
  onUnauthenticated = handler;
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  const token = getToken();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), CLIENT_TIMEOUT_MS);
  const abort = () => timeout.abort();
  signal?.addEventListener('abort', abort);
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: timeout.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    if (signal?.aborted) throw new ApiError('server', 'cancelled');
    if (timeout.signal.aborted)
      throw new ApiError(
        'timeout',
        `No answer within ${CLIENT_TIMEOUT_MS / 1000} s. The server may be busy with a long question; try again in a moment.`,
      );
    throw new ApiError(
      'unreachable',
      `Cannot reach the whocan server at ${location.origin} (${error instanceof Error ? error.message : String(error)}). Is it running? Start it with \`npm start\`.`,
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
  let body: { data?: T; errors?: GraphQLErrorBody[] } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = undefined;
  }
  if (response.status === 401) {
    const error = new ApiError(
      'unauthenticated',
      token
        ? 'The server refused this API token (HTTP 401). Enter a valid token (`whocan token create --role reader`).'
        : 'This server needs an API token: enter one (`whocan token create --role reader`).',
      body?.errors?.[0]?.extensions?.requestId,
      'UNAUTHENTICATED',
      token !== null,
    );
    onUnauthenticated?.(error);
    throw error;
  }
  const first = body?.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    const kind = KIND_OF_CODE[code] ?? 'server';
    const message =
      kind === 'timeout'
        ? `The question took longer than the server allows (WHOCAN_REQUEST_TIMEOUT_MS). Long answers (overview, findings, diffs) keep computing on the server: try again in a moment. Otherwise narrow the question (fewer hops).`
        : (first.message ?? 'The server could not answer.');
    throw new ApiError(kind, message, first.extensions?.requestId, code);
  }
  if (!response.ok || !body?.data) {
    if (response.status >= 500 || response.status === 0)
      throw new ApiError('unreachable', `The whocan server answered HTTP ${response.status}. Is it running and ready (/readyz)?`);
    throw new ApiError('server', `Unexpected answer from the server (HTTP ${response.status}).`);
  }
  return body.data;
}
