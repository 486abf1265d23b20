import { ApiException } from './kubernetesClient.js';

/**
 * The one place that classifies Kubernetes API errors. Callers branch on `kind`, never on raw
 * status codes, so that "retry later" and "give up" mean the same thing everywhere.
 */
/** `expired`: 410 Gone, a watch or list resumed from a resourceVersion the server no longer keeps; re-list. */
export type ApiErrorKind =
  'conflict' | 'notFound' | 'alreadyExists' | 'invalid' | 'forbidden' | 'expired' | 'transient' | 'other';

export interface ClassifiedApiError {
  kind: ApiErrorKind;
  status?: number;
  /** Status.message from the API server when it sent one; never request bodies. */
  message: string;
}

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

export function classifyApiError(err: unknown): ClassifiedApiError {
  if (err instanceof ApiException) {
    const status = err.code;
    const message = statusMessage(err.body) ?? `HTTP ${status}`;
    return { kind: kindForStatus(status, err.body), status, message };
  }
  const code = networkCode(err);
  if (code && TRANSIENT_NETWORK_CODES.has(code)) {
    return { kind: 'transient', message: `connection to the API server failed (${code})` };
  }
  return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
}

function kindForStatus(status: number, body: unknown): ApiErrorKind {
  if (status === 409) {
    return statusReason(body) === 'AlreadyExists' ? 'alreadyExists' : 'conflict';
  }
  if (status === 404) return 'notFound';
  if (status === 410) return 'expired';
  if (status === 422 || status === 400) return 'invalid';
  if (status === 401 || status === 403) return 'forbidden';
  if (status === 429 || status >= 500 || status === 408) return 'transient';
  return 'other';
}

function parsedBody(body: unknown): Record<string, unknown> | undefined {
  if (typeof body === 'string') {
    try {
      const value: unknown = JSON.parse(body);
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
}

function statusMessage(body: unknown): string | undefined {
  const message = parsedBody(body)?.message;
  return typeof message === 'string' ? message : undefined;
}

function statusReason(body: unknown): string | undefined {
  const reason = parsedBody(body)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isApiError(err: unknown, kind: ApiErrorKind): boolean {
  return classifyApiError(err).kind === kind;
}
