/** Standard base64 with padding; Buffer.from(…, 'base64') alone accepts anything and drops what it cannot read. */
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
