/**
 * The one error class for refusals: bad input, bad configuration, a target that is not an Azure registry.
 * Failures of the network are values (check results), never exceptions. Each entry point maps this class
 * to its user in one place; the message key is `errors:<code>` in `locales/`.
 */
import { translator, type Locale } from './i18n';

export const errorCodes = [
  'ACRCHECK_NOT_ACR_HOST',
  'ACRCHECK_INPUT_TOO_LARGE',
  'ACRCHECK_BAD_USAGE',
  'ACRCHECK_BAD_CONFIG',
  'ACRCHECK_BAD_ACTION',
  'ACRCHECK_BAD_JOB',
  'ACRCHECK_BAD_SIGNATURE',
  'ACRCHECK_BAD_FILE',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class AcrcheckError extends Error {
  override readonly name = 'AcrcheckError';

  /**
   * @param code stable code, also the locale key under `errors:`
   * @param message an English one-liner for logs and standard error
   * @param params values for the localized message
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `err` is a refusal of ours rather than a bug. */
export function isAcrcheckError(err: unknown): err is AcrcheckError {
  return err instanceof AcrcheckError;
}

/**
 * What a refusal says in a language: its sentence under `errors:<code>` (`errors:ACRCHECK_NOT_ACR_HOST.<reason>`
 * for a refused host), filled with its params; the English message where a language has none. The one lookup
 * the cards, the CLI and the runner service share.
 */
export function refusalMessage(err: AcrcheckError, locale: Locale): string {
  const key =
    err.code === 'ACRCHECK_NOT_ACR_HOST'
      ? `errors:ACRCHECK_NOT_ACR_HOST.${String(err.params.reason ?? 'name')}`
      : `errors:${err.code}`;
  return translator(locale)(key, { ...err.params, defaultValue: err.message });
}
