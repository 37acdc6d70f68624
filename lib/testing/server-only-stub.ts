// Vitest runs outside Next's "react-server" condition; this stands in for the `server-only` marker there.
export {};
