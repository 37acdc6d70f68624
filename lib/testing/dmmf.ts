import { get_dmmf } from "@prisma/prisma-schema-wasm";

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
}

export interface Dmmf {
  datamodel: {
    models: { name: string; dbName: string | null; fields: DmmfField[] }[];
    enums: { name: string; dbName?: string | null; values: { name: string; dbName: string | null }[] }[];
  };
}

/** The full DMMF of a schema, from Prisma's own schema parser (the generated client keeps only a subset). */
export function getDMMF(schema: string): Dmmf {
  return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schema }))) as Dmmf;
}
