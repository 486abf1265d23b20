import type { TemplateLimit } from '../packages/go-template/src/index.js';

/**
 * Errors of rendering a Machine's user data, network data and meta data. Every message names the
 * property (and where it was set) whose value could not be rendered, and says what to change. They
 * are configuration errors: retrying does not help until the configuration changes.
 *
 * The message may reach workflow history, so it never quotes template text, rendered data or Secret
 * values: a template error names its source and line:col and gives Go's reason without quoted text.
 * `detail`, when present, is the fuller diagnostic (Go's whole message) for the terminal of the user
 * who renders their own templates (`render`, `validate`); it is never sent anywhere else.
 */
export class MachineDataError extends Error {
  constructor(
    /** The property key at fault, when one is. */
    readonly property: string | undefined,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'MachineDataError';
  }
}

export class UserDataError extends MachineDataError {
  constructor(property: string | undefined, message: string, detail?: string) {
    super(property, message, detail);
    this.name = 'UserDataError';
  }
}

export class NetworkDataError extends MachineDataError {
  constructor(property: string | undefined, message: string, detail?: string) {
    super(property, message, detail);
    this.name = 'NetworkDataError';
  }
}

/** The typed errors of the user-data and network-data documents, as DocumentFailure makes them. */
export const userDataFailure = (property: string, message: string, detail?: string) =>
  new UserDataError(property, message, detail);
export const networkDataFailure = (property: string, message: string, detail?: string) =>
  new NetworkDataError(property, message, detail);

/** A limit rendering runs under: the template engine's own, or the render thread's memory. */
export type RenderLimit = TemplateLimit | 'memory';

/**
 * Rendering stopped at a limit (step budget, output size, nesting depth, deadline, memory). The
 * message names the limit, its value and where the template was when it was stopped.
 */
export class RenderLimitError extends MachineDataError {
  constructor(
    property: string | undefined,
    readonly limit: RenderLimit,
    message: string,
    detail?: string,
  ) {
    super(property, message, detail);
    this.name = 'RenderLimitError';
  }
}

/** A problem with a document's format, before the caller says which property the document came from. */
export class DocumentFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentFormatError';
  }
}
