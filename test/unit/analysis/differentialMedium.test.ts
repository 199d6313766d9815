import { describeDifferential } from '../../support/differentialSuite';

// The medium and large organizations of the differential spec (no context);
// the small ones run from differential.test.ts.
describeDifferential(['medium', 'large']);
