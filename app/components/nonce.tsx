import { createContext, useContext } from "react";

/**
 * This response's script nonce, set by the server around the whole render so
 * every inline script can carry it. In the browser it is empty: scripts are
 * already running, and browsers hide nonces from the page anyway.
 */
export const NonceContext = createContext("");

export function useNonce() {
  return useContext(NonceContext);
}
