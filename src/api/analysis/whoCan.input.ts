import { Field, InputType } from 'type-graphql';
import { UserInputError } from '../../errors';
import { checkText, show } from './question.input';

/** How whoCanInvoke names its method: by its request ARN, or by its parts (checked for form here; unknown parts are NOT_FOUND later). */

@InputType({ description: 'An API method named by its parts instead of an ARN.' })
export class MethodReference {
  @Field(() => String, { description: 'The API id, such as a1b2c3d4e5.' })
  apiId!: string;

  @Field(() => String, { description: 'The stage, such as prod ($default for an HTTP API default stage).' })
  stage!: string;

  @Field(() => String, { description: 'GET, POST, …, ANY, or $default (an HTTP API default route).' })
  verb!: string;

  @Field(() => String, { nullable: true, description: 'The resource path template, such as /pets/{id}; not needed for $default.' })
  path?: string | null;
}

/** A method reference, its parts checked for form (API id: letters and digits). */
export function toMethodRef(method: MethodReference, field = 'method'): { apiId: string; stage: string; verb: string; path: string } {
  if (!/^[A-Za-z0-9]{1,64}$/.test(method.apiId))
    throw new UserInputError(
      `${field}.apiId: expected an API Gateway API id (letters and digits, such as a1b2c3d4e5), got ${show(method.apiId)}.`,
    );
  checkText(method.stage, `${field}.stage`, 128);
  checkText(method.verb, `${field}.verb`, 16);
  if (method.path !== null && method.path !== undefined) checkText(method.path, `${field}.path`);
  return { apiId: method.apiId, stage: method.stage, verb: method.verb, path: method.path ?? '' };
}

/** Exactly one of requestArn and method. */
export function toInvokeTarget(
  requestArn: string | null | undefined,
  method: MethodReference | null | undefined,
): { requestArn: string } | { method: ReturnType<typeof toMethodRef> } {
  if ((requestArn === null || requestArn === undefined) === (method === null || method === undefined)) {
    throw new UserInputError(
      'whoCanInvoke: give either requestArn (an execute-api request or method template ARN) or method ({apiId, stage, verb, path}), not both and not neither.',
    );
  }
  return requestArn !== null && requestArn !== undefined
    ? { requestArn: checkText(requestArn, 'requestArn') }
    : { method: toMethodRef(method!) };
}
