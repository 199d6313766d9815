import { optionalText, text } from './property';

/** The properties users, groups and roles share. */
export const iamEntityProperties = {
  key: text('The ARN.'),
  arn: text('The ARN.'),
  name: text('The name.'),
  uniqueId: optionalText("AWS's unique id (AIDA…, AGPA…, AROA…)."),
  path: text('The IAM path (`/`, `/service-role/`, …).'),
  account: text('The 12-digit id of the account it belongs to.'),
  createDate: optionalText('When it was created, as AWS prints it.'),
};
