import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { packageRoot } from '../../config/paths';

/**
 * The web console's static files (built by `npm run build` into
 * dist/console/ from console/): the HTML shell at `/`, the script, style
 * sheet and source map under `/console/`. They hold no data, so they need no
 * token; everything the console shows comes from `/graphql` with the
 * user's token. Read once when the server starts and served from memory.
 *
 * Every response carries a strict Content-Security-Policy: scripts, styles,
 * connections and images from this server only, no inline script or style,
 * no eval, no plugins, no framing. Files are revalidated on each load
 * (`no-cache` with an ETag: a 304 when unchanged), so a new build is picked
 * up at once.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

export interface ConsoleAssets {
  /** URL path → file. */
  files: ReadonlyMap<string, Asset>;
}

/** The built console in `dir` (dist/console by default); undefined when it was not built. */
export function loadConsoleAssets(dir: string = path.join(packageRoot(), 'dist', 'console')): ConsoleAssets | undefined {
  if (!existsSync(path.join(dir, 'index.html'))) return undefined;
  const files = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const body = readFileSync(path.join(dir, name));
    const asset = { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    files.set(name === 'index.html' ? '/' : `/console/${name}`, asset);
  }
  return { files };
}

/** Headers every console response carries, whether a file, a 304 or a 404. */
function securityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', CONSOLE_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
}

/**
 * Serves `GET`/`HEAD /` and `/console/…` when the request is the console's;
 * returns false for anything else (`POST /` stays a GraphQL request, and a
 * `GET /?query=…` too).
 */
export function serveConsole(req: IncomingMessage, res: ServerResponse, url: URL, assets: ConsoleAssets | undefined): boolean {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return false;
  const isShell = url.pathname === '/' && !url.searchParams.has('query');
  if (!isShell && !url.pathname.startsWith('/console/')) return false;
  securityHeaders(res);
  const asset = assets?.files.get(url.pathname);
  if (!asset) {
    res.statusCode = isShell ? 503 : 404;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end(
      isShell
        ? 'The web console is not built: run `npm run build` (it bundles console/ into dist/console/), then restart the server. GraphQL is served at /graphql.\n'
        : `No console file ${url.pathname}.\n`,
    );
    return true;
  }
  res.setHeader('content-type', asset.type);
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('etag', asset.etag);
  if (req.headers['if-none-match'] === asset.etag) {
    res.statusCode = 304;
    res.end();
    return true;
  }
  res.statusCode = 200;
  res.setHeader('content-length', asset.body.length);
  res.end(method === 'HEAD' ? undefined : asset.body);
  return true;
}
