import { AnalysisService } from '../services';
import type { CliIo } from './output';
import { withGraph, type GraphSession } from './withGraph';

/**
 * Runs a question command: a connected graph and an AnalysisService that
 * reports on stderr while it reads the snapshot and builds its analysis
 * (seconds on large organizations), so stdout stays clean for --json.
 */
export async function withAnalysis<T>(io: CliIo, body: (analysis: AnalysisService, session: GraphSession) => Promise<T>): Promise<T> {
  return withGraph(async (session) => {
    let started = 0;
    let lastStep = '';
    const service = new AnalysisService(session.graph, {
      onEvent: (event) => {
        if (event.type === 'loading') {
          started ||= Date.now();
          // Only say something when loading is slow enough to notice.
          if (Date.now() - started > 1_500 && event.step !== lastStep) io.err(`reading snapshot ${event.snapshot}: ${event.step}…`);
          lastStep = event.step;
        } else if (event.ms > 1_500) {
          io.err(
            `snapshot ${event.snapshot} ready in ${(event.ms / 1000).toFixed(1)} s (read ${(event.readMs / 1000).toFixed(1)} s, analysis ${(event.buildMs / 1000).toFixed(1)} s)`,
          );
        }
      },
    });
    return body(service, session);
  });
}
