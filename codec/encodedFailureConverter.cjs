// Loaded by path: the Temporal SDK `require`s a failure converter in the worker and the client, and
// bundles it into the workflow sandbox; CommonJS serves both, under tsx and compiled alike.
// Failure messages and stack traces move into an encoded payload, so the payload codec encrypts them
// with the rest: a template's error or a Secret's name in a message is not readable in history.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
