/** react-query keys, from one typed factory so mutations invalidate exactly what they change. */
export const queryKeys = {
  tokens: () => ["tokens"] as const,
};
