/** A saved card as the pages and the API show it: never the processor's reference. */
export interface CardDto {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  isDefault: boolean;
  createdAt: string;
}

export function cardDto(c: Omit<CardDto, "createdAt"> & { createdAt: Date }): CardDto {
  return { ...c, createdAt: c.createdAt.toISOString() };
}
