/**
 * Errors of rendering a Machine's user data, network data and meta data. Every message names the
 * property (and where it was set) whose value could not be rendered, and says what to change. They
 * are configuration errors: retrying does not help until the configuration changes.
 */
export class MachineDataError extends Error {
  constructor(
    /** The property key at fault, when one is. */
    readonly property: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'MachineDataError';
  }
}

export class UserDataError extends MachineDataError {
  constructor(property: string | undefined, message: string) {
    super(property, message);
    this.name = 'UserDataError';
  }
}

export class NetworkDataError extends MachineDataError {
  constructor(property: string | undefined, message: string) {
    super(property, message);
    this.name = 'NetworkDataError';
  }
}

/** A problem with a document's format, before the caller says which property the document came from. */
export class DocumentFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentFormatError';
  }
}
