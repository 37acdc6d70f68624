import { z } from "zod";
import { describe, expect, it } from "vitest";
import { cardBody, usageQuery } from "./schemas";
import { schemaFields, typeLabel } from "./schema-fields";
import { toJsonSchema } from "./openapi";

describe("schemaFields", () => {
  it("lists nested fields with dotted names, types, required flags and bounds", () => {
    const schema = z.object({
      model: z.string().min(1).max(300).meta({ description: "Which model." }),
      messages: z.array(z.object({ role: z.enum(["user", "assistant"]), content: z.string().nullable() })),
      limit: z.int().min(0).nullable().optional(),
    });
    expect(schemaFields(toJsonSchema(schema, "input"))).toEqual([
      { name: "model", type: "string", required: true, description: "Which model. length 1–300" },
      { name: "messages", type: "object[]", required: true, description: "" },
      { name: "messages[].role", type: '"user" | "assistant"', required: true, description: "" },
      { name: "messages[].content", type: "string | null", required: true, description: "" },
      { name: "limit", type: "integer | null", required: false, description: "" },
    ]);
  });

  it("shows defaults and lists each option of a union of objects", () => {
    const query = schemaFields(toJsonSchema(usageQuery, "input"));
    expect(query.find((f) => f.name === "groupBy")).toMatchObject({ required: false });
    expect(query.find((f) => f.name === "groupBy")!.description).toContain('default "model"');
    const card = schemaFields(toJsonSchema(cardBody, "input")).map((f) => f.name);
    expect(card).toContain("(option 1) number");
    expect(card).toContain("(option 2) stripePaymentMethod");
  });

  it("labels formats and constants", () => {
    expect(typeLabel(toJsonSchema(z.uuid(), "input"))).toBe("string (uuid)");
    expect(typeLabel(toJsonSchema(z.literal("list"), "input"))).toBe('"list"');
  });
});
