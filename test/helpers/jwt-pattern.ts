/**
 * A JWT in clear: a base64url `{"`-header, a dot, a base64url `{"`-payload, a dot. Looser
 * patterns (`eyJ` and a few characters) also match random base64url, such as ciphertexts and
 * session ids, by chance, which would make a leak check flaky.
 */
export const JWT_IN_CLEAR = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\./;
