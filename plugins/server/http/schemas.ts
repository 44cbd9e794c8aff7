/**
 * JSON Schema pieces the routes share. Every body, params and querystring schema is closed
 * (`additionalProperties: false`); the server's validator neither removes unknown keys nor
 * coerces types, so what is not declared is refused.
 */
export type JsonSchema = Record<string, unknown>;

/** Node ids (the path parameter of every node route): kebab-case, as the graph spells them. */
export const NODE_ID = '^[a-z0-9][a-z0-9-]{0,127}$';
export const AGENT_ID = '^agent-[a-z0-9][a-z0-9-]{0,121}$';
export const PERSON_ID = '^person-[a-z0-9][a-z0-9-]{0,120}$';
/** A token's hash prefix, as listings show it and revocations name it. */
export const HASH_PREFIX = '^[0-9a-f]{8,64}$';
/** A harness session id (Claude Code's are UUIDs; others are similar). */
export const SESSION = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';

export const str = (extra: JsonSchema = {}): JsonSchema => ({type: 'string', ...extra});
export const line = (max = 200): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: '^[^\\n\\r]*$',
});
export const strings = (item: JsonSchema = {type: 'string', maxLength: 200}, maxItems = 100): JsonSchema => ({
  type: 'array',
  items: item,
  maxItems,
});

/** A closed object schema. */
export const object = (properties: Record<string, JsonSchema>, required: Array<string> = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

/** Path parameters, each matching its pattern. */
export const params = (patterns: Record<string, string>): JsonSchema =>
  object(
    Object.fromEntries(Object.entries(patterns).map(([k, pattern]) => [k, {type: 'string', pattern}])),
    Object.keys(patterns),
  );

/** A query parameter given once or repeated (`?type=a&type=b`). */
export const oneOrMany = (item: JsonSchema): JsonSchema => ({
  anyOf: [item, {type: 'array', items: item, maxItems: 50}],
});

/** An empty object (routes that take no body still refuse keys). */
export const NO_BODY = object({});
