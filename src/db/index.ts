export { connectGraph, cypher, Graph, type ConnectOptions, type CypherQuery, type GraphEvent, type Params, type TxOptions } from './graph';
export { migrate, migrationStatus, readMigrationFiles, type MigrationFile, type MigrationStatus } from './migrations';
export { mapNeo4jError } from './errors';
export { ConnectionLimit } from './connectionLimit';
