/**
 * The slice of a pino logger the Zalo modules use; a pino `Logger` fits as is.
 * Log event types, error codes and ids of our own rows — never tokens, secrets,
 * phone numbers, Zalo user ids or message text.
 */
export type ZaloLogger = {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

const noop = (): void => {};

export const silentZaloLogger: ZaloLogger = { debug: noop, info: noop, warn: noop, error: noop };
