import type { Db } from "@/lib/db/prisma";
import { MODEL_TASKS, type ModelTask } from "@/lib/catalog/schema";
import { loadPriceBook, type PriceBook } from "@/lib/pricing/price-book";

/** A model as one provider serves it. */
export interface Offer {
  providerId: string;
  providerName: string;
  modelId: string;
  upstreamModel: string;
  baseUrl: string;
  billingIntegrated: boolean;
  pricingUnit: "token" | "compute";
}

export interface RouterCatalog {
  models: { id: string; displayName: string; task: ModelTask; createdAt: Date }[];
  /** Each served model's task, by id. */
  tasks: Map<string, ModelTask>;
  offers: Map<string, Offer[]>;
  book: PriceBook;
}

/**
 * The catalog changes only when an instance starts with a new prisma/catalog.json (prices are
 * versioned by date, so a cached book still prices every request right): keeping it in memory
 * for a minute takes two queries off every request.
 */
const TTL_MS = 60_000;
const cache = new WeakMap<Db, { at: number; catalog: Promise<RouterCatalog> }>();

export function routerCatalog(db: Db): Promise<RouterCatalog> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.catalog;
  const catalog = loadCatalog(db);
  cache.set(db, { at: Date.now(), catalog });
  catalog.catch(() => cache.delete(db));
  return catalog;
}

async function loadCatalog(db: Db): Promise<RouterCatalog> {
  const [models, served] = await Promise.all([
    db.model.findMany({
      orderBy: { id: "asc" },
      select: { id: true, displayName: true, task: true, createdAt: true },
    }),
    db.providerModel.findMany({
      where: { active: true },
      include: { provider: true },
      orderBy: [{ modelId: "asc" }, { providerId: "asc" }],
    }),
  ]);
  const offers = new Map<string, Offer[]>();
  for (const s of served) {
    const list = offers.get(s.modelId) ?? [];
    list.push({
      providerId: s.providerId,
      providerName: s.provider.displayName,
      modelId: s.modelId,
      upstreamModel: s.upstreamModel,
      baseUrl: s.provider.baseUrl,
      billingIntegrated: s.provider.billingIntegrated,
      pricingUnit: s.provider.pricingUnit,
    });
    offers.set(s.modelId, list);
  }
  const book = await loadPriceBook(db, served);
  const listed = models.filter((m) => offers.has(m.id)).map((m) => ({ ...m, task: asTask(m.task) }));
  return { models: listed, tasks: new Map(listed.map((m) => [m.id, m.task])), offers, book };
}

/** The column is checked in SQL against the same list; this narrows its type. */
function asTask(task: string): ModelTask {
  if (!(MODEL_TASKS as readonly string[]).includes(task)) throw new Error(`Unknown model task ${task}`);
  return task as ModelTask;
}
