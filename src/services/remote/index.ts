export { endpointOf, GraphQLClient, QueryTooComplexError, type GraphQLClientOptions } from './graphqlClient';
export { REMOTE_OPERATIONS, REMOTE_PAGE_SIZES, RemoteAccessSource } from './remoteSource';
export { REVIEW, reviewOnServer, type RemoteReviewOptions } from './remoteReview';
