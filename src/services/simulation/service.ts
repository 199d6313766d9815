import type { RequestScope } from '../requestScope';
import { runSimulation, type SimulationOptions } from './simulate';
import type { SimulateResponse } from './types';

/**
 * `simulate` for the API: the same engine and the same request reading as
 * `whocan simulate`. The engine runs on this process's CPU without awaiting,
 * so the request's deadline is checked before it starts.
 */
export class SimulationService {
  run(request: unknown, scope: RequestScope, options: SimulationOptions = {}): Promise<SimulateResponse> {
    scope.assertTimeLeft();
    return scope.race(runSimulation(request, options));
  }
}
