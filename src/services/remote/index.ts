export { endpointOf, GraphQLClient, QueryTooComplexError, type GraphQLClientOptions } from './graphqlClient';
export { REMOTE_OPERATIONS } from './operations';
export { REMOTE_PAGE_SIZES, RemoteAccessSource } from './remoteSource';
export { REVIEW, reviewOnServer, type RemoteReviewOptions } from './remoteReview';
