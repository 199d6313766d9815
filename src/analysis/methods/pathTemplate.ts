/**
 * Method path templates as API Gateway stores them: `/`, `/pets`,
 * `/pets/{id}`, `/admin/{proxy+}`, and `*` for an HTTP API `$default` route.
 *
 * - A `{name}` segment is a path parameter: it matches one non-empty segment
 *   (AGDG "Set up a method request", "Set up API resources": `/pets/{petId}`).
 * - A `{name+}` segment is a greedy path variable: it "catches all child
 *   resources" and "must be at the end of the resource path" (AGDG "Create
 *   routes for HTTP APIs"); "a proxy resource cannot have any child resource"
 *   (AGDG "Set up a method request", "Use a proxy resource to streamline API
 *   setup"). `/parent/{proxy+}` "stands for any resource matching the path
 *   pattern of /parent/*": one or more segments, never the empty path, so
 *   `/{proxy+}` does not serve the root `/`.
 * - Anything else is a literal segment, compared case-sensitively.
 */
export type TemplateSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

export interface PathTemplate {
  /** The HTTP API `$default` route (path `*`): any path, the root included. */
  readonly catchAll: boolean;
  /** The segments after the leading `/`; empty for the root `/` (and for `*`). */
  readonly segments: readonly TemplateSegment[];
}

const PARAM = /^\{([^{}+]+)\}$/;
const GREEDY = /^\{([^{}+]+)\+\}$/;

/** Reads one segment of a template. */
export function templateSegment(text: string): TemplateSegment {
  const greedy = GREEDY.exec(text);
  if (greedy) return { kind: 'greedy', name: greedy[1] as string };
  const param = PARAM.exec(text);
  if (param) return { kind: 'param', name: param[1] as string };
  return { kind: 'literal', text };
}

/** Parses a template, or returns a message saying what is wrong with it. */
export function parsePathTemplate(path: string): { ok: true; template: PathTemplate } | { ok: false; message: string } {
  if (path === '*') return { ok: true, template: { catchAll: true, segments: [] } };
  if (!path.startsWith('/'))
    return { ok: false, message: `a method path template starts with "/" (or is "*" for $default), got ${JSON.stringify(path)}` };
  if (path === '/') return { ok: true, template: { catchAll: false, segments: [] } };
  const parts = path.slice(1).split('/');
  const segments: TemplateSegment[] = [];
  for (const [i, part] of parts.entries()) {
    if (part === '') return { ok: false, message: `empty segment in method path template ${JSON.stringify(path)}` };
    const segment = templateSegment(part);
    if (segment.kind === 'greedy' && i !== parts.length - 1) {
      return { ok: false, message: `the greedy path variable {${segment.name}+} must be the last segment of ${JSON.stringify(path)}` };
    }
    segments.push(segment);
  }
  return { ok: true, template: { catchAll: false, segments } };
}
