import { describeDifferential } from '../../support/differentialSuite';

// The small organizations of the differential spec (every sample context);
// the medium ones run from differentialMedium.test.ts.
describeDifferential(['small']);
