/** The simulate service: AWS SimulateCustomPolicy-style requests in, AWS-style results out. */
export { runSimulation, runSimulationBatch, type SimulationOptions } from './simulate';
export { SimulationService } from './service';
export type {
  ApiGatewaySettings,
  ContextEntry,
  ContextKeyType,
  EvaluationResultOutput,
  MatchedStatementOutput,
  PolicyInput,
  SimulateDecision,
  SimulateRequest,
  SimulateResponse,
  Tristate,
} from './types';
export { CONTEXT_KEY_TYPES } from './types';
