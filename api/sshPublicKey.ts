/** OpenSSH public key validation (`authorized_keys` format: `type base64 [comment]`). */

export const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-dss',
] as const;

/** Why `text` is not an OpenSSH public key, or undefined when it is one. */
export function sshPublicKeyProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.includes('PRIVATE KEY')) {
    return 'this is a private key; use the public key (the contents of the .pub file) and keep the private key secret';
  }
  if (trimmed.includes('\n')) return 'must be a single line: one OpenSSH public key';
  const [type = '', blob = ''] = trimmed.split(/\s+/);
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) {
    return `${JSON.stringify(type)} is not an OpenSSH public key type; expected a line such as "ssh-ed25519 AAAA… user@host"`;
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return `the key data after ${type} is not base64`;
  // The blob starts with the key type again, as a length-prefixed string.
  const bytes = Buffer.from(blob, 'base64');
  const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (length < 0 || bytes.subarray(4, 4 + length).toString('latin1') !== type) {
    return `the key data does not hold a ${type} key; copy the whole line of the .pub file`;
  }
  return undefined;
}
