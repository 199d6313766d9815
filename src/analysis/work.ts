/**
 * Long questions (findings, access diffs, what a principal can invoke) are
 * written as generators that `yield` between steps (an API, a role, a
 * method). The CLI runs them straight through (`runToEnd`); the server runs
 * them in slices (`runInSlices`), giving the event loop back between slices so
 * other requests are served, and stopping at the request's deadline.
 */
export type Work<T> = Generator<void, T, void>;

export function runToEnd<T>(work: Work<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

export async function runInSlices<T>(work: Work<T>, options: { signal?: AbortSignal | undefined; sliceMs?: number } = {}): Promise<T> {
  const sliceMs = options.sliceMs ?? 20;
  let sliceStarted = performance.now();
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStarted >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      sliceStarted = performance.now();
    }
  }
}
