export * from './graph';
export * from './rows';
export * as schema from './schema';
