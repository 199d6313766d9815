export * from './graph';
export * from './rows';
